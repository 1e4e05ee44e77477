"""Who sees what of a status update, per role: a viewer sees the health and the counts and
no item key or title (the backlog's rule); drafts only for who may edit the team's update."""

from __future__ import annotations

import json

from django.test import TestCase
from django.urls import reverse

from productops.reports.actions_status import do_generate_status, do_share_status
from productops.reports.visibility import can_edit_status, visible_status_updates
from tests.cast import PASSWORD, build_cast
from tests.reports.test_status_story import MONDAY, build_week

EVERYONE = ("hana", "marco", "priya", "paul", "vera")


class StatusPrivacyTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)
        cls.shared = do_generate_status(None, cls.cast.checkout, MONDAY)
        do_share_status(None, cls.shared)
        cls.draft = do_generate_status(None, cls.cast.search, MONDAY)

    def as_(self, name: str) -> None:
        self.client.logout()
        self.assertTrue(self.client.login(username=name, password=PASSWORD))

    def page(self, name: str, pk: int, **params: str) -> str:
        self.as_(name)
        answer = self.client.get(reverse("reports:status_detail", args=[pk]), params)
        self.assertEqual(answer.status_code, 200, name)
        return answer.content.decode()

    def test_every_role_sees_the_shared_health_and_counts(self) -> None:
        for name in EVERYONE:
            text = self.page(name, self.shared.pk)
            self.assertIn("Health: Off track", text, name)
            self.assertIn("<th>Carried over from the sprint</th><td>5</td>", text, name)

    def test_item_titles_for_every_role_but_viewers(self) -> None:
        for name in ("hana", "marco", "priya", "paul"):
            self.assertIn("Title of CHK-A1", self.page(name, self.shared.pk), name)
        for text in (
            self.page("vera", self.shared.pk),
            self.page("vera", self.shared.pk, format="md"),
        ):
            self.assertNotIn("CHK-", text)
            self.assertNotIn("Title of", text)
        self.assertIn(
            "Carried over from the sprint: 5", self.page("vera", self.shared.pk, format="md")
        )

    def test_the_api_withholds_items_from_viewers(self) -> None:
        self.as_("vera")
        body = self.client.get(f"/api/reports/status/{self.shared.pk}").json()
        self.assertEqual(body["generated"]["backlog"]["carried_over"]["count"], 5)
        self.assertNotIn("items", body["generated"]["backlog"]["carried_over"])
        self.assertNotIn("CHK-", json.dumps(body))
        self.as_("paul")
        body = self.client.get(f"/api/reports/status/{self.shared.pk}").json()
        self.assertIn("CHK-A1", json.dumps(body))

    def test_drafts_only_for_who_may_edit(self) -> None:
        for name in ("hana", "marco", "paul"):
            self.page(name, self.draft.pk)
        for name in ("priya", "vera"):
            self.as_(name)
            answer = self.client.get(reverse("reports:status_detail", args=[self.draft.pk]))
            self.assertEqual(answer.status_code, 404, name)
            api = self.client.get(f"/api/reports/status/{self.draft.pk}")
            self.assertEqual(api.status_code, 404, name)

    def test_the_leader_page_shows_no_draft_to_others(self) -> None:
        self.as_("vera")
        rows = {
            r["team"].name: r for r in self.client.get(reverse("reports:status")).context["rows"]
        }
        self.assertIsNone(rows["Search"]["update"])
        self.as_("paul")
        rows = {
            r["team"].name: r for r in self.client.get(reverse("reports:status")).context["rows"]
        }
        self.assertEqual(rows["Search"]["update"].pk, self.draft.pk)

    def test_who_may_edit_per_role(self) -> None:
        cast = self.cast
        self.assertTrue(can_edit_status(cast.hana_user, cast.checkout))
        self.assertTrue(can_edit_status(cast.marco_user, cast.checkout))
        self.assertTrue(can_edit_status(cast.priya_user, cast.checkout))
        self.assertFalse(can_edit_status(cast.paul_user, cast.checkout))
        self.assertFalse(can_edit_status(cast.vera_user, cast.checkout))
        self.assertEqual(set(visible_status_updates(cast.vera_user)), {self.shared})
        self.assertEqual(set(visible_status_updates(cast.hana_user)), {self.shared, self.draft})

    def test_anonymous_is_sent_to_log_in(self) -> None:
        answer = self.client.get(reverse("reports:status"))
        self.assertEqual(answer.status_code, 302)
        self.assertEqual(self.client.get("/api/reports/status").status_code, 401)
