"""The status API: the same actions as the pages, refusals with a sentence."""

from __future__ import annotations

import json

from django.test import TestCase

from productops.reports.models import StatusUpdate
from tests.cast import PASSWORD, build_cast
from tests.reports.test_status_story import build_week


class StatusApiTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)

    def as_(self, name: str) -> None:
        self.client.logout()
        self.assertTrue(self.client.login(username=name, password=PASSWORD))

    def post(self, url: str, body: dict) -> dict:
        answer = self.client.post(url, json.dumps(body), content_type="application/json")
        return {"status": answer.status_code, **answer.json()}

    def generate(self) -> dict:
        url = f"/api/reports/status/team/{self.cast.checkout.pk}/generate"
        return self.post(url, {"week": "2026-W47"})

    def test_generate_edit_share_and_read(self) -> None:
        self.as_("priya")
        made = self.generate()
        self.assertEqual(
            (made["status"], made["state"], made["health"]), (200, "draft", "off_track")
        )
        self.assertTrue(made["markdown"].startswith("# Checkout: status for 2026-W47"))
        edited = self.post(
            f"/api/reports/status/{made['id']}",
            {
                "note": "Sales asks again.",
                "corrected_health": "at_risk",
                "correction_reason": "One epic split late.",
                "share": True,
            },
        )
        self.assertEqual(edited["status"], 200)
        self.assertEqual((edited["state"], edited["health"]), ("shared", "at_risk"))
        self.assertEqual(edited["generated_health"], "off_track")
        self.assertEqual(edited["note"], "Sales asks again.")
        again = self.post(f"/api/reports/status/{made['id']}", {"note": "late"})
        self.assertEqual(again["status"], 422)
        self.assertIn("kept as history", again["detail"])

        history = self.client.get(f"/api/reports/status/team/{self.cast.checkout.pk}").json()
        self.assertEqual([u["id"] for u in history["items"]], [made["id"]])
        latest = {row["team"]["name"]: row for row in self.client.get("/api/reports/status").json()}
        self.assertEqual(latest["Checkout"]["update"]["id"], made["id"])
        self.assertTrue(latest["Search"]["stale"])
        self.assertIsNone(latest["Search"]["update"])
        one = self.client.get(f"/api/reports/status/{made['id']}").json()
        self.assertEqual(one["correction_reason"], "One epic split late.")

    def test_refusals(self) -> None:
        self.as_("paul")
        refused = self.generate()
        self.assertEqual(refused["status"], 403)
        self.assertIn("product manager", refused["detail"])
        self.as_("priya")
        wrong = self.post(
            f"/api/reports/status/team/{self.cast.checkout.pk}/generate", {"week": "47"}
        )
        self.assertEqual(wrong["status"], 422)
        self.assertIn("2026-W48", wrong["detail"])
        made = self.generate()
        no_reason = self.post(
            f"/api/reports/status/{made['id']}", {"note": "", "corrected_health": "on_track"}
        )
        self.assertEqual(no_reason["status"], 422)
        self.assertEqual(self.client.get("/api/reports/status/999").status_code, 404)
        self.assertEqual(self.client.get("/api/reports/status/team/999").status_code, 404)
        self.assertEqual(StatusUpdate.objects.count(), 1)


class StatusApiPartialEditTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)

    def test_fields_left_out_keep_their_value(self) -> None:
        self.assertTrue(self.client.login(username="priya", password=PASSWORD))
        url = f"/api/reports/status/team/{self.cast.checkout.pk}/generate"
        made = self.client.post(url, "{}", content_type="application/json").json()
        edit = f"/api/reports/status/{made['id']}"
        self.client.post(edit, json.dumps({"note": "Kept."}), content_type="application/json")
        answer = self.client.post(
            edit,
            json.dumps({"corrected_health": "at_risk", "correction_reason": "One epic."}),
            content_type="application/json",
        ).json()
        self.assertEqual((answer["note"], answer["health"]), ("Kept.", "at_risk"))
