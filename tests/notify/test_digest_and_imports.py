"""The weekly status digest goes to Hana (admin: every team) and Marco (manager: the teams
of his reporting chain), not to Priya (a member) nor Vera (a viewer); the failed and the
unfinished tracker imports go to the admins only."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.utils import timezone

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.backlog.actions import import_tracker
from productops.backlog.models import ImportStatus, TrackerImport
from productops.notify.sending import send_due_reminders
from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole
from productops.reports.actions_status import do_generate_status, do_share_status
from productops.reports.status import last_complete_week, week_label
from tests.cast import PASSWORD, build_cast
from tests.notify.mail_case import MailTestCase
from tests.notify.mail_server import body_of, by_recipient


def tuesday_after(monday: datetime.date) -> datetime.datetime:
    day = monday + datetime.timedelta(days=8)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


class StatusDigestStory(MailTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cast()
        cls.monday = last_complete_week(timezone.localdate())
        cls.sales_ops = Team.objects.create(name="Sales Ops", mission="Tools for sellers")
        TeamMembership.objects.create(
            team=cls.sales_ops, person=cls.c.otto, role=TeamRole.PRODUCT_MANAGER
        )
        for team in (cls.c.checkout, cls.sales_ops):
            update = do_generate_status(None, team, cls.monday)
            do_share_status(cls.c.hana_user, update)
        # Search's draft is not shared: the digest says so instead of showing it.
        do_generate_status(None, cls.c.search, cls.monday)

    def test_admins_and_managers_get_the_teams_they_lead(self) -> None:
        send_due_reminders(tuesday_after(self.monday))
        mail = by_recipient(self.server.take())
        self.assertEqual(sorted(mail), ["hana@example.com", "marco@example.com"])
        label = week_label(self.monday)
        [hana], [marco] = mail["hana@example.com"], mail["marco@example.com"]
        self.assertEqual(hana["Subject"], f"Status digest for {label}")
        hana_body, marco_body = body_of(hana), body_of(marco)
        self.assertIn("Sales Ops", hana_body)
        self.assertNotIn("Sales Ops", marco_body)  # not a team of Marco's chain
        for body in (hana_body, marco_body):
            self.assertIn("- Checkout: ", body)
            self.assertIn("- Search: no update shared for this week", body)
            self.assertIn("https://productops.example.com/reports/status/", body)

        send_due_reminders(tuesday_after(self.monday) + datetime.timedelta(days=1))
        self.assertEqual(self.server.take(), [])

    def test_not_before_tuesday(self) -> None:
        monday_after = tuesday_after(self.monday) - datetime.timedelta(days=1)
        send_due_reminders(monday_after)
        self.assertEqual(self.server.take(), [])


class FailedImportStory(MailTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cast()
        cls.ops = do_create_login("ops", PASSWORD, Role.ADMIN)  # no e-mail address anywhere
        cls.ines = do_create_login(
            "ines", PASSWORD, Role.ADMIN, person=Person.objects.create(
                name="Ines Admin", email="ines@example.com", discipline=Discipline.PRODUCT
            )
        )  # fmt: skip

    def test_admins_hear_of_a_failed_and_an_unfinished_import(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            broken = Path(folder) / "broken.json"
            broken.write_text("{", encoding="utf-8")
            report = import_tracker([broken], format="jira-json", user=self.c.marco_user)
        self.assertFalse(report.written)
        killed = TrackerImport.objects.create(
            format="jira-csv",
            files=["big.csv"],
            status=ImportStatus.RUNNING,
            host="another-machine",
            started_at=timezone.now() - datetime.timedelta(hours=7),
        )
        result = send_due_reminders()
        mail = by_recipient(self.server.take())
        self.assertEqual(sorted(mail), ["hana@example.com", "ines@example.com"])
        self.assertEqual(result.no_address, 2)  # the ops login, for each import
        subjects = sorted(message["Subject"] for message in mail["hana@example.com"])
        self.assertEqual(
            subjects,
            ["Tracker import did not finish (jira-csv)", "Tracker import failed (jira-json)"],
        )
        failed = next(m for m in mail["hana@example.com"] if "failed" in m["Subject"])
        self.assertIn("broken.json", body_of(failed))
        self.assertIn("broken JSON", body_of(failed))
        self.assertIn("by marco", body_of(failed))
        killed.refresh_from_db()
        self.assertEqual(killed.status, ImportStatus.UNFINISHED)

        send_due_reminders()
        self.assertEqual(self.server.take(), [])
