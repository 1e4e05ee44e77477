"""Writing objectives, links and rules: who may, and what is refused with which sentence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from productops.strategy.actions import (
    do_add_rule,
    do_link_items,
    do_save_objective,
    split_keys,
)
from productops.strategy.models import ObjectiveLink
from tests.cast import build_cast
from tests.strategy.alignment_story import build_story, item

pytestmark = pytest.mark.django_db

Q1 = {"period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 3, 31)}


@pytest.fixture
def cast():
    return build_cast()


@pytest.fixture
def story(cast):
    return build_story(cast)


def test_a_company_objective_serves_nothing(cast, story) -> None:
    with pytest.raises(ValidationError) as problem:
        do_save_objective(
            cast.hana_user, None, level="company", title="Top", parent=story.company, **Q1
        )
    assert (
        "A company objective serves no other objective" in problem.value.message_dict["parent"][0]
    )


def test_a_product_objective_serves_a_company_one_only(cast, story) -> None:
    with pytest.raises(ValidationError) as problem:
        do_save_objective(
            cast.marco_user, None, level="product", title="Sub", parent=story.search, **Q1
        )
    assert "“Better search” is a product objective" in problem.value.message_dict["parent"][0]


def test_turning_a_company_objective_into_a_product_one_frees_those_beneath(cast, story) -> None:
    do_save_objective(cast.hana_user, story.company, level="product", title="Now a product", **Q1)
    story.checkout.refresh_from_db()
    assert story.checkout.parent is None


@pytest.mark.parametrize("who", ["priya_user", "vera_user"])
def test_members_and_viewers_are_refused(cast, story, who) -> None:
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied, match="Only admins and managers"):
        do_save_objective(user, None, level="company", title="Mine", **Q1)
    with pytest.raises(PermissionDenied):
        do_link_items(user, story.loyalty, "SHOP-7")
    with pytest.raises(PermissionDenied):
        do_add_rule(user, story.loyalty, kind="label", value="x")


def test_a_key_in_two_sources_links_both_and_relinking_changes_nothing(cast, story) -> None:
    item("SHOP-7", "todo", source="github")
    links = do_link_items(cast.marco_user, story.loyalty, "SHOP-7,SHOP-7")
    assert sorted(link.item.source for link in links) == ["github", "jira"]
    assert do_link_items(cast.marco_user, story.loyalty, ["SHOP-7"]) == []
    assert ObjectiveLink.objects.filter(objective=story.loyalty).count() == 2


def test_no_key_at_all_says_to_give_one(cast, story) -> None:
    with pytest.raises(ValidationError, match="Give the key of at least one"):
        do_link_items(cast.hana_user, story.loyalty, " , ")


def test_a_rule_value_is_trimmed_and_kept_once(cast, story) -> None:
    rule = do_add_rule(cast.hana_user, story.loyalty, kind="label", value="  loyalty ")
    assert rule.value == "loyalty"
    with pytest.raises(ValidationError, match="already has a rule for the label loyalty"):
        do_add_rule(cast.hana_user, story.loyalty, kind="label", value="loyalty")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="ABCZ-0123 ,", max_size=8), max_size=6))
def test_split_keys_keeps_each_key_once_in_order_without_separators(parts) -> None:
    keys = split_keys(" ".join(parts))
    assert len(keys) == len(set(keys))
    assert all(key and " " not in key and "," not in key for key in keys)
