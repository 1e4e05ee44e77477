"""Starting communities, adding sessions and recording attendance: who may, and what is refused."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from productops.coaching import visibility
from productops.coaching.actions import (
    do_add_attendee,
    do_add_session,
    do_create_community,
    do_remove_attendee,
    do_set_attendance,
)
from productops.coaching.models import Attendance, Community
from productops.org.models import Person
from tests.cast import build_cast
from tests.coaching.communities_story import build_communities


def attendees(session) -> set[str]:
    return set(session.attendees.values_list("name", flat=True))


class WhoRunsCommunities(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def test_admins_and_managers_start_communities_members_and_viewers_do_not(self) -> None:
        made = do_create_community(self.cast.marco_user, name="Experiment clinic")
        self.assertEqual(made.kind, Community.Kind.COMMUNITY)
        for user in (self.cast.priya_user, self.cast.vera_user):
            with self.assertRaisesMessage(PermissionDenied, "Only admins and managers"):
                do_create_community(user, name="Writers' circle")
        self.assertFalse(Community.objects.filter(name="Writers' circle").exists())

    def test_only_admins_and_managers_add_sessions_even_the_organizer_does_not(self) -> None:
        with self.assertRaises(PermissionDenied):
            do_add_session(
                self.cast.priya_user, self.story.guild, date=self.story.today, topic="Story maps"
            )
        session = do_add_session(
            self.cast.marco_user, self.story.guild, date=self.story.today, topic="Story maps"
        )
        self.assertIsNone(session.facilitator)

    def test_the_organizer_records_attendance_for_every_session(self) -> None:
        priya = self.cast.priya_user
        self.assertTrue(visibility.can_record_attendance(priya, self.story.guild))
        self.assertTrue(do_add_attendee(priya, self.story.first, self.cast.paul))
        self.assertIn("Paul PM", attendees(self.story.first))
        self.assertFalse(visibility.can_record_attendance(priya, self.story.reading))

    def test_a_facilitator_records_their_own_session_only(self) -> None:
        paul = self.cast.paul_user
        self.assertTrue(visibility.can_record_attendance(paul, self.story.first))
        self.assertFalse(visibility.can_record_attendance(paul, self.story.guild))
        do_remove_attendee(paul, self.story.first, self.cast.otto)
        self.assertNotIn("Otto Outsider", attendees(self.story.first))
        with self.assertRaisesMessage(PermissionDenied, "facilitator"):
            do_add_attendee(paul, self.story.second, self.cast.otto)

    def test_a_viewer_records_nothing_and_sees_no_names(self) -> None:
        vera = self.cast.vera_user
        self.assertFalse(visibility.can_record_attendance(vera, self.story.first))
        self.assertFalse(visibility.sees_attendee_names(vera))
        self.assertTrue(visibility.sees_attendee_names(self.cast.priya_user))
        with self.assertRaises(PermissionDenied):
            do_set_attendance(vera, self.story.first, [])


class AttendanceWrites(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def test_setting_attendance_replaces_the_whole_list(self) -> None:
        first = self.story.first
        count = do_set_attendance(
            self.cast.hana_user, first, [self.cast.paul, self.cast.tariq, self.cast.paul]
        )
        self.assertEqual(count, 2)
        self.assertEqual(attendees(first), {"Paul PM", "Tariq Tech"})
        do_set_attendance(self.cast.hana_user, first, [])
        self.assertEqual(attendees(first), set())

    def test_a_failed_replacement_leaves_the_old_list(self) -> None:
        ghost = Person(pk=999_999, name="Nobody", email="nobody@example.com")
        with self.assertRaisesMessage(ValidationError, "must be a person in the organization"):
            do_set_attendance(self.cast.hana_user, self.story.second, [self.cast.otto, ghost])
        self.assertEqual(attendees(self.story.second), {"Priya PM", "Paul PM", "Tariq Tech"})

    def test_toggles_are_harmless_when_repeated(self) -> None:
        second, otto = self.story.second, self.cast.otto
        self.assertTrue(do_add_attendee(self.cast.hana_user, second, otto))
        self.assertFalse(do_add_attendee(self.cast.hana_user, second, otto))
        self.assertEqual(Attendance.objects.filter(session=second, person=otto).count(), 1)
        self.assertTrue(do_remove_attendee(self.cast.hana_user, second, otto))
        self.assertFalse(do_remove_attendee(self.cast.hana_user, second, otto))

    def test_a_session_that_has_not_happened_takes_no_attendance(self) -> None:
        with self.assertRaisesMessage(ValidationError, "record who came once it has taken place"):
            do_add_attendee(self.cast.hana_user, self.story.planned, self.cast.paul)
        self.assertEqual(attendees(self.story.planned), set())


class BadInput(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def refused(self, field: str, message: str, **fields) -> None:
        with self.assertRaises(ValidationError) as caught:
            do_create_community(self.cast.hana_user, **fields)
        self.assertIn(field, caught.exception.message_dict)
        self.assertIn(message, " ".join(caught.exception.message_dict[field]))

    def test_community_fields(self) -> None:
        self.refused("name", "cannot be empty", name="   ")
        self.refused("name", "already exists", name="discovery GUILD")
        self.refused("name", "keep it to 200", name="x" * 201)
        self.refused("kind", "not a kind of community", name="Club", kind="party")
        self.refused("book", "book cannot be empty", name="Club", kind="book_club")
        self.refused("book", "Only a book club reads a book", name="Guild 2", book="Inspired")

    def test_an_organizer_who_left_is_refused(self) -> None:
        Person.objects.filter(pk=self.cast.otto.pk).update(active=False)
        self.cast.otto.refresh_from_db()
        self.refused("organizer", "has left", name="Sales circle", organizer=self.cast.otto)

    def test_session_fields(self) -> None:
        hana, guild, today = self.cast.hana_user, self.story.guild, self.story.today
        with self.assertRaisesMessage(ValidationError, "cannot be empty"):
            do_add_session(hana, guild, date=today, topic="  ")
        with self.assertRaisesMessage(ValidationError, "YYYY-MM-DD"):
            do_add_session(hana, guild, date="yesterday", topic="Story maps")  # type: ignore[arg-type]
        with self.assertRaisesMessage(ValidationError, "already has a session"):
            do_add_session(
                hana, guild, date=today - timedelta(days=30), topic="interview snapshots"
            )

    def test_a_past_session_can_be_logged_after_the_fact(self) -> None:
        session = do_add_session(
            self.cast.hana_user,
            self.story.guild,
            date=self.story.today - timedelta(days=400),
            topic="The guild's first meeting",
        )
        do_set_attendance(self.cast.hana_user, session, [self.cast.priya])
        self.assertEqual(attendees(session), {"Priya PM"})
