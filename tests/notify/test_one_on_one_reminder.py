"""The day before Marco's 1:1 with Priya, both get its agenda by e-mail: the talking
points from both sides, never either one's private note. Tariq and Paul, who have
no 1:1 planned tomorrow, get nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from productops.coaching.actions import (
    do_add_action,
    do_add_talking_point,
    do_save_private_note,
    do_schedule_one_on_one,
)
from productops.notify.sending import send_due_reminders
from tests.coaching.one_on_one_cast import build_one_on_one_cast
from tests.notify.mail_case import MailTestCase
from tests.notify.mail_server import body_of, by_recipient

MARCO_PRIVATE = "Priya looked worn out; ask about her workload"
PRIYA_PRIVATE = "I want to ask for the platform role"


class OneOnOneReminderStory(MailTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.o = build_one_on_one_cast()
        c = cls.o.cast
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        cls.meeting = do_schedule_one_on_one(c.marco_user, cls.o.marco_priya, date=tomorrow)
        do_schedule_one_on_one(
            cls.o.tariq_user, cls.o.tariq_paul, date=tomorrow + datetime.timedelta(days=1)
        )
        do_add_talking_point(c.priya_user, cls.meeting, text="Pricing experiment results")
        do_add_talking_point(c.marco_user, cls.meeting, text="Hiring plan for Q1")
        do_add_action(c.marco_user, cls.meeting, owner=c.priya, text="Draft the checkout brief")
        do_save_private_note(c.marco_user, cls.meeting, text=MARCO_PRIVATE)
        do_save_private_note(c.priya_user, cls.meeting, text=PRIYA_PRIVATE)

    def test_both_people_get_the_agenda_and_no_private_note(self) -> None:
        send_due_reminders()
        mail = by_recipient(self.server.take())
        self.assertEqual(sorted(mail), ["marco@example.com", "priya@example.com"])
        [to_marco], [to_priya] = mail["marco@example.com"], mail["priya@example.com"]
        self.assertEqual(to_marco["Subject"], "1:1 with Priya PM tomorrow")
        self.assertEqual(to_priya["Subject"], "1:1 with Marco Manager tomorrow")
        for message in (to_marco, to_priya):
            body = body_of(message)
            self.assertIn("Pricing experiment results", body)
            self.assertIn("Hiring plan for Q1", body)
            self.assertIn(f"https://productops.example.com/coaching/1on1s/{self.meeting.pk}/", body)
            self.assertNotIn(MARCO_PRIVATE, body)
            self.assertNotIn(PRIYA_PRIVATE, body)
            self.assertNotIn(MARCO_PRIVATE, str(message))
            self.assertNotIn(PRIYA_PRIVATE, str(message))

    def test_the_reminder_goes_once(self) -> None:
        send_due_reminders()
        self.assertEqual(len(self.server.take()), 2)
        send_due_reminders(timezone.now() + datetime.timedelta(hours=2))
        self.assertEqual(self.server.take(), [])
