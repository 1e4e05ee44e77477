"""The library API, called with personal access tokens by each role."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from django.test import TestCase

from productops.accounts.actions import do_create_token
from productops.competencies.actions import do_load_builtin_ladders
from productops.competencies.models import CompetencyModel, Ladder, ModelVersion
from tests.cast import build_cast

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "competencies" / "library"


class LibraryApiByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_ladders()
        cls.ladder = Ladder.objects.get(name="Product management ladder")
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco", "priya", "vera"]
        }

    def call(self, who: str, path: str, **query):
        return self.client.get(
            f"/api/competencies{path}", query, HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}"
        )

    def post(self, who: str, path: str, body, **query):
        suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        return self.client.post(
            f"/api/competencies{path}{suffix}",
            json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}",
        )

    def test_without_a_token_the_api_says_401(self) -> None:
        self.assertEqual(self.client.get("/api/competencies/models").status_code, 401)
        self.assertEqual(self.client.post("/api/competencies/models", {}).status_code, 401)

    def test_every_role_reads_the_models(self) -> None:
        for who in self.tokens:
            body = self.call(who, "/models").json()
            self.assertEqual(body["count"], 4, who)
        toolkit = next(
            m for m in self.call("priya", "/models").json()["items"] if m["slug"] == "pm-toolkit"
        )
        self.assertEqual(
            toolkit,
            {
                "slug": "pm-toolkit",
                "name": "Product management toolkit",
                "discipline": "product",
                "description": toolkit["description"],
                "built_in": True,
                "latest_version": 1,
                "versions": 1,
            },
        )

    def test_versions_and_the_full_document(self) -> None:
        versions = self.call("vera", "/models/pm-wheel/versions").json()
        self.assertEqual([v["number"] for v in versions], [1])
        body = self.call("vera", "/models/pm-wheel/versions/1").json()
        self.assertEqual(body["document"]["slug"], "pm-wheel")
        self.assertEqual(body["document"]["version"], 1)
        self.assertEqual(len(body["document"]["areas"][0]["competencies"]), 8)
        self.assertEqual(self.call("vera", "/models/pm-wheel/versions/2").status_code, 404)
        self.assertEqual(self.call("vera", "/models/nope/versions").status_code, 404)

    def test_ladders_with_levels_and_expectations(self) -> None:
        ladders = self.call("priya", "/ladders").json()
        self.assertEqual(
            {(item["name"], item["model"], item["levels"]) for item in ladders["items"]},
            {
                ("Product management ladder", "pm-toolkit", 7),
                ("Product design ladder", "product-design", 5),
                ("Engineering lead ladder", "engineering-lead", 4),
            },
        )
        body = self.call("priya", f"/ladders/{self.ladder.pk}").json()
        self.assertEqual(body["version"], 1)
        self.assertEqual(len(body["scale"]), 5)
        senior = body["levels"][2]
        self.assertEqual(senior["key"], "senior-pm")
        self.assertIn("Sr. PM", senior["aliases"])
        self.assertEqual(senior["expectations"]["prioritization"], 3)

    def test_the_level_diff(self) -> None:
        body = self.call(
            "marco", f"/ladders/{self.ladder.pk}/diff", **{"from": "pm", "to": "senior-pm"}
        ).json()
        changes = {change["key"]: change for change in body["changes"]}
        self.assertEqual(changes["prioritization"]["change"], "raised")
        self.assertEqual(changes["prioritization"]["from_step"], 2)
        self.assertTrue(changes["prioritization"]["to_text"].startswith("Says no with reasons"))
        self.assertEqual(changes["discovery"]["change"], "same")
        missing = self.call(
            "marco", f"/ladders/{self.ladder.pk}/diff", **{"from": "pm", "to": "astronaut"}
        )
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(self.call("marco", "/ladders/999").status_code, 404)

    def test_an_admin_imports_a_model_then_the_same_then_a_change(self) -> None:
        document = yaml.safe_load((FIXTURES / "discovery-model.yaml").read_text())
        created = self.post("hana", "/models", document, note="by script")
        self.assertEqual(created.status_code, 201)
        self.assertEqual(created.json()["status"], "created")
        self.assertEqual(created.json()["number"], 1)
        self.assertEqual(ModelVersion.objects.get(model__slug="trio-discovery").note, "by script")
        same = self.post("hana", "/models", document)
        self.assertEqual(same.status_code, 200)
        self.assertEqual(same.json()["status"], "unchanged")
        document["scale"][0]["label"] = "Beginning"
        changed = self.post("hana", "/models", document)
        self.assertEqual(changed.status_code, 201)
        self.assertEqual((changed.json()["status"], changed.json()["number"]), ("new version", 2))

    def test_an_invalid_document_answers_422_with_every_problem(self) -> None:
        document = yaml.safe_load((FIXTURES / "broken-model.yaml").read_text())
        response = self.post("hana", "/models", document)
        self.assertEqual(response.status_code, 422)
        body = response.json()
        self.assertEqual(len(body["errors"]), 7)
        self.assertIn(
            {
                "path": "areas[0].competencies[0].levels",
                "line": None,
                "reason": "3 levels expected by the scale, 2 given",
            },
            body["errors"],
        )
        self.assertIn("Nothing was written", body["detail"])
        self.assertFalse(CompetencyModel.objects.filter(name="Broken model").exists())

    def test_only_admins_may_import(self) -> None:
        document = yaml.safe_load((FIXTURES / "discovery-model.yaml").read_text())
        for who in ["marco", "priya", "vera"]:
            response = self.post(who, "/models", document)
            self.assertEqual(response.status_code, 403, who)
            self.assertIn("Only an admin", response.json()["detail"])
        self.assertFalse(CompetencyModel.objects.filter(slug="trio-discovery").exists())
