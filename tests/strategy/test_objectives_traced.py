"""`alignment.objectives_traced`: the objectives a set of items traces to over a period,
by the same rules as the alignment page (see alignment_story.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from productops.strategy import alignment
from tests.cast import build_cast
from tests.strategy.alignment_story import Q1, build_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return build_story(build_cast())


def traced_titles(result: alignment.TracedObjectives, pk: int) -> set[str]:
    return {result.objectives[o].title for o in result.by_item.get(pk, {})}


def test_each_item_traces_as_the_alignment_page_traces_it(story) -> None:
    items = story.items
    asked = {items[k].pk for k in ("SHOP-2", "SHOP-3", "SRCH-1", "SHOP-7", "SHOP-9")}
    result = alignment.objectives_traced(asked, *Q1)
    # a child of a hand-mapped epic: its product objective and the company one it serves
    assert traced_titles(result, items["SHOP-2"].pk) == {
        "Faster checkout",
        "Grow repeat purchases",
    }
    assert result.by_item[items["SHOP-3"].pk][story.checkout.pk] == {
        alignment.HAND,
        alignment.LABEL,
    }
    assert traced_titles(result, items["SRCH-1"].pk) == {"Better search"}
    # untraced items are left out, and so is another source's child of the epic
    assert items["SHOP-7"].pk not in result.by_item
    assert items["SHOP-9"].pk not in result.by_item
    assert result.items_of(story.company.pk) == {items["SHOP-2"].pk, items["SHOP-3"].pk}


def test_objectives_outside_the_period_trace_nothing(story) -> None:
    shop30 = story.items["SHOP-30"].pk
    assert alignment.objectives_traced({shop30}, *Q1).by_item == {}
    autumn = alignment.objectives_traced({shop30}, dt.date(2025, 11, 1), dt.date(2025, 11, 30))
    assert traced_titles(autumn, shop30) == {"Old cleanup"}


def test_no_items_costs_no_query(story, django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        assert alignment.objectives_traced(set(), *Q1).by_item == {}


def test_four_queries_whatever_the_number_of_items(story, django_assert_num_queries) -> None:
    every = {i.pk for i in story.items.values()}
    with django_assert_num_queries(4):
        alignment.objectives_traced(every, *Q1)
