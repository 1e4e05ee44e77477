"""Each 1:1 note says exactly who reads it, and the sentence is the visibility rule.

Tariq coaches Omar, who reports to Nora, who reports to Marco, who reports to Hana.
Nora manages Omar but has a member login, so she does not read his 1:1s; Marco (a
manager) and Hana (admin) do, two and three levels up. `root` is a second admin with no
person. The test names every login the sentence names and checks each one can read the
shared notes, and that every login it does not name cannot.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.test import Client, TestCase
from django.urls import reverse

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.coaching import visibility
from productops.coaching.actions import (
    do_create_series,
    do_save_private_note,
    do_save_shared_notes,
    do_schedule_one_on_one,
)
from productops.org.models import Discipline, Person
from tests.api import ApiClient
from tests.cast import PASSWORD
from tests.coaching.one_on_one_cast import build_one_on_one_cast, days

SHARED = "SHARED-TEXT agreed on the next step"


def name_of(user: User) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


class WhoReadsTheNotes(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = c = build_one_on_one_cast()
        cast = c.cast
        nora = Person.objects.create(
            name="Nora Lead",
            email="nora@example.com",
            discipline=Discipline.PRODUCT,
            manager=cast.marco,
        )
        omar = Person.objects.create(
            name="Omar Report",
            email="omar@example.com",
            discipline=Discipline.PRODUCT,
            manager=nora,
        )
        cls.nora_user = do_create_login("nora", PASSWORD, Role.MEMBER, person=nora)
        cls.omar_user = do_create_login("omar", PASSWORD, Role.MEMBER, person=omar)
        cls.root = do_create_login("root", PASSWORD, Role.ADMIN)
        cls.series = do_create_series(
            c.tariq_user,
            lead=cast.tariq,
            report=omar,
            kind="coach",
            cadence="weekly",
            duration_minutes=30,
            start_date=days(-30),
        )
        cls.meeting = do_schedule_one_on_one(c.tariq_user, cls.series, date=days(0))
        do_save_shared_notes(c.tariq_user, cls.meeting, text=SHARED, revision=0)
        do_save_private_note(c.tariq_user, cls.meeting, text="TARIQ-ONLY")
        cls.mp = do_schedule_one_on_one(cast.marco_user, c.marco_priya, date=days(0))
        do_save_shared_notes(cast.marco_user, cls.mp, text=SHARED, revision=0)

    def page(self, meeting) -> str:
        return reverse("coaching:one_on_one_detail", args=[meeting.pk])

    def reads(self, user: User, meeting) -> bool:
        browser = Client()
        browser.force_login(user)
        answer = browser.get(self.page(meeting))
        return answer.status_code == 200 and SHARED in answer.content.decode()

    def test_the_sentence_names_exactly_who_reads(self) -> None:
        for meeting in (self.meeting, self.mp):
            readers = visibility.shared_note_readers(meeting.series)
            sentence = readers.sentence_for(AnonymousUser())
            for user in User.objects.all():
                with self.subTest(meeting=meeting.pk, login=user.username):
                    self.assertEqual(self.reads(user, meeting), name_of(user) in sentence, sentence)
                    self.assertEqual(self.reads(user, meeting), user.pk in readers.login_ids())

    def test_the_coach_is_told_the_chain_two_levels_up(self) -> None:
        self.client.force_login(self.c.tariq_user)
        page = self.client.get(self.page(self.meeting))
        self.assertContains(
            page,
            "Visible to you, Omar Report, Omar&#x27;s management chain (Marco Manager, "
            "Hana Head) and the admin (root).",
        )
        self.assertNotContains(page, "Both of you read")
        self.assertNotContains(page, "Nora Lead")  # her member login does not read it
        self.assertFalse(self.reads(self.nora_user, self.meeting))

    def test_the_report_and_a_reader_above_get_their_own_sentence(self) -> None:
        self.client.force_login(self.c.cast.priya_user)
        self.assertContains(
            self.client.get(self.page(self.mp)),
            "Visible to you, Marco Manager, Priya&#x27;s management chain (Hana Head) and "
            "the admin (root).",
        )
        self.client.force_login(self.c.cast.hana_user)
        self.assertContains(
            self.client.get(self.page(self.meeting)),
            "Visible to you, Tariq Tech, Omar Report, Omar&#x27;s management chain "
            "(Marco Manager) and the admin (root).",
        )

    def test_a_private_note_says_visible_to_you_only(self) -> None:
        self.client.force_login(self.c.tariq_user)
        page = self.client.get(self.page(self.meeting))
        self.assertContains(page, "<strong>Visible to you only.</strong>", html=False)
        self.assertContains(page, "TARIQ-ONLY")
        self.client.force_login(self.omar_user)
        page = self.client.get(self.page(self.meeting))
        self.assertContains(page, "Visible to you only.")
        self.assertNotContains(page, "TARIQ-ONLY")

    def test_the_api_says_the_same(self) -> None:
        api = ApiClient()
        detail = api.get("tariq", f"/coaching/one-on-ones/{self.meeting.pk}").json()
        self.assertEqual(
            detail["shared_notes_visible_to"],
            "Visible to you, Omar Report, Omar's management chain (Marco Manager, Hana Head) "
            "and the admin (root).",
        )
        note = api.get("tariq", f"/coaching/one-on-ones/{self.meeting.pk}/private-note").json()
        self.assertEqual(note["visible_to"], "Visible to you only.")

    def test_a_participant_without_a_login_is_named_as_such(self) -> None:
        self.omar_user.is_active = False
        self.omar_user.save()
        readers = visibility.shared_note_readers(self.series)
        self.assertIn("Omar Report (no active login)", readers.sentence_for(self.c.tariq_user))
        self.assertNotIn(self.omar_user.pk, readers.login_ids())
