"""The 1:1 writes: scheduling (past dates too), holding, cancelling, deleting with open
actions, talking points and notes by two people at once, and action items.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, TestCase
from django.urls import reverse

from productops.coaching.actions import (
    StaleNotes,
    do_add_action,
    do_add_talking_point,
    do_cancel_one_on_one,
    do_delete_one_on_one,
    do_end_series,
    do_mark_held,
    do_save_private_note,
    do_save_shared_notes,
    do_schedule_one_on_one,
    do_set_action_status,
)
from productops.coaching.agenda import load_agenda
from productops.coaching.models import ActionItem, OneOnOne, PrivateNote, TalkingPoint
from tests.coaching.one_on_one_cast import build_one_on_one_cast, days


class Scheduling(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_one_on_one_cast()
        cls.marco = cls.c.cast.marco_user

    def test_a_past_date_logs_a_1on1_that_already_happened(self) -> None:
        meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(-40))
        self.assertEqual((meeting.date, meeting.status), (days(-40), OneOnOne.Status.PLANNED))
        do_mark_held(self.marco, meeting)
        meeting.refresh_from_db()
        self.assertEqual((meeting.date, meeting.status), (days(-40), OneOnOne.Status.HELD))

    def test_the_report_schedules_too_but_not_someone_outside(self) -> None:
        do_schedule_one_on_one(self.c.cast.priya_user, self.c.marco_priya, date=days(1))
        for outsider in (self.c.cast.paul_user, self.c.dana_user, self.c.cast.vera_user):
            with self.assertRaises(PermissionDenied):
                do_schedule_one_on_one(outsider, self.c.marco_priya, date=days(2))

    def test_two_1on1s_on_one_day_are_refused_unless_one_was_cancelled(self) -> None:
        first = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(3))
        with self.assertRaisesMessage(ValidationError, "already a 1:1"):
            do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(3))
        do_cancel_one_on_one(self.marco, first)
        do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(3))

    def test_an_ended_series_schedules_nothing(self) -> None:
        do_end_series(self.marco, self.c.marco_priya)
        with self.assertRaisesMessage(ValidationError, "restart it"):
            do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(1))

    def test_a_date_must_be_a_date(self) -> None:
        with self.assertRaisesMessage(ValidationError, "YYYY-MM-DD"):
            do_schedule_one_on_one(self.marco, self.c.marco_priya, date="2025-01-01")

    def test_held_early_moves_the_date_to_today(self) -> None:
        meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(4))
        do_mark_held(self.marco, meeting)
        self.assertEqual(meeting.date, days(0))

    def test_a_held_1on1_is_not_cancelled(self) -> None:
        meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(-1))
        do_mark_held(self.marco, meeting)
        with self.assertRaisesMessage(ValidationError, "was held"):
            do_cancel_one_on_one(self.marco, meeting)


class DeletingAskFirstAndKeepsActions(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_one_on_one_cast()
        cls.marco = cls.c.cast.marco_user
        cls.priya = cls.c.cast.priya

    def setUp(self) -> None:
        self.meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(-7))
        self.survey = do_add_action(self.marco, self.meeting, owner=self.priya, text="Survey")
        self.mentor = do_add_action(self.marco, self.meeting, owner=self.priya, text="Mentor")
        self.old = do_add_action(self.marco, self.meeting, owner=self.priya, text="Old")
        do_set_action_status(self.marco, self.old, "done")

    def test_without_confirmation_it_says_how_many_open_actions_and_deletes_nothing(self) -> None:
        with self.assertRaises(ValidationError) as refused:
            do_delete_one_on_one(self.marco, self.meeting, confirm=False)
        message = refused.exception.messages[0]
        self.assertIn("raised 2 open actions", message)
        self.assertIn("will be kept", message)
        self.assertTrue(OneOnOne.objects.filter(pk=self.meeting.pk).exists())

    def test_confirmed_it_deletes_the_1on1_and_keeps_every_action(self) -> None:
        kept = do_delete_one_on_one(self.marco, self.meeting, confirm=True)
        self.assertEqual(kept, 3)
        self.assertFalse(OneOnOne.objects.filter(pk=self.meeting.pk).exists())
        actions = ActionItem.objects.filter(series=self.c.marco_priya)
        self.assertEqual(
            set(actions.values_list("text", "raised_in", "status")),
            {("Survey", None, "open"), ("Mentor", None, "open"), ("Old", None, "done")},
        )
        next_one = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(0))
        carried = {line.action.text for line in load_agenda(next_one).carried_actions}
        self.assertEqual(carried, {"Survey", "Mentor"})

    def test_a_1on1_whose_actions_are_all_closed_goes_without_asking(self) -> None:
        for action in (self.survey, self.mentor):
            do_set_action_status(self.marco, action, "dropped")
        self.assertEqual(do_delete_one_on_one(self.marco, self.meeting, confirm=False), 3)

    def test_the_confirm_page_asks_and_keeps_the_actions(self) -> None:
        self.client.force_login(self.marco)
        url = reverse("coaching:one_on_one_delete", args=[self.meeting.pk])
        page = self.client.get(url)
        self.assertContains(page, "This 1:1 raised 2 open actions.")
        self.assertContains(page, "They will be kept on the series")
        response = self.client.post(url, {"confirm": "yes"}, follow=True)
        self.assertRedirects(
            response, reverse("coaching:series_detail", args=[self.c.marco_priya.pk])
        )
        self.assertContains(response, "stay on the series")
        self.assertContains(response, "Survey")
        self.assertEqual(ActionItem.objects.filter(series=self.c.marco_priya).count(), 3)

    def test_a_post_without_the_confirmation_is_refused_with_the_count(self) -> None:
        self.client.force_login(self.marco)
        url = reverse("coaching:one_on_one_delete", args=[self.meeting.pk])
        response = self.client.post(url)
        self.assertContains(response, "raised 2 open actions", status_code=422)
        self.assertTrue(OneOnOne.objects.filter(pk=self.meeting.pk).exists())


class TwoPeopleAtOnce(TestCase):
    """Marco and Priya both have the 1:1 open and add items and notes in turn."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_one_on_one_cast()
        cls.marco = cls.c.cast.marco_user
        cls.priya = cls.c.cast.priya_user

    def setUp(self) -> None:
        self.meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(1))

    def test_interleaved_talking_points_and_notes_lose_nothing(self) -> None:
        marco_view = OneOnOne.objects.get(pk=self.meeting.pk)  # both opened the page
        priya_view = OneOnOne.objects.get(pk=self.meeting.pk)
        do_add_talking_point(self.marco, marco_view, text="Team health")
        do_add_talking_point(self.priya, priya_view, text="Promotion path")
        do_save_shared_notes(self.marco, marco_view, text="Marco: hiring is on track", revision=0)
        do_add_talking_point(self.priya, priya_view, text="Conference budget")
        with self.assertRaises(StaleNotes) as stale:
            do_save_shared_notes(self.priya, priya_view, text="Priya: my notes", revision=0)
        self.assertEqual(stale.exception.current_text, "Marco: hiring is on track")
        self.assertEqual(stale.exception.current_revision, 1)
        do_add_talking_point(self.marco, marco_view, text="Next quarter")
        merged = "Marco: hiring is on track\nPriya: my notes"
        do_save_shared_notes(self.priya, priya_view, text=merged, revision=1)

        self.meeting.refresh_from_db()
        self.assertEqual((self.meeting.shared_notes, self.meeting.notes_revision), (merged, 2))
        self.assertEqual(
            [p.text for p in load_agenda(self.meeting).talking_points],
            ["Team health", "Promotion path", "Conference budget", "Next quarter"],
        )

    def test_two_browsers_each_see_the_others_items_and_a_stale_save_shows_the_text(self) -> None:
        marco, priya = Client(), Client()
        marco.force_login(self.marco)
        priya.force_login(self.priya)
        points = reverse("coaching:talking_point_add", args=[self.meeting.pk])
        notes = reverse("coaching:notes_save", args=[self.meeting.pk])
        htmx = {"HTTP_HX_REQUEST": "true"}

        marco.post(points, {"text": "Team health"}, **htmx)
        answer = priya.post(points, {"text": "Promotion path"}, **htmx)
        self.assertContains(answer, "Team health")  # Marco's item comes back in her list
        self.assertContains(answer, "Promotion path")

        saved = marco.post(notes, {"text": "Hiring on track", "revision": 0}, **htmx)
        self.assertContains(saved, "Saved.")
        self.assertContains(saved, 'name="revision" value="1"')
        refused = priya.post(notes, {"text": "My own notes", "revision": 0}, **htmx)
        self.assertEqual(refused.status_code, 200)  # htmx swaps it in
        self.assertContains(refused, "Someone else saved these notes")
        self.assertContains(refused, "Hiring on track")  # what is there now
        self.assertContains(refused, "My own notes")  # her draft, kept in the box
        self.assertContains(refused, 'name="revision" value="1"')
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.shared_notes, "Hiring on track")

        plain = priya.post(notes, {"text": "Still stale", "revision": 0})
        self.assertEqual(plain.status_code, 409)
        self.assertContains(plain, "Hiring on track", status_code=409)

        priya.post(notes, {"text": "Hiring on track\nMy own notes", "revision": 1}, **htmx)
        self.meeting.refresh_from_db()
        self.assertEqual(self.meeting.shared_notes, "Hiring on track\nMy own notes")
        self.assertEqual(TalkingPoint.objects.filter(meeting=self.meeting).count(), 2)

    def test_private_notes_are_one_per_author_and_never_collide(self) -> None:
        do_save_private_note(self.marco, self.meeting, text="Marco's thoughts")
        do_save_private_note(self.priya, self.meeting, text="Priya's thoughts")
        do_save_private_note(self.marco, self.meeting, text="Marco, revised")
        self.assertEqual(
            dict(
                PrivateNote.objects.filter(meeting=self.meeting).values_list(
                    "author__username", "text"
                )
            ),
            {"marco": "Marco, revised", "priya": "Priya's thoughts"},
        )

    def test_talking_points_need_words_and_a_meeting_that_happens(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Write the talking point first"):
            do_add_talking_point(self.marco, self.meeting, text="   ")
        with self.assertRaisesMessage(ValidationError, "under 2000 characters"):
            do_add_talking_point(self.marco, self.meeting, text="x" * 2001)
        do_cancel_one_on_one(self.marco, self.meeting)
        with self.assertRaisesMessage(ValidationError, "add the talking point to the next one"):
            do_add_talking_point(self.marco, self.meeting, text="Late idea")


class ActionItems(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_one_on_one_cast()
        cls.marco = cls.c.cast.marco_user

    def setUp(self) -> None:
        self.meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(0))

    def test_the_owner_is_one_of_the_two(self) -> None:
        for owner in (self.c.cast.marco, self.c.cast.priya):
            do_add_action(self.marco, self.meeting, owner=owner, text=f"for {owner.name}")
        with self.assertRaisesMessage(ValidationError, "owned by Marco Manager or Priya PM"):
            do_add_action(self.marco, self.meeting, owner=self.c.cast.paul, text="for Paul")

    def test_a_due_date_before_the_1on1_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "before this 1:1"):
            do_add_action(
                self.marco, self.meeting, owner=self.c.cast.priya, text="x", due_date=days(-1)
            )

    def test_done_dropped_and_reopen(self) -> None:
        action = do_add_action(self.marco, self.meeting, owner=self.c.cast.priya, text="Survey")
        do_set_action_status(self.c.cast.priya_user, action, "done")
        self.assertEqual(action.status, "done")
        self.assertIsNotNone(action.closed_at)
        do_set_action_status(self.marco, action, "reopen")
        self.assertEqual((action.status, action.closed_at), ("open", None))
        with self.assertRaisesMessage(ValidationError, "Choose done, dropped or reopen"):
            do_set_action_status(self.marco, action, "finished")
        with self.assertRaises(PermissionDenied):
            do_set_action_status(self.c.cast.paul_user, action, "done")

    def test_actions_may_be_added_to_a_cancelled_1on1_and_carry_over(self) -> None:
        do_cancel_one_on_one(self.marco, self.meeting)
        action = do_add_action(
            self.marco, self.meeting, owner=self.c.cast.priya, text="Still do it"
        )
        later = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(7))
        self.assertEqual(
            [line.action.pk for line in load_agenda(later).carried_actions], [action.pk]
        )
