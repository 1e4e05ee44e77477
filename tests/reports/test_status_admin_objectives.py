"""Status updates on the admin site are read-only; the leader's objectives table costs
the same queries for many updates as for few; an owner writes and shares on the page."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productops.reports.actions_status import do_generate_objective_status, do_share_status
from productops.reports.models import StatusUpdate
from productops.strategy.models import Objective
from tests.cast import PASSWORD, build_cast
from tests.reports.test_status_story import MONDAY, build_week


class StatusAdminAndObjectivePagesTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)
        cls.refunds = Objective.objects.get(title="Fewer refunds")
        cls.refunds.owner = cls.cast.priya
        cls.refunds.save()
        cls.faster = Objective.objects.get(title="Faster checkout")

    def test_the_admin_lists_updates_and_changes_none(self) -> None:
        update = do_generate_objective_status(None, self.refunds, MONDAY)
        self.client.force_login(self.cast.hana_user)
        listing = self.client.get(reverse("admin:reports_statusupdate_changelist"))
        self.assertContains(listing, "2026-W47")
        self.assertEqual(
            self.client.get(reverse("admin:reports_statusupdate_add")).status_code, 403
        )
        change = reverse("admin:reports_statusupdate_change", args=[update.pk])
        self.client.post(change, {"note": "changed through the admin"})
        update.refresh_from_db()
        self.assertEqual(update.note, "")
        delete = reverse("admin:reports_statusupdate_delete", args=[update.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(StatusUpdate.objects.filter(pk=update.pk).exists())

    def test_the_owner_writes_corrects_and_shares_on_the_page(self) -> None:
        update = do_generate_objective_status(None, self.refunds, MONDAY)
        self.assertTrue(self.client.login(username="priya", password=PASSWORD))
        url = reverse("reports:status_detail", args=[update.pk])
        self.assertContains(self.client.get(url), "Save and share")
        self.client.post(
            url,
            {
                "note": "Refunds fell after the new flow.",
                "corrected_health": "at_risk",
                "correction_reason": "One fix is still in review.",
                "share": "1",
            },
        )
        update.refresh_from_db()
        self.assertEqual((update.state, update.final_health), ("shared", "at_risk"))
        page = self.client.get(url)
        self.assertContains(page, "Refunds fell after the new flow.")
        self.assertContains(page, "corrected from On track: One fix is still in review.")
        self.assertNotContains(page, "Save and share")
        self.assertEqual(self.client.post(url, {"note": "again"}).status_code, 403)

    def queries(self) -> int:
        self.client.force_login(self.cast.marco_user)
        with CaptureQueriesContext(connection) as captured:
            self.assertEqual(self.client.get(reverse("reports:status")).status_code, 200)
        return len(captured)

    def test_the_objectives_table_costs_the_same_for_more_updates(self) -> None:
        for objective in (self.refunds, self.faster):
            do_share_status(None, do_generate_objective_status(None, objective, MONDAY))
        few = self.queries()
        for weeks in range(1, 4):
            for objective in (self.refunds, self.faster):
                monday = MONDAY - dt.timedelta(weeks=weeks)
                do_share_status(None, do_generate_objective_status(None, objective, monday))
        self.assertEqual(self.queries(), few)
