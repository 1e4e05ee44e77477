"""The sender's promises, on the assessment reminder: a mail server that is down leaves
the reminders due for the next run; a claim another worker made first is not sent again;
`productops send-reminders --dry-run` sends and records nothing."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from productops.competencies.actions import do_open_cycle
from productops.competencies.models import RaterKind
from productops.notify.models import SentNotification
from productops.notify.sending import send_due_reminders
from tests.cast import build_cast
from tests.competencies.factories import make_model_version
from tests.notify.mail_case import MailTestCase
from tests.notify.mail_server import by_recipient, free_port, smtp_settings


class SenderStory(MailTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cast()
        cls.cycle = do_open_cycle(
            cls.c.hana_user,
            name="Q1 check",
            version=make_model_version(keys=("delivery",)),
            subjects=[cls.c.priya],
            due_date=timezone.localdate() + datetime.timedelta(days=2),
            rater_kinds=[RaterKind.SELF],
        )
        cls.key = f"cycle-{cls.cycle.pk}-due-{cls.cycle.due_date:%Y-%m-%d}"

    def test_smtp_down_keeps_the_reminder_for_the_next_run(self) -> None:
        with smtp_settings(free_port()):  # nothing listens there
            down = send_due_reminders()
        self.assertEqual((len(down.sent), down.failed), (0, 1))
        self.assertIn("could not be reached", down.stopped)
        self.assertFalse(SentNotification.objects.exists())

        up = send_due_reminders()
        [message] = self.server.take()
        self.assertEqual(message["To"], "priya@example.com")
        self.assertEqual(message["Subject"], "Due in 2 days: 1 rating in Q1 check")
        self.assertEqual(len(up.sent), 1)
        self.assertTrue(
            SentNotification.objects.filter(
                kind="assessment_due_soon", key=self.key, recipient=self.c.priya_user
            ).exists()
        )

    def test_an_event_another_worker_claimed_is_not_sent_again(self) -> None:
        SentNotification.objects.create(
            kind="assessment_due_soon", key=self.key, recipient=self.c.priya_user
        )
        report = send_due_reminders()
        self.assertEqual(self.server.take(), [])
        self.assertEqual(report.already_sent, 1)

    def test_dry_run_sends_and_records_nothing(self) -> None:
        out = StringIO()
        call_command("send_reminders", "--dry-run", stdout=out)
        self.assertIn(
            f"would send assessment_due_soon {self.key} to priya@example.com", out.getvalue()
        )
        self.assertEqual(self.server.take(), [])
        self.assertFalse(SentNotification.objects.exists())

        call_command("send_reminders", stdout=out)
        self.assertEqual(list(by_recipient(self.server.take())), ["priya@example.com"])
        self.assertIn("1 sent", out.getvalue())

    def test_the_command_says_what_to_do_when_the_server_is_down(self) -> None:
        out, err = StringIO(), StringIO()
        with smtp_settings(free_port()):
            call_command("send_reminders", stdout=out, stderr=err)
        self.assertIn("1 failed", out.getvalue())
        self.assertIn("Check EMAIL_HOST and EMAIL_PORT", err.getvalue())
        self.assertFalse(SentNotification.objects.exists())
