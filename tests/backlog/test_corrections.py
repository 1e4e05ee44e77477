"""Reclassifying in bulk, and a person's correction winning over the rules and the model."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from productops.backlog.actions import do_clear_correction, do_correct, do_reclassify
from productops.backlog.models import Correction, Item, SetBy
from tests.cast import Cast, build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return build_cast()


def item(key: str, title: str, **fields) -> Item:
    return Item.objects.create(source="jira", key=key, title=title, **fields)


def test_reclassify_fills_in_labels_and_reasons(cast: Cast) -> None:
    deal = item("SHOP-1", "SSO for the ACME deal", type="feature", reporter_person=cast.otto)
    assert do_reclassify() == 1
    deal.refresh_from_db()
    assert deal.origin == "sales"
    assert deal.origin_set_by == SetBy.RULES
    assert {
        "label": "sales",
        "weight": 3.0,
        "text": "reporter Otto Outsider is in sales",
    } in deal.origin_reasons
    assert deal.kind == "new_value"


def test_reclassify_is_idempotent() -> None:
    item("SHOP-1", "Refactor checkout")
    item("SHOP-2", "Users can't pay with PayPal", type="bug")
    assert do_reclassify() == 2
    assert do_reclassify() == 0
    assert do_reclassify([Item.objects.get(key="SHOP-2").pk]) == 0


def test_only_the_items_named_are_reclassified() -> None:
    one = item("SHOP-1", "Refactor checkout")
    two = item("SHOP-2", "Refactor search")
    assert do_reclassify([two.pk]) == 1
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.kind, two.kind) == ("unknown", "tech_debt")


def test_reclassify_costs_a_few_queries_per_chunk_however_many_items() -> None:
    Item.objects.bulk_create(
        Item(source="jira", key=f"SHOP-{n}", title=f"Upgrade library {n}") for n in range(300)
    )
    with CaptureQueriesContext(connection) as few:
        do_reclassify(Item.objects.values_list("pk", flat=True)[:10])
    Item.objects.update(kind="unknown", kind_reasons=[])
    with CaptureQueriesContext(connection) as many:
        do_reclassify()
    assert len(many) <= len(few) + 1  # + the query listing every id
    assert Item.objects.filter(kind="ktlo").count() == 300


def test_a_correction_wins_and_says_who_made_it(cast: Cast) -> None:
    deal = item("SHOP-1", "SSO for the ACME deal", reporter_person=cast.otto)
    do_reclassify()
    corrected = do_correct(cast.marco_user, deal, "origin", "customer")
    assert corrected.origin == "customer"
    assert corrected.origin_set_by == SetBy.CORRECTION
    first = corrected.origin_reasons[0]
    assert first["text"].startswith("corrected by marco on ")
    # the rules' reasons stay visible below the correction
    assert "reporter Otto Outsider is in sales" in [r["text"] for r in corrected.origin_reasons]
    # reclassifying again keeps the correction
    do_reclassify()
    deal.refresh_from_db()
    assert (deal.origin, deal.origin_set_by) == ("customer", SetBy.CORRECTION)
    assert deal.kind_set_by == SetBy.RULES


def test_correcting_again_replaces_the_correction(cast: Cast) -> None:
    thing = item("SHOP-1", "Thing")
    do_correct(cast.hana_user, thing, "kind", "support")
    do_correct(cast.marco_user, thing, "kind", "quality")
    assert Correction.objects.get().label == "quality"
    thing.refresh_from_db()
    assert thing.kind == "quality"
    assert thing.kind_reasons[0]["text"].startswith("corrected by marco")


def test_a_dimension_marked_corrected_is_never_overwritten_by_the_rules() -> None:
    odd = item("SHOP-1", "Refactor", kind="enhancement", kind_set_by=SetBy.CORRECTION)
    do_reclassify()
    odd.refresh_from_db()
    assert odd.kind == "enhancement"


def test_clearing_a_correction_hands_the_label_back_to_the_rules(cast: Cast) -> None:
    deal = item("SHOP-1", "SSO for the ACME deal")
    do_correct(cast.hana_user, deal, "origin", "customer")
    cleared = do_clear_correction(cast.hana_user, deal, "origin")
    assert (cleared.origin, cleared.origin_set_by) == ("sales", SetBy.RULES)
    assert not Correction.objects.exists()


def test_members_and_viewers_cannot_correct(cast: Cast) -> None:
    thing = item("SHOP-1", "Thing")
    for user in (cast.priya_user, cast.vera_user):
        with pytest.raises(PermissionDenied):
            do_correct(user, thing, "origin", "sales")
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    ("dimension", "label", "message"),
    [
        ("mood", "happy", "'mood' is not a dimension"),
        ("origin", "quality", "'quality' is not a label for origin"),
        ("framing", "customer", "'customer' is not a label for framing"),
    ],
)
def test_a_label_must_fit_its_dimension(
    cast: Cast, dimension: str, label: str, message: str
) -> None:
    thing = item("SHOP-1", "Thing")
    with pytest.raises(ValidationError, match=message):
        do_correct(cast.hana_user, thing, dimension, label)
    assert not Correction.objects.exists()


def test_an_org_mapping_named_in_the_environment_is_used(tmp_path, monkeypatch) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("origin_labels:\n  big-deal: sales\n")
    monkeypatch.setenv("PRODUCTOPS_BACKLOG_MAPPING", str(mapping))
    deal = item("SHOP-1", "Whatever", labels=["big-deal"])
    do_reclassify()
    deal.refresh_from_db()
    assert deal.origin == "sales"
    assert deal.origin_reasons[0]["text"] == "label 'big-deal' maps to sales"
