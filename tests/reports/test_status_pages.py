"""The status pages: the leader's page with stale teams flagged, a team's history, one
update with the PM's form, the Markdown download, and the empty states."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from productops.reports.actions_status import do_generate_status, do_share_status
from productops.reports.models import StatusUpdate
from productops.reports.status import last_complete_week, week_label
from productops.reports.views.status import PER_PAGE
from tests.cast import PASSWORD, build_cast
from tests.reports.test_status_story import MONDAY, build_week


class StatusPagesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)

    def login(self, name: str) -> None:
        self.assertTrue(self.client.login(username=name, password=PASSWORD))

    def test_the_leader_page_before_any_update(self) -> None:
        self.login("hana")
        page = self.client.get(reverse("reports:status"))
        self.assertContains(page, "No update yet.", count=2)
        self.assertContains(page, "Stale")

    def test_the_leader_page_flags_teams_without_last_weeks_update(self) -> None:
        last = last_complete_week(timezone.localdate())
        current = do_generate_status(self.cast.priya_user, self.cast.checkout, last)
        do_share_status(self.cast.priya_user, current)
        old = do_generate_status(self.cast.paul_user, self.cast.search, MONDAY)
        do_share_status(self.cast.paul_user, old)
        self.login("vera")
        page = self.client.get(reverse("reports:status"))
        rows = {row["team"].name: row for row in page.context["rows"]}
        self.assertFalse(rows["Checkout"]["stale"])
        self.assertTrue(rows["Search"]["stale"])
        self.assertEqual(rows["Search"]["update"].pk, old.pk)
        self.assertContains(page, f"no update for {week_label(last)}")
        self.assertEqual(page.context["stale"], 1)

    def test_the_team_page_empty_state_says_what_to_do(self) -> None:
        self.login("priya")
        page = self.client.get(reverse("reports:status_team", args=[self.cast.checkout.pk]))
        self.assertContains(page, "No update for Checkout yet. Generate one above")
        self.login("vera")
        page = self.client.get(reverse("reports:status_team", args=[self.cast.checkout.pk]))
        self.assertContains(page, "Its product manager, a manager or an admin generates it.")
        self.assertNotContains(page, "Generate the update")

    def test_generate_from_the_team_page(self) -> None:
        self.login("priya")
        url = reverse("reports:status_generate", args=[self.cast.checkout.pk])
        answer = self.client.post(url, {"week": "2026-W47"})
        update = StatusUpdate.objects.get(team=self.cast.checkout)
        self.assertRedirects(answer, reverse("reports:status_detail", args=[update.pk]))
        self.assertEqual(update.week, "2026-W47")

    def test_a_wrong_week_says_how_to_write_it(self) -> None:
        self.login("priya")
        url = reverse("reports:status_generate", args=[self.cast.checkout.pk])
        answer = self.client.post(url, {"week": "week 47"}, follow=True)
        self.assertContains(answer, "write it like 2026-W48")
        self.assertFalse(StatusUpdate.objects.exists())

    def test_generate_is_refused_to_another_teams_pm(self) -> None:
        self.login("paul")
        url = reverse("reports:status_generate", args=[self.cast.checkout.pk])
        self.assertEqual(self.client.post(url, {"week": "2026-W47"}).status_code, 403)

    def test_the_pm_writes_then_shares(self) -> None:
        draft = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        url = reverse("reports:status_detail", args=[draft.pk])
        self.login("priya")
        page = self.client.get(url)
        self.assertContains(page, "Save and share")
        answer = self.client.post(
            url,
            {
                "note": "Two sales asks landed mid-sprint.",
                "corrected_health": "at_risk",
                "correction_reason": "",
            },
        )
        self.assertContains(answer, "Say why you correct the health")
        self.client.post(
            url,
            {
                "note": "Two sales asks landed mid-sprint.",
                "corrected_health": "at_risk",
                "correction_reason": "The carry-over is one split epic.",
                "share": "1",
            },
        )
        draft.refresh_from_db()
        self.assertEqual((draft.state, draft.note), ("shared", "Two sales asks landed mid-sprint."))
        page = self.client.get(url)
        self.assertContains(page, "corrected by the PM from Off track: The carry-over is one")
        self.assertNotContains(page, "Save and share")
        written = page.content.decode().split('id="written"')[1].split('id="generated"')[0]
        self.assertIn("Two sales asks landed mid-sprint.", written)
        self.assertNotIn("carried over", written)
        self.assertEqual(self.client.post(url, {"note": "late"}).status_code, 403)

    def test_a_regenerated_week_links_both_ways(self) -> None:
        first = do_share_status(
            self.cast.priya_user,
            do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY),
        )
        second = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        self.login("priya")
        old = self.client.get(reverse("reports:status_detail", args=[first.pk]))
        self.assertContains(old, reverse("reports:status_detail", args=[second.pk]))
        self.assertContains(old, "newer update of this week")
        new = self.client.get(reverse("reports:status_detail", args=[second.pk]))
        self.assertContains(new, "It replaces")
        # the draft is not the readers' yet: a viewer is not sent to it
        self.login("vera")
        old = self.client.get(reverse("reports:status_detail", args=[first.pk]))
        self.assertNotContains(old, "newer update of this week")

    def test_markdown_download(self) -> None:
        draft = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        self.login("priya")
        answer = self.client.get(
            reverse("reports:status_detail", args=[draft.pk]), {"format": "md"}
        )
        self.assertEqual(answer["Content-Type"], "text/markdown; charset=utf-8")
        self.assertIn("status-checkout-2026-w47.md", answer["Content-Disposition"])
        text = answer.content.decode()
        self.assertTrue(text.startswith("# Checkout: status for 2026-W47"))
        self.assertIn("**Health: Off track**", text)
        self.assertIn("  - CHK-A1 Title of CHK-A1", text)

    def test_the_history_is_newest_first_and_paginated(self) -> None:
        import datetime as dt

        for weeks in range(PER_PAGE + 2):
            update = do_generate_status(
                self.cast.hana_user, self.cast.search, MONDAY - dt.timedelta(weeks=weeks)
            )
            do_share_status(self.cast.hana_user, update)
        self.login("vera")
        url = reverse("reports:status_team", args=[self.cast.search.pk])
        first = self.client.get(url)
        weeks_shown = [u.week for u in first.context["page"].object_list]
        self.assertEqual(len(weeks_shown), PER_PAGE)
        self.assertEqual(weeks_shown[0], "2026-W47")
        self.assertEqual(weeks_shown, sorted(weeks_shown, reverse=True))
        second = self.client.get(url, {"page": 2})
        self.assertEqual(len(second.context["page"].object_list), 2)

    def test_unknown_records_are_404(self) -> None:
        self.login("hana")
        self.assertEqual(
            self.client.get(reverse("reports:status_detail", args=[999])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("reports:status_team", args=[999])).status_code, 404
        )
        self.assertEqual(self.client.get("/reports/status/99999999999999999999/").status_code, 404)


class LeaderPageQueriesTest(TestCase):
    """The leader's page costs the same queries for 2 updates as for 12."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def queries(self) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.cast.marco_user)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(reverse("reports:status")).status_code, 200)
        return len(captured)

    def test_queries_do_not_grow_with_updates(self) -> None:
        import datetime as dt

        for team in (self.cast.checkout, self.cast.search):
            do_share_status(None, do_generate_status(None, team, MONDAY))
        few = self.queries()
        for weeks in range(1, 6):
            for team in (self.cast.checkout, self.cast.search):
                monday = MONDAY - dt.timedelta(weeks=weeks)
                do_share_status(None, do_generate_status(None, team, monday))
        self.assertEqual(self.queries(), few)
