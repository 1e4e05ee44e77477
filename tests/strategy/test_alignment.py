"""Alignment worked out by hand on a small backlog (see alignment_story.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from productops.backlog.models import Item
from productops.strategy import alignment
from productops.strategy.models import AlignmentRule, ObjectiveLink
from tests.cast import build_cast
from tests.strategy.alignment_story import Q1, at, build_story, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return build_story(build_cast())


def by_title(result: alignment.Alignment) -> dict[str, alignment.ObjectiveAlignment]:
    return {o.title: o for o in result.objectives}


def test_the_shares_count_what_was_worked_out_by_hand(story) -> None:
    result = alignment.compute_alignment(*Q1)
    assert (result.in_progress, result.in_progress_aligned) == (6, 3)
    assert (result.done, result.done_aligned) == (4, 3)
    assert result.in_progress_share == 0.5
    assert result.done_share == 0.75
    assert alignment.share_text(result.done_share) == "75%"


def test_each_objective_counts_its_items_and_how_they_trace(story) -> None:
    objectives = by_title(alignment.compute_alignment(*Q1))
    checkout = objectives["Faster checkout"]
    # SHOP-1, SHOP-2 in progress; SHOP-3 (hand and label), SHOP-4 (label) done
    assert (checkout.in_progress, checkout.done) == (2, 2)
    assert (checkout.by_hand, checkout.by_label, checkout.by_epic) == (3, 2, 0)
    search = objectives["Better search"]
    assert (search.in_progress, search.done) == (1, 1)
    assert (search.by_hand, search.by_label, search.by_epic) == (0, 0, 2)


def test_a_company_objective_counts_the_work_of_the_product_objectives_serving_it(story) -> None:
    company = by_title(alignment.compute_alignment(*Q1))["Grow repeat purchases"]
    assert (company.in_progress, company.done) == (2, 2)
    assert (company.by_hand, company.by_label) == (3, 2)


def test_objectives_outside_the_period_neither_show_nor_align(story) -> None:
    result = alignment.compute_alignment(*Q1)
    assert "Old cleanup" not in by_title(result)
    assert "SHOP-30" in [i.key for i in result.unaligned]


def test_objectives_without_work_and_the_unaligned_items_in_order(story) -> None:
    result = alignment.compute_alignment(*Q1)
    assert [o.title for o in result.objectives_without_work] == ["Loyalty programme"]
    assert [(i.key, i.state) for i in result.unaligned] == [
        ("SHOP-30", "in_progress"),
        ("SHOP-7", "in_progress"),
        ("SHOP-9", "in_progress"),
        ("SRCH-3", "done"),
    ]
    first = result.unaligned[0]
    assert (first.title, first.status, first.project) == ("Work on SHOP-30", "In Progress", "Shop")


def test_an_epic_mapped_by_hand_maps_its_children_of_the_same_source_only(story) -> None:
    result = alignment.compute_alignment(*Q1)
    unaligned = {i.key for i in result.unaligned}
    assert "SHOP-2" not in unaligned
    assert "SHOP-9" in unaligned  # GitHub's SHOP-9 names a Jira epic's key


def test_the_period_moves_the_done_work_but_not_the_work_in_progress(story) -> None:
    april = alignment.compute_alignment(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    # SHOP-5 done on April 1st, label checkout; but no objective covers April
    assert (april.done, april.done_aligned) == (1, 0)
    assert april.in_progress == 6 and april.in_progress_aligned == 0
    assert april.objectives == []
    february = alignment.compute_alignment(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert (february.done, february.done_aligned) == (1, 1)  # SHOP-3 (SHOP-6 is won't do)


def test_a_label_rule_ignores_case_and_an_epic_rule_maps_the_epic_itself(story) -> None:
    AlignmentRule.objects.create(objective=story.loyalty, kind="label", value="LOYALTY")
    AlignmentRule.objects.create(objective=story.loyalty, kind="epic", value="SHOP-7")
    item("SHOP-40", "in_progress", labels=["loyalty", "other"])
    item("SHOP-41", "done", epic_key="SHOP-7", resolved=at("2026-03-01"))
    loyalty = by_title(alignment.compute_alignment(*Q1))["Loyalty programme"]
    # SHOP-40 by label; SHOP-7 (the epic itself) and SHOP-41 (under it) by epic
    assert (loyalty.in_progress, loyalty.done) == (2, 1)
    assert (loyalty.by_label, loyalty.by_epic) == (1, 2)


def test_an_item_mapped_twice_counts_once_in_the_shares(story) -> None:
    ObjectiveLink.objects.create(objective=story.search, item=story.items["SHOP-4"])
    result = alignment.compute_alignment(*Q1)
    assert (result.done, result.done_aligned) == (4, 3)
    assert by_title(result)["Better search"].done == 2


def test_nothing_to_share_is_a_dash_not_a_division_by_zero() -> None:
    result = alignment.compute_alignment(*Q1)
    assert result.in_progress_share is None and result.done_share is None
    assert alignment.share_text(None) == "—"


def test_a_constant_number_of_queries_however_many_items(story, django_assert_num_queries) -> None:
    with django_assert_num_queries(4):
        alignment.compute_alignment(*Q1)
    Item.objects.bulk_create(
        Item(
            source="jira",
            key=f"BULK-{n}",
            title="bulk",
            status_category="in_progress",
            labels=["checkout"] if n % 2 else [],
        )
        for n in range(300)
    )
    with django_assert_num_queries(4):
        result = alignment.compute_alignment(*Q1)
    assert result.in_progress == 306 and result.in_progress_aligned == 153


def test_the_default_period_is_the_current_quarter() -> None:
    assert alignment.quarter_of(dt.date(2026, 11, 22)) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert alignment.quarter_of(dt.date(2026, 2, 28)) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert alignment.period_from(None, "", today=dt.date(2026, 5, 5)) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 6, 30),
    )


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_a_day_lies_inside_its_quarter_of_about_three_months(day: dt.date) -> None:
    start, end = alignment.quarter_of(day)
    assert start <= day <= end
    assert start.day == 1 and start.month in (1, 4, 7, 10)
    assert (end + dt.timedelta(days=1)).day == 1
    assert 89 <= (end - start).days + 1 <= 92


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ("2026-13-01", None, "The start “2026-13-01” is not a date"),
        (None, "yesterday", "The end “yesterday” is not a date"),
        ("2026-03-01", "2026-02-01", "before it starts"),
    ],
)
def test_bad_periods_say_what_to_write(start, end, words) -> None:
    with pytest.raises(ValidationError) as problem:
        alignment.period_from(start, end)
    assert words in problem.value.messages[0]
