"""The opportunity solution tree API, called with personal access tokens by each role."""

from __future__ import annotations

import json

import pytest

from productops.accounts.actions import do_create_token
from productops.backlog.models import Item
from productops.discovery.models import AssumptionTest, Opportunity, Solution, Touchpoint
from tests.discovery.tree_story import build_tree, item

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client, cast) -> None:
        self.client, self.cast = client, cast
        self.tokens = {
            name: do_create_token(getattr(cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco", "priya", "paul", "vera"]
        }
        self.base = f"/api/discovery/teams/{cast.checkout.pk}/tree"

    def call(self, who: str, method: str, path: str = "", body=None, **query):
        auth = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}
        url = self.base + path
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        if body is None:
            return getattr(self.client, method)(url, **auth)
        return getattr(self.client, method)(
            url, json.dumps(body), content_type="application/json", **auth
        )


@pytest.fixture
def tree(cast):
    return build_tree(cast.checkout)


@pytest.fixture
def api(client, cast):
    return Api(client, cast)


def test_without_a_token_the_api_says_401(client, cast, tree) -> None:
    assert client.get(f"/api/discovery/teams/{cast.checkout.pk}/tree").status_code == 401


@pytest.mark.parametrize(
    "who,edits", [("hana", True), ("marco", True), ("priya", True), ("paul", False)]
)
def test_readers_get_the_tree_as_nested_json(api, tree, who, edits) -> None:
    response = api.call(who, "get")
    assert response.status_code == 200
    data = response.json()
    assert data["can_edit"] is edits
    assert data["outcome"]["target"] == 70
    root = data["tree"]
    assert root["kind"] == "outcome"
    payment = root["children"][0]
    assert payment["title"] == "Payment fails"
    test = payment["children"][0]["children"][0]["children"][0]
    assert (test["kind"], test["status"]) == ("test", "running")
    assert data["tests_by_status"]["running"] == 1


def test_viewers_get_404(api, tree) -> None:
    assert api.call("vera", "get").status_code == 404
    assert api.call("vera", "post", "/opportunities", {"title": "x"}).status_code == 404


def test_a_member_of_another_team_gets_403(api, tree) -> None:
    response = api.call("paul", "post", "/opportunities", {"title": "Slow search"})
    assert response.status_code == 403 and "Checkout" in response.json()["detail"]
    assert not Opportunity.objects.filter(title="Slow search").exists()


def test_create_update_and_move_nodes(api, cast, tree) -> None:
    touchpoint = Touchpoint.objects.create(team=cast.checkout, kind="interview")
    created = api.call(
        "priya",
        "post",
        "/opportunities",
        {"title": "Coupons fail", "parent_id": tree.payment.pk, "touchpoint_ids": [touchpoint.pk]},
    )
    assert created.status_code == 201
    coupon = Opportunity.objects.get(pk=created.json()["id"])
    assert coupon.parent == tree.payment and list(coupon.touchpoints.all()) == [touchpoint]
    moved = api.call(
        "priya", "patch", f"/opportunities/{coupon.pk}", {"move": True, "parent_id": None}
    )
    assert moved.status_code == 200
    coupon.refresh_from_db()
    assert coupon.parent_id is None and coupon.title == "Coupons fail"
    solution = api.call(
        "priya", "post", "/solutions", {"opportunity_id": coupon.pk, "title": "Validate early"}
    )
    assert solution.status_code == 201
    test = api.call(
        "priya",
        "post",
        "/tests",
        {
            "solution_id": solution.json()["id"],
            "assumption": "Codes are typed",
            "status": "planned",
        },
    )
    assert test.status_code == 201
    assert (
        api.call(
            "priya", "patch", f"/tests/{test.json()['id']}", {"status": "supported"}
        ).status_code
        == 200
    )
    assert AssumptionTest.objects.get(pk=test.json()["id"]).status == "supported"


def test_cycles_and_bad_input_are_refused(api, cast, tree) -> None:
    cycle = api.call(
        "priya",
        "patch",
        f"/opportunities/{tree.payment.pk}",
        {"move": True, "parent_id": tree.declined.pk},
    )
    assert cycle.status_code == 422 and "loop" in cycle.json()["detail"]
    assert api.call("priya", "post", "/opportunities", {"title": "  "}).status_code == 422
    assert (
        api.call(
            "priya",
            "post",
            "/tests",
            {"solution_id": tree.retry.pk, "assumption": "x", "status": "maybe"},
        ).status_code
        == 422
    )
    assert (
        api.call(
            "priya", "post", "/solutions", {"opportunity_id": 999999, "title": "x"}
        ).status_code
        == 404
    )
    theirs = Touchpoint.objects.create(team=cast.search, kind="interview")
    evidence = api.call(
        "priya", "post", "/opportunities", {"title": "x", "touchpoint_ids": [theirs.pk]}
    )
    assert evidence.status_code == 422


def test_a_node_of_another_tree_is_404(api, cast, tree) -> None:
    other = build_tree(cast.search)
    assert (
        api.call("priya", "patch", f"/solutions/{other.retry.pk}", {"title": "x"}).status_code
        == 404
    )


def test_deleting_a_node_with_children_needs_the_choice(api, tree) -> None:
    refused = api.call("priya", "delete", f"/opportunities/{tree.payment.pk}")
    assert refused.status_code == 400
    assert "children=lift" in refused.json()["detail"] and "1 solutions" in refused.json()["detail"]
    assert Opportunity.objects.filter(pk=tree.payment.pk).exists()
    deleted = api.call("priya", "delete", f"/opportunities/{tree.payment.pk}", children="delete")
    assert deleted.status_code == 200
    assert deleted.json() == {
        "deleted": {"kind": "opportunity", "id": tree.payment.pk},
        "opportunities": 1,
        "solutions": 1,
        "tests": 1,
    }


def test_deleting_a_solution_lifting_its_tests(api, tree) -> None:
    other = Solution.objects.create(opportunity=tree.shipping, title="Show costs")
    assert api.call("priya", "delete", f"/solutions/{tree.retry.pk}").status_code == 400
    bad = api.call("priya", "delete", f"/solutions/{tree.retry.pk}", children="lift")
    assert bad.status_code == 422
    ok = api.call(
        "priya", "delete", f"/solutions/{tree.retry.pk}", children="lift", move_tests_to=other.pk
    )
    assert ok.status_code == 200 and other.tests.count() == 1
    assert api.call("priya", "delete", f"/tests/{tree.noticed.pk}").status_code == 200
    assert (
        api.call(
            "priya", "delete", f"/opportunities/{tree.shipping.pk}", children="sideways"
        ).status_code
        == 422
    )


def test_link_and_unlink_items(api, tree) -> None:
    shop = item("SHOP-12")
    assert (
        api.call(
            "priya", "post", f"/solutions/{tree.retry.pk}/items", {"key": "NOPE-1"}
        ).status_code
        == 422
    )
    linked = api.call("priya", "post", f"/solutions/{tree.retry.pk}/items", {"key": "SHOP-12"})
    assert linked.status_code == 201 and linked.json()["key"] == "SHOP-12"
    assert [
        i["key"] for i in api.call("paul", "get", f"/solutions/{tree.retry.pk}/items").json()
    ] == ["SHOP-12"]
    assert (
        api.call("paul", "delete", f"/solutions/{tree.retry.pk}/items/{shop.pk}").status_code == 403
    )
    assert (
        api.call("priya", "delete", f"/solutions/{tree.retry.pk}/items/{shop.pk}").status_code
        == 204
    )
    assert not Item.objects.get(pk=shop.pk).solutions.exists()


def test_an_ambiguous_key_asks_for_the_source(api, tree) -> None:
    item("SHOP-12", source="jira")
    item("SHOP-12", source="csv")
    ambiguous = api.call("priya", "post", f"/solutions/{tree.retry.pk}/items", {"key": "SHOP-12"})
    assert (
        ambiguous.status_code == 422
        and "Two sources have an item 'SHOP-12'" in ambiguous.json()["detail"]
    )
    assert (
        api.call(
            "priya", "post", f"/solutions/{tree.retry.pk}/items", {"key": "csv:SHOP-12"}
        ).status_code
        == 201
    )
