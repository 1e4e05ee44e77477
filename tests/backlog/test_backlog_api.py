"""The backlog report and item API, called with personal access tokens by each role."""

from __future__ import annotations

import json
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.accounts.actions import do_create_token
from productops.backlog.models import Correction, Item, SetBy
from tests.backlog.report_story import build_backlog, fake_report
from tests.cast import build_cast


@mock.patch("productops.backlog.report.build_report", fake_report)
class BacklogApiByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco", "priya", "vera"]
        }
        cls.item = Item.objects.get(key="CHK-1")

    def auth(self, who: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}

    def get(self, who: str, path: str, **query):
        return self.client.get(f"/api/backlog{path}", query, **self.auth(who))

    def post(self, who: str, path: str, body: dict):
        return self.client.post(
            f"/api/backlog{path}",
            json.dumps(body),
            content_type="application/json",
            **self.auth(who),
        )

    def test_needs_a_token(self) -> None:
        self.assertEqual(self.client.get("/api/backlog/report").status_code, 401)
        self.assertEqual(self.client.get("/api/backlog/items").status_code, 401)

    def test_the_report_is_the_same_dictionary_as_the_page_uses(self) -> None:
        body = self.get("hana", "/report", project="Checkout").json()
        self.assertEqual(body["item_count"], 5)
        mix = {row["value"]: row["count"] for row in body["origin_mix_open"]}
        self.assertEqual(mix, {"sales": 2, "customer": 1, "support": 1})
        self.assertEqual(body["shelved"]["items"][0]["key"], "CHK-1")
        self.assertEqual(
            body["verdict"], ["75% of open items come from sales, marketing or support."]
        )

    def test_a_viewer_gets_the_report_without_any_item(self) -> None:
        body = self.get("vera", "/report").json()
        self.assertEqual(
            body["shelved"],
            {"per_month": [{"month": "2026-10-01", "count": 1, "items": 1}], "count": 1},
        )
        self.assertEqual(
            body["origin_mix_open"][0],
            {"value": "sales", "label": "Sales", "count": 2, "share": 0.4},
        )
        self.assertNotIn("CHK-", json.dumps(body))

    def test_a_reversed_period_is_refused(self) -> None:
        response = self.get("hana", "/report", start="2026-05-01", end="2026-01-01")
        self.assertEqual(response.status_code, 422)
        self.assertIn("comes after the end", response.json()["detail"])

    def test_members_list_and_filter_the_items(self) -> None:
        body = self.get("priya", "/items", origin="sales", status="todo").json()
        self.assertEqual(body["count"], 2)
        self.assertEqual([i["key"] for i in body["items"]], ["CHK-1", "CHK-2"])
        self.assertEqual(body["items"][0]["origin_set_by"], "rules")

    def test_one_item_comes_with_its_reasons(self) -> None:
        body = self.get("marco", f"/items/{self.item.pk}").json()
        self.assertEqual(body["origin_reasons"], [{"text": "label “sales”", "weight": 0.8}])
        self.assertEqual(body["kind_reasons"], ["type is Story"])

    def test_viewers_may_not_list_or_open_items(self) -> None:
        self.assertEqual(self.get("vera", "/items").status_code, 403)
        response = self.get("vera", f"/items/{self.item.pk}")
        self.assertEqual(response.status_code, 403)
        self.assertIn("aggregates", response.json()["detail"])

    def test_a_manager_corrects_an_origin(self) -> None:
        response = self.post(
            "marco",
            f"/items/{self.item.pk}/corrections",
            {"dimension": "origin", "label": "customer"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["origin"], "customer")
        self.assertEqual(response.json()["origin_set_by"], SetBy.CORRECTION)
        self.assertTrue(Correction.objects.filter(item=self.item, dimension="origin").exists())

    def test_a_bad_label_or_dimension_is_422_naming_it(self) -> None:
        label = self.post(
            "hana", f"/items/{self.item.pk}/corrections", {"dimension": "origin", "label": "aliens"}
        )
        dimension = self.post(
            "hana", f"/items/{self.item.pk}/corrections", {"dimension": "mood", "label": "sales"}
        )
        self.assertEqual(label.status_code, 422)
        self.assertIn("'aliens'", label.json()["detail"])
        self.assertIn("customer, sales, marketing", label.json()["detail"])
        self.assertEqual(dimension.status_code, 422)
        self.assertIn("'mood' is not a dimension", dimension.json()["detail"])
        self.assertFalse(Correction.objects.exists())

    def test_members_and_viewers_may_not_correct(self) -> None:
        for who in ("priya", "vera"):
            with self.subTest(who=who):
                response = self.post(
                    who,
                    f"/items/{self.item.pk}/corrections",
                    {"dimension": "origin", "label": "customer"},
                )
                self.assertEqual(response.status_code, 403)
        self.assertFalse(Correction.objects.exists())


class ItemsApiCost(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.token = do_create_token(cls.cast.hana_user, "script")[1]

    def cost(self, count: int) -> int:
        Item.objects.all().delete()
        Item.objects.bulk_create(
            Item(source="jira", key=f"K-{n}", title=f"Item {n}") for n in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(
                "/api/backlog/items", HTTP_AUTHORIZATION=f"Bearer {self.token}"
            )
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_a_page_of_50_costs_what_a_page_of_5_does(self) -> None:
        self.cost(1)  # the token's first use records itself once
        self.assertEqual(self.cost(5), self.cost(120))
