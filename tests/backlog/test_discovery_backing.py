"""Backlog work backed by discovery: linked to a solution of an opportunity solution tree.

An item is backed when it is linked to a solution, or its epic (same source) is. The
report gives the share of the work in progress that is backed, with a verdict sentence
only when there is work in progress; classification gains a "customer" origin reason
for a backed item, and linking or unlinking reclassifies the item and an epic's children.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from productops.accounts.actions import do_create_token
from productops.backlog.analysis.discovery import (
    DiscoveryBacking,
    backed_in_progress,
    discovery_sentence,
)
from productops.backlog.analysis.schema import items_frame
from productops.backlog.classification import ItemFacts, classify, load_mapping
from productops.backlog.models import Item
from productops.backlog.report import build_report
from productops.discovery import actions
from productops.discovery.backing import backing_solutions
from tests.cast import build_cast
from tests.discovery.tree_story import build_tree, item

SENTENCE = (
    "of the work in progress is backed by discovery (linked to a solution of an opportunity "
    "solution tree;"
)

# -- pure --------------------------------------------------------------------------------


def test_the_share_counts_in_progress_items_only() -> None:
    frame = items_frame(
        [
            {"id": 1, "status_category": "in_progress"},
            {"id": 2, "status_category": "in_progress"},
            {"id": 3, "status_category": "in_progress"},
            {"id": 4, "status_category": "in_progress"},
            {"id": 5, "status_category": "todo"},
            {"id": 6, "status_category": "done"},
        ]
    )
    backing = backed_in_progress(frame, {1, 5, 6})
    assert backing == DiscoveryBacking(in_progress=4, backed=1, share=0.25)
    assert discovery_sentence(backing) == f"25% {SENTENCE} 4 items in progress)."


def test_no_sentence_without_work_in_progress() -> None:
    frame = items_frame([{"id": 1, "status_category": "todo"}])
    backing = backed_in_progress(frame, {1})
    assert backing == DiscoveryBacking(0, 0, None)
    assert discovery_sentence(backing) is None


def test_a_backed_item_gets_a_customer_reason_with_the_discovery_weight() -> None:
    mapping = load_mapping()
    assert mapping.weights["discovery"] == 3.0
    plain = classify(ItemFacts(title="Add retry"), mapping)
    backed = classify(ItemFacts(title="Add retry", discovery_solution="Retry button"), mapping)
    assert plain.origin.label == "unknown"
    assert backed.origin.label == "customer"
    assert backed.origin.reasons[0] == {
        "label": "customer",
        "weight": 3.0,
        "text": "backed by discovery: solution 'Retry button'",
    }


# -- with the database -------------------------------------------------------------------


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.fixture
def tree(cast):
    return build_tree(cast.checkout)


@pytest.mark.django_db
def test_backed_directly_or_through_the_epic_of_the_same_source(cast, tree) -> None:
    epic = item("SHOP-1", type="epic")
    child = item("SHOP-2", epic_key="SHOP-1")
    stranger = item("SHOP-3", epic_key="SHOP-1", source="csv")  # another source's SHOP-1
    direct = item("SHOP-4")
    item("SHOP-5")
    tree.retry.items.add(epic, direct)
    assert backing_solutions() == {
        epic.pk: "Retry button",
        child.pk: "Retry button",
        direct.pk: "Retry button",
    }
    assert stranger.pk not in backing_solutions([stranger.pk])
    assert backing_solutions([child.pk]) == {child.pk: "Retry button"}
    assert backing_solutions([]) == {}


@pytest.mark.django_db
def test_linking_an_epic_reclassifies_it_and_its_children(cast, tree) -> None:
    epic = item("SHOP-1", type="epic")
    child = item("SHOP-2", epic_key="SHOP-1")
    actions.do_link_item(cast.priya_user, tree.retry, "SHOP-1")
    for linked in (epic, child):
        linked.refresh_from_db()
        assert linked.origin == "customer"
        assert linked.origin_reasons[0]["text"] == "backed by discovery: solution 'Retry button'"
    actions.do_save_solution(
        cast.priya_user, tree.declined, solution=tree.retry, title="Retry link"
    )
    child.refresh_from_db()
    assert child.origin_reasons[0]["text"] == "backed by discovery: solution 'Retry link'"
    actions.do_unlink_item(cast.priya_user, tree.retry, Item.objects.get(pk=epic.pk))
    child.refresh_from_db()
    assert child.origin == "unknown" and child.origin_reasons == []


@pytest.mark.django_db
def test_deleting_the_solution_takes_the_backing_away(cast, tree) -> None:
    shop = item("SHOP-1")
    actions.do_link_item(cast.priya_user, tree.retry, "SHOP-1")
    actions.do_delete_solution(cast.priya_user, tree.retry, children="delete")
    shop.refresh_from_db()
    assert shop.origin == "unknown"


@pytest.mark.django_db
def test_the_report_gives_the_share_and_the_sentence(cast, tree) -> None:
    epic = item("SHOP-1", type="epic", status_category="todo")
    item("SHOP-2", epic_key="SHOP-1")
    item("SHOP-3")
    item("SHOP-4")
    item("SHOP-5")
    item("SHOP-6", status_category="done")
    tree.retry.items.add(epic)
    report = build_report()
    assert report.discovery_backing == DiscoveryBacking(in_progress=4, backed=1, share=0.25)
    assert f"25% {SENTENCE} 4 items in progress)." in report.verdict
    data = report.as_dict()
    assert data["discovery_backing"] == {"in_progress": 4, "backed": 1, "share": 0.25}


@pytest.mark.django_db
def test_no_sentence_when_nothing_is_in_progress(cast, tree) -> None:
    item("SHOP-1", status_category="todo")
    report = build_report()
    assert report.discovery_backing.in_progress == 0
    assert not any(SENTENCE in sentence for sentence in report.verdict)


@pytest.mark.django_db
def test_the_page_and_the_api_show_the_measure(client, cast, tree) -> None:
    tree.retry.items.add(item("SHOP-1"))
    item("SHOP-2")
    client.force_login(cast.vera_user)  # an aggregate: viewers see it too
    page = client.get(reverse("backlog:report")).content.decode()
    assert "Work in progress backed by discovery" in page
    assert "1 of 2 items in progress is linked" in page
    assert f"50% {SENTENCE} 2 items in progress)." in page
    token = do_create_token(cast.vera_user, "script")[1]
    data = client.get("/api/backlog/report", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert data["discovery_backing"]["backed"] == 1
