"""The objectives and alignment API, called with personal access tokens by each role."""

from __future__ import annotations

import json

import pytest

from productops.accounts.actions import do_create_token
from productops.strategy.models import AlignmentRule, Objective, ObjectiveLink
from tests.cast import build_cast
from tests.strategy.alignment_story import build_story

pytestmark = pytest.mark.django_db

WHO = ["hana", "marco", "priya", "vera"]


class Api:
    def __init__(self, client, cast) -> None:
        self.client = client
        self.tokens = {
            name: do_create_token(getattr(cast, f"{name}_user"), f"{name} script")[1]
            for name in WHO
        }

    def get(self, who: str, path: str, **query):
        return self.client.get(
            f"/api/strategy{path}", query, HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}"
        )

    def send(self, who: str, method: str, path: str, body=None):
        return getattr(self.client, method)(
            f"/api/strategy{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}",
        )


@pytest.fixture
def cast():
    return build_cast()


@pytest.fixture
def story(cast):
    return build_story(cast)


@pytest.fixture
def api(client, cast):
    return Api(client, cast)


Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


def test_without_a_token_the_api_says_401(client) -> None:
    assert client.get("/api/strategy/alignment").status_code == 401
    assert client.get("/api/strategy/objectives").status_code == 401


@pytest.mark.parametrize("who", ["hana", "marco", "priya"])
def test_alignment_for_those_who_see_item_lists(api, story, who) -> None:
    body = api.get(who, "/alignment", **Q1).json()
    assert body["in_progress"] == {"count": 6, "aligned": 3, "share": 0.5}
    assert body["done"] == {"count": 4, "aligned": 3, "share": 0.75}
    checkout = next(o for o in body["objectives"] if o["title"] == "Faster checkout")
    assert (checkout["in_progress"], checkout["done"], checkout["by_label"]) == (2, 2, 2)
    assert body["objectives_without_work"] == [story.loyalty.pk]
    assert body["unaligned_count"] == 4
    assert [i["key"] for i in body["unaligned"]] == ["SHOP-30", "SHOP-7", "SHOP-9", "SRCH-3"]
    assert (body["page"], body["pages"]) == (1, 1)


def test_a_viewer_gets_the_numbers_without_the_unaligned_items(api, story) -> None:
    body = api.get("vera", "/alignment", **Q1).json()
    assert body["done"]["share"] == 0.75
    assert body["unaligned_count"] == 4
    assert body["unaligned"] is None
    assert "SHOP-7" not in json.dumps(body)


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"start": "2026-02-30"}, "is not a date"),
        ({"start": "2026-03-01", "end": "2026-01-01"}, "before it starts"),
    ],
)
def test_a_bad_period_is_422_with_a_sentence(api, query, words) -> None:
    response = api.get("hana", "/alignment", **query)
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_objectives_list_and_detail_hide_links_from_viewers(api, story) -> None:
    listed = api.get("priya", "/objectives", **Q1).json()
    assert "Old cleanup" not in [o["title"] for o in listed]
    checkout = next(o for o in listed if o["title"] == "Faster checkout")
    assert [link["key"] for link in checkout["links"]] == ["SHOP-1"]
    assert checkout["rules"] == [
        {"id": story.checkout.rules.get().pk, "kind": "label", "value": "checkout"}
    ]
    assert checkout["parent_id"] == story.company.pk and checkout["owner"] == "Priya PM"
    seen = api.get("vera", f"/objectives/{story.checkout.pk}").json()
    assert seen["links"] is None and seen["link_count"] == 1
    assert api.get("vera", "/objectives/9999").status_code == 404
    assert len(api.get("vera", "/objectives").json()) == 5


@pytest.mark.parametrize("who", ["hana", "marco"])
def test_admins_and_managers_write_objectives_links_and_rules(api, cast, story, who) -> None:
    created = api.send(
        who,
        "post",
        "/objectives",
        {
            "level": "product",
            "title": "Cut cart abandonment",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "owner_id": cast.priya.pk,
            "parent_id": story.company.pk,
        },
    )
    assert created.status_code == 201, created.content
    objective_id = created.json()["id"]
    changed = api.send(
        who, "put", f"/objectives/{objective_id}", {"title": "Fewer abandoned carts"}
    )
    assert changed.status_code == 200
    assert changed.json()["title"] == "Fewer abandoned carts"
    assert changed.json()["parent_id"] == story.company.pk  # left out: kept
    linked = api.send(who, "post", f"/objectives/{objective_id}/links", {"keys": ["SHOP-7"]})
    assert linked.status_code == 201 and linked.json()[0]["key"] == "SHOP-7"
    rule = api.send(
        who, "post", f"/objectives/{objective_id}/rules", {"kind": "label", "value": "cart"}
    )
    assert rule.status_code == 201 and rule.json()["value"] == "cart"
    link_id = linked.json()[0]["id"]
    assert api.send(who, "delete", f"/objectives/{objective_id}/links/{link_id}").status_code == 204
    rule_id = rule.json()["id"]
    assert api.send(who, "delete", f"/objectives/{objective_id}/rules/{rule_id}").status_code == 204
    assert not ObjectiveLink.objects.filter(pk=link_id).exists()
    assert not AlignmentRule.objects.filter(pk=rule_id).exists()
    assert api.send(who, "delete", f"/objectives/{objective_id}").status_code == 204
    assert not Objective.objects.filter(pk=objective_id).exists()


@pytest.mark.parametrize("who", ["priya", "vera"])
def test_members_and_viewers_get_403_with_the_sentence(api, story, who) -> None:
    body = {
        "level": "company",
        "title": "Mine",
        "period_start": "2026-01-01",
        "period_end": "2026-03-31",
    }
    refused = api.send(who, "post", "/objectives", body)
    assert refused.status_code == 403
    assert "Only admins and managers" in refused.json()["detail"]
    path = f"/objectives/{story.checkout.pk}"
    assert api.send(who, "put", path, {"title": "x"}).status_code == 403
    assert api.send(who, "post", f"{path}/links", {"keys": ["SHOP-7"]}).status_code == 403
    assert api.send(who, "post", f"{path}/rules", {"kind": "epic", "value": "X"}).status_code == 403
    assert api.send(who, "delete", path).status_code == 403
    assert Objective.objects.filter(pk=story.checkout.pk, title="Faster checkout").exists()
    assert story.checkout.links.count() == 1 and story.checkout.rules.count() == 1


def test_bad_input_is_422_with_sentences(api, story) -> None:
    backwards = api.send(
        "hana",
        "post",
        "/objectives",
        {
            "level": "product",
            "title": "Backwards",
            "period_start": "2026-03-01",
            "period_end": "2026-02-01",
            "parent_id": story.search.pk,
        },
    )
    assert backwards.status_code == 422
    errors = backwards.json()["errors"]
    assert "pick an end on or after the start" in errors["period_end"]
    assert "serves a company objective" in errors["parent"]
    unknown = api.send(
        "hana",
        "post",
        "/objectives",
        {
            "level": "galaxy",
            "title": " ",
            "period_start": "2026-01-01",
            "period_end": "2026-01-02",
            "owner_id": 9999,
        },
    )
    assert unknown.status_code == 422
    assert "No person has the id 9999" in unknown.json()["detail"]
    path = f"/objectives/{story.loyalty.pk}"
    keys = api.send("hana", "post", f"{path}/links", {"keys": ["SHOP-7", "NOPE-1", "NOPE-2"]})
    assert keys.status_code == 422
    assert "No backlog item has the keys NOPE-1, NOPE-2" in keys.json()["detail"]
    assert story.loyalty.links.count() == 0
    kind = api.send("hana", "post", f"{path}/rules", {"kind": "colour", "value": "red"})
    assert kind.status_code == 422 and "is not a kind of rule" in kind.json()["detail"]
    empty = api.send("hana", "post", f"{path}/rules", {"kind": "label", "value": "  "})
    assert empty.status_code == 422 and "Give the label" in empty.json()["detail"]
    assert api.send("hana", "delete", f"{path}/rules/9999").status_code == 404
