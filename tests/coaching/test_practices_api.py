"""The practice library API, called with personal access tokens by each role."""

from __future__ import annotations

import json

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.accounts.actions import do_create_token
from productops.coaching.actions import do_load_builtin_practices, do_set_practice_active
from productops.coaching.models import Practice
from productops.competencies.actions import do_load_builtin_models
from tests.cast import build_cast

INTERVIEWS = "Run one customer interview a week with your trio and share the notes"


class PracticeApiByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_models()
        do_load_builtin_practices()
        cls.interviews = Practice.objects.get(competency_key="discovery", title=INTERVIEWS)
        cls.retired = Practice.objects.get(
            competency_key="discovery",
            title="Keep an opportunity map for your team's outcome and review it monthly",
        )
        do_set_practice_active(cls.cast.hana_user, cls.retired, False)
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco", "priya", "vera"]
        }

    def call(self, who: str, path: str, **query):
        return self.client.get(
            f"/api/coaching{path}", query, HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}"
        )

    def send(self, who: str, method: str, path: str, body):
        return getattr(self.client, method)(
            f"/api/coaching{path}",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}",
        )

    def test_without_a_token_the_api_says_401(self) -> None:
        self.assertEqual(self.client.get("/api/coaching/practices").status_code, 401)

    def test_every_role_reads_active_practices_by_competency(self) -> None:
        for who in self.tokens:
            body = self.call(who, "/practices", competency_key="discovery").json()
            titles = [item["title"] for item in body["items"]]
            self.assertIn(INTERVIEWS, titles, who)
            self.assertNotIn(self.retired.title, titles, who)
        item = next(
            i
            for i in self.call("vera", "/practices", competency_key="discovery").json()["items"]
            if i["title"] == INTERVIEWS
        )
        self.assertEqual(
            item,
            {
                "id": self.interviews.pk,
                "competency_key": "discovery",
                "title": INTERVIEWS,
                "description": self.interviews.description,
                "kind": "on_the_job",
                "effort": "medium",
                "built_in": True,
                "active": True,
            },
        )

    def test_practices_are_paged_by_100(self) -> None:
        first = self.call("hana", "/practices").json()
        self.assertGreater(first["count"], 100)  # the built-in library alone is larger
        self.assertEqual(len(first["items"]), 100)
        second = self.call("hana", "/practices", page=2).json()
        self.assertEqual(len(second["items"]), first["count"] - 100)

    def test_filters_by_kind_effort_and_model(self) -> None:
        body = self.call("priya", "/practices", kind="course", effort="medium").json()
        self.assertGreater(body["count"], 0)
        self.assertEqual({(i["kind"], i["effort"]) for i in body["items"]}, {("course", "medium")})
        body = self.call("priya", "/practices", model="engineering-lead", kind="reading").json()
        keys = {item["competency_key"] for item in body["items"]}
        self.assertIn("architecture", keys)
        self.assertNotIn("accessibility", keys)

    def test_bad_filters_get_a_sentence(self) -> None:
        response = self.call("priya", "/practices", kind="telepathy")
        self.assertEqual(response.status_code, 422)
        self.assertIn("is not a kind of practice", response.json()["detail"])
        response = self.call("priya", "/practices", effort="enormous")
        self.assertEqual(response.status_code, 422)
        response = self.call("priya", "/practices", model="no-such-model")
        self.assertEqual(response.status_code, 404)
        self.assertIn("no-such-model", response.json()["detail"])

    def test_only_admins_see_deactivated_practices(self) -> None:
        hana = self.call("hana", "/practices", competency_key="discovery", include_inactive="true")
        self.assertIn(self.retired.title, [i["title"] for i in hana.json()["items"]])
        priya = self.call(
            "priya", "/practices", competency_key="discovery", include_inactive="true"
        )
        self.assertNotIn(self.retired.title, [i["title"] for i in priya.json()["items"]])
        self.assertEqual(self.call("priya", f"/practices/{self.retired.pk}").status_code, 404)
        self.assertEqual(self.call("hana", f"/practices/{self.retired.pk}").json()["active"], False)

    def test_hana_adds_a_practice(self) -> None:
        response = self.send(
            "hana",
            "post",
            "/practices",
            {
                "competency_key": "prioritization",
                "title": "Cut one item from the roadmap each month",
                "kind": "on_the_job",
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        body = response.json()
        self.assertEqual(
            (body["effort"], body["built_in"], body["active"]), ("medium", False, True)
        )
        self.assertTrue(Practice.objects.filter(pk=body["id"]).exists())

    def test_others_may_not_write_and_are_told_why(self) -> None:
        for who in ("marco", "priya", "vera"):
            response = self.send(
                who,
                "post",
                "/practices",
                {"competency_key": "delivery", "title": "Mine", "kind": "reading"},
            )
            self.assertEqual(response.status_code, 403, who)
            self.assertIn(
                "Only an admin can change the practice library", response.json()["detail"]
            )
            response = self.send(who, "put", f"/practices/{self.interviews.pk}", {"active": False})
            self.assertEqual(response.status_code, 403, who)
        self.interviews.refresh_from_db()
        self.assertTrue(self.interviews.active)
        self.assertFalse(Practice.objects.filter(title="Mine").exists())

    def test_invalid_practices_answer_422_with_every_field(self) -> None:
        response = self.send(
            "hana",
            "post",
            "/practices",
            {"competency_key": "discovry", "title": " ", "kind": "book", "effort": "huge"},
        )
        self.assertEqual(response.status_code, 422)
        errors = response.json()["errors"]
        self.assertEqual(set(errors), {"competency_key", "title", "kind", "effort"})
        self.assertIn("did you mean discovery?", errors["competency_key"])

    def test_hana_changes_only_the_fields_she_sends_and_deactivates(self) -> None:
        response = self.send(
            "hana", "put", f"/practices/{self.interviews.pk}", {"effort": "high", "active": False}
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual((response.json()["effort"], response.json()["active"]), ("high", False))
        self.interviews.refresh_from_db()
        self.assertEqual(self.interviews.title, INTERVIEWS)
        self.assertEqual(self.interviews.kind, "on_the_job")
        response = self.send(
            "hana", "put", f"/practices/{self.interviews.pk}", {"title": self.retired.title}
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("already has a practice called", response.json()["errors"]["title"])
        self.assertEqual(self.send("hana", "put", "/practices/999999", {}).status_code, 404)


class PracticeApiCost(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_models()
        cls.token = do_create_token(cls.cast.priya_user, "script")[1]

    def build(self, count: int) -> None:
        Practice.objects.all().delete()
        Practice.objects.bulk_create(
            Practice(competency_key="discovery", title=f"Practice {n}", kind="reading")
            for n in range(count)
        )

    def cost(self, **query) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(
                "/api/coaching/practices", query, HTTP_AUTHORIZATION=f"Bearer {self.token}"
            )
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_practices(self) -> None:
        self.cost()  # the first call records the token's use, once a minute
        for query in ({}, {"model": "pm-toolkit", "kind": "reading"}):
            self.build(5)
            small = self.cost(**query)
            self.build(300)
            self.assertEqual(self.cost(**query), small, query)
