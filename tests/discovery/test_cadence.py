"""Cadence arithmetic: ISO weeks across year boundaries, streaks, trio share, silence.

Pure functions only: no database, no clock (today is always given).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productops.discovery.cadence import (
    TouchpointFact,
    default_period,
    iso_monday,
    iso_week_label,
    iso_weeks,
    longest_run,
    resolve_period,
    team_cadence,
    trailing_run,
)

PM, DESIGN, TECH = "product_manager", "design_lead", "tech_lead"
TEAM = frozenset({PM})
TRIO = frozenset({PM, DESIGN, TECH})


def interview(day: date, roles: frozenset[str] = TEAM, customers: int = 1) -> TouchpointFact:
    return TouchpointFact(date=day, kind="interview", customers=customers, member_roles=roles)


def cadence(facts, start, end, today=None):
    return team_cadence(1, "Checkout", facts, start=start, end=end, today=today or end)


# -- ISO weeks ------------------------------------------------------------------------------


def test_week_53_of_2020_runs_into_2021():
    # 31 Dec 2020 (Thursday) and 3 Jan 2021 (Sunday) are both in 2020-W53.
    assert iso_monday(date(2020, 12, 31)) == date(2020, 12, 28)
    assert iso_monday(date(2021, 1, 3)) == date(2020, 12, 28)
    assert iso_week_label(date(2020, 12, 28)) == "2020-W53"
    assert iso_week_label(iso_monday(date(2021, 1, 4))) == "2021-W01"


def test_week_1_of_2025_starts_on_30_december_2024():
    assert iso_monday(date(2025, 1, 1)) == date(2024, 12, 30)
    assert iso_week_label(date(2024, 12, 30)) == "2025-W01"
    assert iso_week_label(iso_monday(date(2024, 12, 29))) == "2024-W52"


def test_period_weeks_include_the_weeks_of_both_ends():
    weeks = iso_weeks(date(2020, 12, 31), date(2021, 1, 5))
    assert weeks == [date(2020, 12, 28), date(2021, 1, 4)]
    assert [iso_week_label(w) for w in weeks] == ["2020-W53", "2021-W01"]


def test_a_period_within_one_week_has_one_week():
    assert iso_weeks(date(2024, 12, 31), date(2025, 1, 5)) == [date(2024, 12, 30)]


def test_a_period_backwards_is_refused():
    with pytest.raises(ValueError):
        iso_weeks(date(2025, 1, 2), date(2025, 1, 1))
    with pytest.raises(ValueError, match="after its end"):
        resolve_period(date(2025, 1, 2), date(2025, 1, 1), date(2025, 3, 1))


def test_default_period_is_twelve_full_weeks_and_the_current_one():
    today = date(2025, 1, 8)  # Wednesday of 2025-W02
    start, end = default_period(today)
    assert end == today
    assert start == date(2024, 10, 14)  # Monday, 12 weeks before 6 Jan 2025
    assert len(iso_weeks(start, end)) == 13
    assert resolve_period(None, None, today) == (start, end)
    assert resolve_period(None, date(2025, 1, 1), today)[0] == date(2024, 10, 7)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_iso_monday_agrees_with_isocalendar(day):
    monday = iso_monday(day)
    assert monday.weekday() == 0
    assert monday.isocalendar()[:2] == day.isocalendar()[:2]


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(min_value=0, max_value=800),
)
def test_every_period_week_is_a_distinct_iso_week(start, days):
    end = start + timedelta(days=days)
    weeks = iso_weeks(start, end)
    labels = [w.isocalendar()[:2] for w in weeks]
    assert len(set(labels)) == len(labels)
    assert labels[0] == start.isocalendar()[:2] and labels[-1] == end.isocalendar()[:2]


# -- counting weeks -------------------------------------------------------------------------


def test_weeks_across_the_2020_2021_boundary_count_once():
    facts = [
        interview(date(2020, 12, 31)),
        interview(date(2021, 1, 2)),
        interview(date(2021, 1, 4)),
    ]
    result = cadence(facts, date(2020, 12, 21), date(2021, 1, 10))
    assert result.weeks == [(date(2020, 12, 21), 0), (date(2020, 12, 28), 2), (date(2021, 1, 4), 1)]
    assert result.weekly_share == pytest.approx(2 / 3)
    assert result.current_streak == 2
    assert result.longest_streak == 2


def test_week_1_of_2025_holds_30_december_2024():
    facts = [interview(date(2024, 12, 30)), interview(date(2025, 1, 6))]
    result = cadence(facts, date(2024, 12, 23), date(2025, 1, 12))
    assert [count for _, count in result.weeks] == [0, 1, 1]
    assert result.current_streak == 2


def test_only_customer_touchpoints_by_the_team_count():
    day = date(2025, 3, 5)
    facts = [
        TouchpointFact(date=day, kind="data_review", member_roles=TEAM),  # no customer met
        TouchpointFact(date=day, kind="survey_review", member_roles=TEAM),
        TouchpointFact(date=day, kind="interview", member_roles=frozenset()),  # nobody of the team
    ]
    result = cadence(facts, date(2025, 3, 3), date(2025, 3, 9))
    assert result.weeks == [(date(2025, 3, 3), 0)]
    assert result.weekly_share == 0
    assert result.touchpoints == 3  # still the team's touchpoints
    assert result.silent


def test_touchpoints_outside_the_period_are_left_out():
    facts = [interview(date(2025, 3, 2)), interview(date(2025, 3, 10))]
    # The period starts on Wednesday 5 March: Monday 3 March's week is in, the 2nd is not.
    result = cadence(facts, date(2025, 3, 5), date(2025, 3, 9))
    assert result.weeks == [(date(2025, 3, 3), 0)]
    assert result.touchpoints == 0 and result.last_date is None and result.trio_share is None


# -- streaks --------------------------------------------------------------------------------


def test_runs():
    assert longest_run([]) == 0
    assert longest_run([True, True, False, True]) == 2
    assert trailing_run([True, False, True, True]) == 2
    assert trailing_run([True, True, False]) == 0


def test_a_running_week_without_a_touchpoint_yet_does_not_break_the_streak():
    start = date(2025, 1, 6)  # Monday
    facts = [interview(start + timedelta(weeks=n)) for n in range(3)]
    today = date(2025, 1, 28)  # Tuesday of the fourth week, nothing yet
    result = cadence(facts, start, today, today=today)
    assert [count for _, count in result.weeks] == [1, 1, 1, 0]
    assert result.current_streak == 3
    assert result.longest_streak == 3
    assert result.weekly_share == pytest.approx(3 / 4)
    assert result.running_week == date(2025, 1, 27)


def test_a_finished_empty_last_week_ends_the_streak():
    start = date(2025, 1, 6)
    facts = [interview(start + timedelta(weeks=n)) for n in range(3)]
    end = date(2025, 2, 2)  # Sunday of the fourth week, which is over
    result = cadence(facts, start, end, today=date(2025, 3, 1))
    assert result.running_week is None
    assert result.current_streak == 0
    assert result.longest_streak == 3


def test_the_longest_streak_can_be_an_earlier_one():
    start = date(2024, 12, 2)
    counted = [0, 1, 2, 3, 5, 6]  # weeks with an interview; week 4 is empty
    facts = [interview(start + timedelta(weeks=n, days=2)) for n in counted]
    result = cadence(facts, start, start + timedelta(weeks=6, days=6), today=date(2025, 6, 1))
    assert [iso_week_label(m) for m, _ in result.weeks][3:6] == ["2024-W52", "2025-W01", "2025-W02"]
    assert result.longest_streak == 4
    assert result.current_streak == 2
    assert result.weekly_share == pytest.approx(6 / 7)


def test_a_streak_across_week_53():
    facts = [
        interview(date(2020, 12, 22)),
        interview(date(2021, 1, 1)),
        interview(date(2021, 1, 5)),
    ]
    result = cadence(facts, date(2020, 12, 21), date(2021, 1, 6), today=date(2021, 1, 6))
    assert result.current_streak == 3


# -- trio, counts, silence ------------------------------------------------------------------


def test_trio_share_needs_product_design_and_engineering():
    day = date(2025, 5, 6)
    facts = [
        interview(day, TRIO),
        interview(day, frozenset({PM, "designer", "engineer"})),
        interview(day, frozenset({PM, DESIGN})),
        TouchpointFact(date=day, kind="data_review", member_roles=frozenset({PM, "analyst"})),
    ]
    result = cadence(facts, day, day)
    assert result.trio_share == pytest.approx(2 / 4)
    assert result.trio_touchpoints == 2


def test_counts_customers_and_last_date():
    facts = [interview(date(2025, 5, 6), customers=3), interview(date(2025, 5, 14), customers=2)]
    result = cadence(facts, date(2025, 5, 1), date(2025, 5, 31))
    assert (result.touchpoints, result.customers, result.last_date) == (2, 5, date(2025, 5, 14))


def test_silent_after_28_days_without_a_counting_touchpoint():
    end = date(2025, 3, 31)
    # 4 March is exactly 28 days up to the 31st (end included): not silent yet.
    assert not cadence([interview(date(2025, 3, 4))], date(2025, 3, 20), end).silent
    assert cadence([interview(date(2025, 3, 3))], date(2025, 3, 20), end).silent
    # the look-back reaches before the period's start
    looked_back = cadence([interview(date(2025, 3, 4))], date(2025, 3, 30), end)
    assert looked_back.weekly_share == 0 and not looked_back.silent
    # a touchpoint after the end does not make the period talkative
    assert cadence([interview(date(2025, 4, 2))], date(2025, 3, 20), end).silent


def test_a_team_without_touchpoints():
    result = cadence([], date(2025, 1, 1), date(2025, 1, 31))
    assert result.weekly_share == 0 and result.current_streak == 0 and result.longest_streak == 0
    assert result.trio_share is None and result.silent and result.last_date is None
    assert result.week_count == 5  # 2025-W01 (from 30 Dec) to 2025-W05


@given(
    st.lists(st.tuples(st.integers(min_value=0, max_value=120), st.booleans()), max_size=40),
    st.integers(min_value=0, max_value=120),
)
def test_shares_and_streaks_stay_within_bounds(entries, length):
    start = date(2024, 11, 15)
    end = start + timedelta(days=length)
    facts = [
        TouchpointFact(
            date=start + timedelta(days=d),
            kind="interview",
            member_roles=TEAM if mine else frozenset(),
        )
        for d, mine in entries
    ]
    result = cadence(facts, start, end, today=end)
    assert 0 <= result.weekly_share <= 1
    assert (
        result.current_streak <= result.longest_streak <= result.counted_weeks <= result.week_count
    )
    assert sum(count for _, count in result.weeks) == sum(
        1 for d, mine in entries if mine and d <= length
    )
