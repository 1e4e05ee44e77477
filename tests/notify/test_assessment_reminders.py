"""Hana opens the H2 review for Priya and Paul, due in three days: each rater hears once
that it is due soon, and once more when it is overdue; a submitted rating is not chased,
and Paul, who turned "due soon" off, gets only the overdue one."""

from __future__ import annotations

import datetime

from django.utils import timezone

from productops.competencies.actions import do_open_cycle, do_save_ratings, do_submit_request
from productops.competencies.models import AssessmentRequest, RaterKind
from productops.notify.actions import do_set_preferences
from productops.notify.models import SentNotification
from productops.notify.sending import send_due_reminders
from tests.cast import build_cast
from tests.competencies.factories import make_model_version
from tests.notify.mail_case import MailTestCase
from tests.notify.mail_server import body_of, by_recipient


class AssessmentReminderStory(MailTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cast()
        version = make_model_version(keys=("discovery",))
        cls.today = timezone.localdate()
        cls.cycle = do_open_cycle(
            cls.c.hana_user,
            name="H2 review",
            version=version,
            subjects=[cls.c.priya, cls.c.paul],
            due_date=cls.today + datetime.timedelta(days=3),
            rater_kinds=[RaterKind.SELF, RaterKind.MANAGER],
        )

    def request(self, rater, subject) -> AssessmentRequest:
        return AssessmentRequest.objects.get(cycle=self.cycle, rater=rater, subject=subject)

    def test_due_soon_reaches_each_rater_once_listing_their_own_requests(self) -> None:
        report = send_due_reminders()
        mail = by_recipient(self.server.take())
        self.assertEqual(
            sorted(mail), ["marco@example.com", "paul@example.com", "priya@example.com"]
        )
        [priya] = mail["priya@example.com"]
        self.assertEqual(priya["Subject"], "Due in 3 days: 1 rating in H2 review")
        body = body_of(priya)
        self.assertIn("your self-assessment", body)
        self.assertNotIn("Paul", body)  # another rater's request is not hers to see
        own = self.request(self.c.priya, self.c.priya)
        self.assertIn(f"https://productops.example.com/competencies/requests/{own.pk}/", body)
        self.assertIn("https://productops.example.com/account/notifications/", body)
        [marco] = mail["marco@example.com"]
        self.assertEqual(marco["Subject"], "Due in 3 days: 2 ratings in H2 review")
        self.assertIn("your manager rating of Paul PM", body_of(marco))
        self.assertIn("your manager rating of Priya PM", body_of(marco))
        self.assertEqual(len(report.sent), 3)

        again = send_due_reminders()
        self.assertEqual(self.server.take(), [])
        self.assertEqual((len(again.sent), again.already_sent), (0, 3))

    def test_overdue_is_a_separate_event_and_submitted_ratings_are_not_chased(self) -> None:
        send_due_reminders()
        self.server.take()
        own = self.request(self.c.priya, self.c.priya)
        do_save_ratings(self.c.priya_user, own, {"discovery": (3, False, "")})
        do_submit_request(self.c.priya_user, own)

        later = timezone.now() + datetime.timedelta(days=5)
        send_due_reminders(later)
        mail = by_recipient(self.server.take())
        self.assertEqual(sorted(mail), ["marco@example.com", "paul@example.com"])
        [paul] = mail["paul@example.com"]
        self.assertEqual(paul["Subject"], "Overdue: 1 rating in H2 review")
        self.assertIn("2 days ago", body_of(paul))
        self.assertEqual(SentNotification.objects.filter(recipient=self.c.paul_user).count(), 2)
        send_due_reminders(later + datetime.timedelta(hours=1))
        self.assertEqual(self.server.take(), [])

    def test_a_kind_turned_off_is_not_sent_and_the_other_still_is(self) -> None:
        do_set_preferences(self.c.paul_user, {"assessment_due_soon": False})
        report = send_due_reminders()
        self.assertNotIn("paul@example.com", by_recipient(self.server.take()))
        self.assertEqual(report.turned_off, 1)
        self.assertFalse(SentNotification.objects.filter(recipient=self.c.paul_user).exists())

        send_due_reminders(timezone.now() + datetime.timedelta(days=4))
        overdue = by_recipient(self.server.take())
        self.assertEqual(
            overdue["paul@example.com"][0]["Subject"], "Overdue: 1 rating in H2 review"
        )
