"""Cadence arithmetic on hand-computed cases: no database involved.

The calendar used throughout: 1 January 2024 is a Monday, and 2024 is a leap year.
"""

from __future__ import annotations

from datetime import date

import pytest

from productops.coaching.cadence import (
    GRACE_DAYS,
    Health,
    LoadRow,
    PersonRow,
    SeriesFact,
    add_months,
    assess_series,
    expected_meetings,
    health_counts,
    manager_loads,
    planned_date,
    reports_that_fit,
    weekly_hours,
)
from productops.org.audit import AuditThresholds, OrgSnapshot, PersonFact, audit_org

D = date
NEW_YEAR = D(2024, 1, 1)


def series(
    cadence: str = "weekly",
    start: date = NEW_YEAR,
    *,
    last_held: date | None = None,
    held: int = 0,
    active: bool = True,
) -> SeriesFact:
    return SeriesFact(
        id=1,
        lead_id=10,
        lead_name="Marco Manager",
        report_id=20,
        report_name="Priya PM",
        kind="manager",
        cadence=cadence,
        duration_minutes=30,
        start_date=start,
        active=active,
        last_held=last_held,
        held=held,
    )


# -- planned dates -------------------------------------------------------------------------


def test_a_month_later_is_the_same_day_or_the_months_last() -> None:
    assert add_months(D(2024, 1, 15), 1) == D(2024, 2, 15)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)  # leap year
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 1, 31), 2) == D(2024, 3, 31)  # not 29 March: from the anchor
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert add_months(D(2024, 12, 15), 1) == D(2025, 1, 15)


def test_planned_dates_per_cadence() -> None:
    assert planned_date(D(2024, 1, 1), "weekly", 3) == D(2024, 1, 22)
    assert planned_date(D(2024, 1, 1), "fortnightly", 3) == D(2024, 2, 12)
    assert [planned_date(D(2024, 1, 31), "monthly", i) for i in range(4)] == [
        D(2024, 1, 31),
        D(2024, 2, 29),
        D(2024, 3, 31),
        D(2024, 4, 30),
    ]


# -- expected and missed -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2024, 1, 1), 0),  # the first 1:1 is today
        (D(2024, 1, 4), 0),  # three days late is still within the grace
        (D(2024, 1, 5), 1),  # four days late: it was missed or held
        (D(2024, 1, 11), 1),  # 8 January is within its grace
        (D(2024, 1, 12), 2),
        (D(2023, 12, 1), 0),  # a series that has not started yet
    ],
)
def test_weekly_expected_meetings_around_the_grace(today: date, expected: int) -> None:
    assert GRACE_DAYS == 3
    assert expected_meetings(D(2024, 1, 1), "weekly", today=today) == expected


def test_fortnightly_counts_every_second_week() -> None:
    # planned 1, 15 and 29 January; by 1 February only the first two are past their grace
    assert expected_meetings(D(2024, 1, 1), "fortnightly", today=D(2024, 2, 1)) == 2
    assert expected_meetings(D(2024, 1, 1), "fortnightly", today=D(2024, 2, 2)) == 3


def test_monthly_counts_calendar_months_with_short_months_clamped() -> None:
    # planned 31 Jan, 29 Feb, 31 Mar: 29 Feb is past its grace from 4 March on
    assert expected_meetings(D(2024, 1, 31), "monthly", today=D(2024, 3, 3)) == 1
    assert expected_meetings(D(2024, 1, 31), "monthly", today=D(2024, 3, 4)) == 2
    # a year of monthly 1:1s from 15 January 2024, seen on 20 January 2025: 13 planned
    assert expected_meetings(D(2024, 1, 15), "monthly", today=D(2025, 1, 20)) == 13


def test_a_chosen_period_start_counts_only_the_planned_dates_from_it() -> None:
    # weekly from 1 Jan: planned 1, 8, 15, 22, 29 Jan; by 1 Feb the 29th is in its grace
    assert expected_meetings(D(2024, 1, 1), "weekly", today=D(2024, 2, 1)) == 4
    assert (
        expected_meetings(D(2024, 1, 1), "weekly", today=D(2024, 2, 1), since=D(2024, 1, 10)) == 2
    )
    # a period starting on a planned date includes it
    assert (
        expected_meetings(D(2024, 1, 1), "weekly", today=D(2024, 2, 1), since=D(2024, 1, 15)) == 2
    )
    assert (
        expected_meetings(D(2024, 1, 1), "weekly", today=D(2024, 2, 1), since=D(2024, 1, 16)) == 1
    )
    # a period before the start changes nothing
    assert expected_meetings(D(2024, 1, 1), "weekly", today=D(2024, 2, 1), since=D(2023, 6, 1)) == 4


def test_missed_is_expected_minus_held_never_below_zero() -> None:
    health = assess_series(series(last_held=D(2024, 1, 8), held=2), today=D(2024, 1, 20))
    assert (health.expected, health.missed) == (3, 1)  # 1, 8 and 15 January were due
    keen = assess_series(series(last_held=D(2024, 1, 19), held=5), today=D(2024, 1, 20))
    assert keen.missed == 0


# -- days since, overdue, lapsed -----------------------------------------------------------


def test_days_since_the_last_held_one_on_one() -> None:
    assert (
        assess_series(series(last_held=D(2024, 1, 8), held=2), today=D(2024, 1, 20)).days_since_last
        == 12
    )
    assert assess_series(series(), today=D(2024, 1, 20)).days_since_last is None


@pytest.mark.parametrize(
    ("today", "health"),
    [
        (D(2024, 1, 18), Health.HEALTHY),  # next due 15 Jan, three days of grace
        (D(2024, 1, 19), Health.OVERDUE),
        (D(2024, 1, 22), Health.OVERDUE),  # exactly two intervals since 8 Jan
        (D(2024, 1, 23), Health.LAPSED),  # more than two intervals
    ],
)
def test_weekly_series_turns_overdue_then_lapsed(today: date, health: Health) -> None:
    result = assess_series(series(last_held=D(2024, 1, 8), held=2), today=today)
    assert result.next_due == D(2024, 1, 15)
    assert result.health is health
    assert result.overdue is (health is not Health.HEALTHY)
    assert result.lapsed is (health is Health.LAPSED)


def test_a_series_never_held_counts_from_its_start() -> None:
    assert assess_series(series(), today=D(2024, 1, 4)).health is Health.HEALTHY
    assert assess_series(series(), today=D(2024, 1, 5)).health is Health.OVERDUE
    assert assess_series(series(), today=D(2024, 1, 15)).health is Health.OVERDUE
    never = assess_series(series(), today=D(2024, 1, 16))
    assert never.health is Health.LAPSED
    assert (never.expected, never.missed, never.overdue_days) == (2, 2, 15)


def test_monthly_lapses_after_two_calendar_months() -> None:
    fact = series("monthly", D(2023, 12, 31), last_held=D(2024, 1, 31), held=2)
    assert assess_series(fact, today=D(2024, 3, 3)).health is Health.HEALTHY  # due 29 Feb
    assert assess_series(fact, today=D(2024, 3, 4)).health is Health.OVERDUE
    assert assess_series(fact, today=D(2024, 3, 31)).health is Health.OVERDUE
    assert assess_series(fact, today=D(2024, 4, 1)).health is Health.LAPSED


def test_a_fortnightly_series_has_two_weeks_before_it_is_overdue() -> None:
    fact = series("fortnightly", last_held=D(2024, 1, 15), held=2)
    assert assess_series(fact, today=D(2024, 2, 1)).health is Health.HEALTHY  # due 29 Jan + 3
    assert assess_series(fact, today=D(2024, 2, 2)).health is Health.OVERDUE
    assert assess_series(fact, today=D(2024, 2, 13)).health is Health.LAPSED


def test_an_ended_series_is_never_overdue_or_lapsed() -> None:
    result = assess_series(series(active=False), today=D(2025, 1, 1))
    assert result.health is Health.ENDED
    assert not result.overdue and not result.lapsed


def test_a_series_starting_later_is_on_cadence() -> None:
    result = assess_series(series(start=D(2024, 2, 1)), today=D(2024, 1, 20))
    assert (result.health, result.expected, result.next_due, result.overdue_days) == (
        Health.HEALTHY,
        0,
        D(2024, 2, 1),
        0,
    )


def test_counts_by_health_name_every_status() -> None:
    rows = [
        assess_series(series(), today=D(2024, 1, 2)),
        assess_series(series(), today=D(2024, 2, 1)),
        assess_series(series(active=False), today=D(2024, 2, 1)),
    ]
    assert health_counts(rows) == {"lapsed": 1, "overdue": 0, "healthy": 1, "ended": 1}


# -- a manager's week ----------------------------------------------------------------------


def test_weekly_hours_per_cadence() -> None:
    assert weekly_hours([LoadRow(1, 2, "weekly", 30)]) == 0.5
    assert weekly_hours([LoadRow(1, 2, "fortnightly", 60)]) == 0.5
    assert weekly_hours([LoadRow(1, 2, "monthly", 52)]) == pytest.approx(0.2)  # 52/60 × 12/52
    assert weekly_hours([LoadRow(1, 2, "monthly", 60)]) == pytest.approx(12 / 52)


MARCO, PRIYA, PAUL, DANA, HANA = 1, 2, 3, 4, 5
PEOPLE = [
    PersonRow(HANA, "Hana Head", None),
    PersonRow(MARCO, "Marco Manager", HANA),
    PersonRow(PRIYA, "Priya PM", MARCO),
    PersonRow(PAUL, "Paul PM", MARCO),
    PersonRow(DANA, "Dana Designer", HANA),
]


def test_a_managers_load_and_the_reports_without_a_series() -> None:
    series_rows = [
        LoadRow(MARCO, PRIYA, "weekly", 45),
        LoadRow(MARCO, DANA, "monthly", 60),  # Marco coaches Dana
        LoadRow(HANA, MARCO, "fortnightly", 60),
    ]
    loads = {load.name: load for load in manager_loads(PEOPLE, series_rows, AuditThresholds())}
    marco = loads["Marco Manager"]
    assert marco.hours_per_week == pytest.approx(0.75 + 12 / 52)
    assert (marco.series_count, marco.direct_reports, marco.budget_hours) == (2, 2, 8.0)
    assert [p.name for p in marco.reports_without_series] == ["Paul PM"]
    hana = loads["Hana Head"]
    assert hana.hours_per_week == 0.5
    assert [p.name for p in hana.reports_without_series] == ["Dana Designer"]
    assert not marco.over_budget and not marco.too_many_reports
    assert set(loads) == {"Marco Manager", "Hana Head"}  # the PMs manage no one


def test_over_budget_when_the_hours_exceed_the_share_of_the_week() -> None:
    limits = AuditThresholds(one_on_one_share=0.1, week_hours=40)  # 4 hours
    people = [PersonRow(100, "Boss", None)] + [PersonRow(i, f"R{i}", 100) for i in range(9)]
    eight = [LoadRow(100, i, "weekly", 30) for i in range(8)]
    (load,) = manager_loads(people, eight, limits)
    assert (load.hours_per_week, load.over_budget, load.share_of_budget) == (4.0, False, 1.0)
    (load,) = manager_loads(people, [*eight, LoadRow(100, 8, "weekly", 30)], limits)
    assert (load.hours_per_week, load.over_budget) == (4.5, True)
    assert (load.fits, load.too_many_reports) == (8, True)  # nine reports, eight fit


def test_heaviest_load_first_and_a_scope_keeps_only_its_managers() -> None:
    series_rows = [LoadRow(MARCO, PRIYA, "weekly", 30), LoadRow(HANA, MARCO, "weekly", 60)]
    loads = manager_loads(PEOPLE, series_rows, AuditThresholds())
    assert [load.name for load in loads] == ["Hana Head", "Marco Manager"]
    scoped = manager_loads(PEOPLE, series_rows, AuditThresholds(), scope={MARCO, PRIYA})
    assert [load.name for load in scoped] == ["Marco Manager"]


@pytest.mark.parametrize(
    ("share", "week", "minutes"),
    [(0.2, 40, 30), (0.1, 40, 30), (0.29, 50, 30), (0.15, 37.5, 45), (0.33, 40, 20)],
)
def test_what_fits_agrees_with_the_audits_one_on_one_finding(
    share: float, week: float, minutes: int
) -> None:
    limits = AuditThresholds(one_on_one_share=share, week_hours=week, one_on_one_minutes=minutes)
    fits = reports_that_fit(limits)
    assert fits is not None

    def audit_flags(reports: int) -> bool:
        boss = PersonFact(1, "Boss", "b@x.test", "product", "", None)
        staff = [
            PersonFact(10 + i, f"R{i}", f"r{i}@x.test", "product", "", 1) for i in range(reports)
        ]
        result = audit_org(OrgSnapshot(people=[boss, *staff], teams=[]), limits)
        return any(f.rule == "one_on_one_load" for f in result.findings)

    assert not audit_flags(fits)
    assert audit_flags(fits + 1)


def test_with_no_minutes_per_one_on_one_any_number_fits() -> None:
    assert reports_that_fit(AuditThresholds(one_on_one_minutes=0)) is None
