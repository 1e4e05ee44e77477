"""Every 1:1 page and form, opened by each member of the cast, and what the 1:1 page costs.

Marco and Priya have weekly 1:1s; Tariq coaches Paul, whose manager is Marco. Hana is
the admin; Dana has no 1:1s; Vera is a viewer.
"""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productops.coaching.actions import (
    do_add_action,
    do_add_talking_point,
    do_mark_held,
    do_schedule_one_on_one,
    do_set_action_status,
)
from productops.coaching.models import ActionItem, OneOnOne, TalkingPoint
from tests.coaching.one_on_one_cast import build_one_on_one_cast, days

WHO = ("hana", "marco", "priya", "paul", "tariq", "dana", "vera")


class PagesByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = c = build_one_on_one_cast()
        cast = c.cast
        cls.users = {
            "hana": cast.hana_user,
            "marco": cast.marco_user,
            "priya": cast.priya_user,
            "paul": cast.paul_user,
            "tariq": c.tariq_user,
            "dana": c.dana_user,
            "vera": cast.vera_user,
        }
        cls.mp_meeting = do_schedule_one_on_one(cast.marco_user, c.marco_priya, date=days(0))
        cls.tp_meeting = do_schedule_one_on_one(c.tariq_user, c.tariq_paul, date=days(0))
        cls.mp_action = do_add_action(
            cast.marco_user, cls.mp_meeting, owner=cast.priya, text="Share the survey"
        )

    def status(self, who: str, name: str, *args, method: str = "get", **data) -> int:
        self.client.force_login(self.users[who])
        call = getattr(self.client, method)
        return call(reverse(f"coaching:{name}", args=args), data).status_code

    def statuses(self, name: str, *args, method: str = "get", **data) -> dict[str, int]:
        return {who: self.status(who, name, *args, method=method, **data) for who in WHO}

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        for name, args in [
            ("series_list", []),
            ("series_new", []),
            ("series_detail", [self.c.marco_priya.pk]),
            ("one_on_one_new", [self.c.marco_priya.pk]),
            ("one_on_one_detail", [self.mp_meeting.pk]),
            ("one_on_one_delete", [self.mp_meeting.pk]),
        ]:
            response = self.client.get(reverse(f"coaching:{name}", args=args))
            self.assertEqual(response.status_code, 302, name)
            self.assertIn(reverse("login"), response["Location"])

    def test_the_series_list_shows_each_role_the_series_it_may_see(self) -> None:
        seen = {}
        for who in WHO:
            self.client.force_login(self.users[who])
            response = self.client.get(reverse("coaching:series_list"))
            if response.status_code != 200:
                seen[who] = response.status_code
                continue
            text = response.content.decode()
            seen[who] = {
                pair for pair, name in (("mp", "Priya PM"), ("tp", "Tariq Tech")) if name in text
            }
        self.assertEqual(
            seen,
            {
                "hana": {"mp", "tp"},
                "marco": {"mp", "tp"},  # tp: Paul is in Marco's chain
                "priya": {"mp"},
                "paul": {"tp"},
                "tariq": {"tp"},
                "dana": set(),
                "vera": 403,
            },
        )

    def test_a_viewer_is_told_why_the_list_is_closed(self) -> None:
        self.client.force_login(self.users["vera"])
        response = self.client.get(reverse("coaching:series_list"))
        self.assertContains(response, "aggregates only", status_code=403)

    def test_dana_sees_an_empty_list_that_says_what_happens_next(self) -> None:
        self.client.force_login(self.users["dana"])
        response = self.client.get(reverse("coaching:series_list"))
        self.assertContains(response, "No 1:1 series you can see yet")

    def test_the_series_and_1on1_pages_are_404_outside_the_pair_and_their_managers(self) -> None:
        mp = {
            "hana": 200,
            "marco": 200,
            "priya": 200,
            "paul": 404,
            "tariq": 404,
            "dana": 404,
            "vera": 404,
        }
        tp = {
            "hana": 200,
            "marco": 200,
            "priya": 404,
            "paul": 200,
            "tariq": 200,
            "dana": 404,
            "vera": 404,
        }
        self.assertEqual(self.statuses("series_detail", self.c.marco_priya.pk), mp)
        self.assertEqual(self.statuses("one_on_one_detail", self.mp_meeting.pk), mp)
        self.assertEqual(self.statuses("series_detail", self.c.tariq_paul.pk), tp)
        self.assertEqual(self.statuses("one_on_one_detail", self.tp_meeting.pk), tp)

    def test_scheduling_and_deleting_are_for_the_pair_and_admins(self) -> None:
        # Marco sees Tariq and Paul's series (Paul reports to him) but is not in it: 403.
        tp = {
            "hana": 200,
            "marco": 403,
            "priya": 404,
            "paul": 200,
            "tariq": 200,
            "dana": 404,
            "vera": 404,
        }
        self.assertEqual(self.statuses("one_on_one_new", self.c.tariq_paul.pk), tp)
        self.assertEqual(self.statuses("one_on_one_delete", self.tp_meeting.pk), tp)

    def test_starting_a_series_needs_a_person_behind_the_login(self) -> None:
        statuses = self.statuses("series_new")
        self.assertEqual(
            statuses,
            {
                "hana": 200,
                "marco": 200,
                "priya": 200,
                "paul": 200,
                "tariq": 200,
                "dana": 200,
                "vera": 403,
            },
        )

    def test_writes_by_someone_who_only_reads_are_refused_with_a_sentence(self) -> None:
        self.client.force_login(self.users["marco"])
        meeting = self.tp_meeting
        for name, data in [
            ("talking_point_add", {"text": "From Marco"}),
            ("notes_save", {"text": "Marco's words", "revision": 0}),
            ("private_note_save", {"text": "mine"}),
            ("action_add", {"text": "Do it", "owner": self.c.cast.paul.pk}),
            ("one_on_one_status", {"status": "held"}),
        ]:
            response = self.client.post(reverse(f"coaching:{name}", args=[meeting.pk]), data)
            self.assertEqual(response.status_code, 403, name)
        self.assertContains(response, "Tariq Tech and Paul PM", status_code=403)
        self.assertFalse(TalkingPoint.objects.filter(meeting=meeting).exists())
        meeting.refresh_from_db()
        self.assertEqual((meeting.shared_notes, meeting.status), ("", OneOnOne.Status.PLANNED))

    def test_people_outside_get_404_on_every_write(self) -> None:
        self.client.force_login(self.users["paul"])
        meeting = self.mp_meeting
        for name in ["talking_point_add", "notes_save", "private_note_save", "action_add"]:
            response = self.client.post(
                reverse(f"coaching:{name}", args=[meeting.pk]), {"text": "x"}
            )
            self.assertEqual(response.status_code, 404, name)
        response = self.client.post(
            reverse("coaching:action_status", args=[self.mp_action.pk]), {"status": "done"}
        )
        self.assertEqual(response.status_code, 404)
        self.mp_action.refresh_from_db()
        self.assertTrue(self.mp_action.is_open)

    def test_an_admin_keeps_no_private_note_on_someone_elses_1on1(self) -> None:
        self.assertEqual(
            self.status("hana", "private_note_save", self.mp_meeting.pk, method="post", text="x"),
            403,
        )

    def test_series_settings_are_for_the_lead_and_admins(self) -> None:
        series = self.c.marco_priya
        data = {
            "kind": "manager",
            "cadence": "fortnightly",
            "duration_minutes": 45,
            "start_date": days(-60),
        }
        self.assertEqual(
            self.status("priya", "series_update", series.pk, method="post", **data), 403
        )
        self.assertEqual(self.status("priya", "series_end", series.pk, method="post"), 403)
        self.assertEqual(self.status("paul", "series_end", series.pk, method="post"), 404)
        self.assertEqual(
            self.status("vera", "series_update", series.pk, method="post", **data), 404
        )
        self.assertEqual(
            self.status("marco", "series_update", series.pk, method="post", **data), 302
        )
        series.refresh_from_db()
        self.assertEqual((series.cadence, series.duration_minutes), ("fortnightly", 45))


class OneOnOnePage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_one_on_one_cast()
        cls.marco = cls.c.cast.marco_user
        cls.priya = cls.c.cast.priya_user

    def setUp(self) -> None:
        self.client.force_login(self.marco)

    def page(self, meeting: OneOnOne):
        return self.client.get(reverse("coaching:one_on_one_detail", args=[meeting.pk]))

    def test_the_page_shows_the_agenda_in_its_four_parts(self) -> None:
        c = self.c
        last = do_schedule_one_on_one(self.marco, c.marco_priya, date=days(-7))
        do_add_action(
            self.marco, last, owner=c.cast.priya, text="Send the interview notes", due_date=days(-1)
        )
        do_mark_held(self.marco, last)
        today = do_schedule_one_on_one(self.marco, c.marco_priya, date=days(0))
        do_add_talking_point(self.priya, today, text="Promotion path")
        response = self.page(today)
        text = response.content.decode()
        order = [
            text.index("Open actions from earlier 1:1s"),
            text.index("Plan goals due for a check-in"),
            text.index("Talking points"),
        ]
        self.assertEqual(order, sorted(order))
        self.assertContains(response, "Send the interview notes")
        self.assertContains(response, "overdue")
        self.assertContains(response, "Product discovery")
        self.assertContains(response, "Promotion path")
        self.assertContains(response, "Priya PM")

    def test_an_empty_agenda_says_what_to_do(self) -> None:
        c = self.c
        c.priya_plan.status = "closed"
        c.priya_plan.save()
        meeting = do_schedule_one_on_one(self.marco, c.marco_priya, date=days(0))
        self.assertContains(self.page(meeting), "Add a talking point to start the agenda")

    def test_a_past_date_logs_a_1on1_after_the_fact(self) -> None:
        response = self.client.post(
            reverse("coaching:one_on_one_new", args=[self.c.marco_priya.pk]), {"date": days(-30)}
        )
        meeting = OneOnOne.objects.get(series=self.c.marco_priya, date=days(-30))
        self.assertRedirects(response, reverse("coaching:one_on_one_detail", args=[meeting.pk]))
        self.assertEqual(meeting.status, OneOnOne.Status.PLANNED)
        follow = self.page(meeting)
        self.assertContains(follow, "Mark as held")

    def test_a_bad_date_is_explained_not_a_traceback(self) -> None:
        url = reverse("coaching:one_on_one_new", args=[self.c.marco_priya.pk])
        response = self.client.post(url, {"date": "next tuesday"})
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "valid date", status_code=422)
        do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(3))
        response = self.client.post(url, {"date": days(3)})
        self.assertContains(response, "already a 1:1", status_code=422)

    def test_talking_points_are_added_with_htmx_and_come_back_as_the_list(self) -> None:
        meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(1))
        url = reverse("coaching:talking_point_add", args=[meeting.pk])
        response = self.client.post(url, {"text": "Roadmap review"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, "Roadmap review")
        self.assertContains(response, 'id="oo-points"')
        self.assertNotContains(response, "<html")
        empty = self.client.post(url, {"text": "   "}, HTTP_HX_REQUEST="true")
        self.assertContains(empty, "required")
        self.assertEqual(meeting.talking_points.count(), 1)

    def test_actions_are_added_and_closed_with_htmx(self) -> None:
        c = self.c
        meeting = do_schedule_one_on_one(self.marco, c.marco_priya, date=days(0))
        response = self.client.post(
            reverse("coaching:action_add", args=[meeting.pk]),
            {"text": "Book the design review", "owner": c.cast.priya.pk, "due_date": days(7)},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "Book the design review")
        self.assertContains(response, 'id="oo-actions"')
        action = ActionItem.objects.get(text="Book the design review")
        self.assertEqual(
            (action.owner, action.raised_in, action.series), (c.cast.priya, meeting, c.marco_priya)
        )
        response = self.client.post(
            reverse("coaching:action_status", args=[action.pk]),
            {"status": "done", "meeting": meeting.pk},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "Reopen")
        action.refresh_from_db()
        self.assertEqual(action.status, ActionItem.Status.DONE)
        self.assertIsNotNone(action.closed_at)

    def test_an_owner_outside_the_pair_is_refused_clearly(self) -> None:
        meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(0))
        response = self.client.post(
            reverse("coaching:action_add", args=[meeting.pk]),
            {"text": "Paul does it", "owner": self.c.cast.paul.pk},
        )
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Select a valid choice", status_code=422)
        self.assertFalse(ActionItem.objects.filter(text="Paul does it").exists())

    def test_a_goal_check_in_is_recorded_from_the_1on1_page(self) -> None:
        c = self.c
        meeting = do_schedule_one_on_one(self.marco, c.marco_priya, date=days(0))
        prefix = f"goal-{c.discovery.pk}"
        response = self.client.post(
            reverse("coaching:check_in_add", args=[meeting.pk, c.discovery.pk]),
            {f"{prefix}-status": "at_risk", f"{prefix}-note": "No interviews this month"},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "Checked in here: at risk")
        check_in = c.discovery.check_ins.get()
        self.assertEqual(
            (check_in.one_on_one, check_in.date, check_in.author), (meeting, days(0), self.marco)
        )
        # The goal stays on the agenda with what was recorded, without a second form.
        page = self.page(meeting).content.decode()
        self.assertIn("Checked in here: at risk — No interviews this month", page)
        self.assertEqual(page.count(f'name="{prefix}-status"'), 0)

    def test_a_check_in_on_a_closed_goal_is_refused_with_a_message(self) -> None:
        c = self.c
        meeting = do_schedule_one_on_one(self.marco, c.marco_priya, date=days(0))
        c.delivery.status = "achieved"
        c.delivery.save()
        prefix = f"goal-{c.delivery.pk}"
        response = self.client.post(
            reverse("coaching:check_in_add", args=[meeting.pk, c.delivery.pk]),
            {f"{prefix}-status": "on_track"},
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "achieved")
        self.assertFalse(c.delivery.check_ins.exists())

    def test_a_goal_of_someone_else_is_404(self) -> None:
        meeting = do_schedule_one_on_one(self.c.tariq_user, self.c.tariq_paul, date=days(0))
        self.client.force_login(self.c.tariq_user)
        response = self.client.post(
            reverse("coaching:check_in_add", args=[meeting.pk, self.c.discovery.pk]),
            {f"goal-{self.c.discovery.pk}-status": "on_track"},
        )
        self.assertEqual(response.status_code, 404)

    def test_marking_held_and_cancelling(self) -> None:
        meeting = do_schedule_one_on_one(self.marco, self.c.marco_priya, date=days(2))
        url = reverse("coaching:one_on_one_status", args=[meeting.pk])
        self.client.post(url, {"status": "cancelled"})
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, OneOnOne.Status.CANCELLED)
        response = self.client.post(url, {"status": "held"}, follow=True)
        meeting.refresh_from_db()
        self.assertEqual((meeting.status, meeting.date), (OneOnOne.Status.HELD, days(0)))
        self.assertContains(response, "took place today")
        response = self.client.post(url, {"status": "cancelled"}, follow=True)
        self.assertContains(response, "was held, so it cannot be cancelled")

    def test_the_series_page_lists_1on1s_and_open_actions(self) -> None:
        c = self.c
        meeting = do_schedule_one_on_one(self.marco, c.marco_priya, date=days(-7))
        do_add_action(self.marco, meeting, owner=c.cast.marco, text="Find a mentor")
        done = do_add_action(self.marco, meeting, owner=c.cast.priya, text="Old thing")
        do_set_action_status(self.marco, done, "done")
        response = self.client.get(reverse("coaching:series_detail", args=[c.marco_priya.pk]))
        self.assertContains(response, days(-7).isoformat())
        self.assertContains(response, "Find a mentor")
        self.assertContains(response, "Recently done or dropped (1)")


class PageCost(TestCase):
    """The 1:1 page costs the same for a long history as for a short one."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_one_on_one_cast()

    def grow(self, weeks: int) -> OneOnOne:
        c, marco = self.c, self.c.cast.marco_user
        start = len(OneOnOne.objects.filter(series=c.marco_priya))
        for week in range(start, start + weeks):
            meeting = do_schedule_one_on_one(marco, c.marco_priya, date=days(-7 * (week + 1)))
            for n in range(3):
                do_add_action(marco, meeting, owner=c.cast.priya, text=f"week {week} item {n}")
            do_add_talking_point(marco, meeting, text=f"point {week}")
            do_mark_held(marco, meeting)
        return OneOnOne.objects.get_or_create(series=c.marco_priya, date=days(0))[0]

    def count(self, meeting: OneOnOne, user) -> int:
        self.client.force_login(user)
        url = reverse("coaching:one_on_one_detail", args=[meeting.pk])
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_queries_do_not_grow_with_actions_and_meetings(self) -> None:
        for user in (self.c.cast.marco_user, self.c.cast.hana_user):
            with self.subTest(user=user.username):
                meeting = self.grow(2)
                do_add_talking_point(self.c.cast.priya_user, meeting, text="today")
                small = self.count(meeting, user)
                self.grow(6)
                self.assertEqual(self.count(meeting, user), small)

    def test_series_pages_do_not_grow_either(self) -> None:
        user = self.c.cast.marco_user
        self.grow(2)
        self.client.force_login(user)
        urls = [
            reverse("coaching:series_detail", args=[self.c.marco_priya.pk]),
            reverse("coaching:series_list"),
        ]

        def cost() -> list[int]:
            counts = []
            for url in urls:
                with CaptureQueriesContext(connection) as queries:
                    self.assertEqual(self.client.get(url).status_code, 200)
                counts.append(len(queries))
            return counts

        small = cost()
        self.grow(8)
        self.assertEqual(cost(), small)
