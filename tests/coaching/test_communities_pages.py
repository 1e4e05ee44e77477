"""The community pages, opened by each member of the cast."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productops.coaching.actions import do_add_session, do_set_attendance
from productops.coaching.models import Community
from productops.org.models import Discipline, Person
from tests.cast import build_cast
from tests.coaching.communities_story import BOOK, build_communities


class CommunityPagesByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def open(self, user, name, *args, **query):
        self.client.force_login(user)
        return self.client.get(reverse(f"coaching:{name}", args=args), query)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get(reverse("coaching:communities"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_a_member_sees_communities_with_counts_and_organizers(self) -> None:
        response = self.open(self.cast.paul_user, "communities")
        self.assertContains(response, "Discovery guild")
        self.assertContains(response, BOOK)
        self.assertContains(response, "Priya PM")  # the organizer
        self.assertNotContains(response, "Start a community")
        self.assertEqual(
            [(c.name, c.session_count, c.people) for c in response.context["page"]],
            [("Discovery guild", 3, 5), ("Outcomes book club", 1, 2)],
        )

    def test_a_viewer_sees_counts_but_no_names(self) -> None:
        for name, args in [
            ("communities", ()),
            ("community_detail", (self.story.guild.pk,)),
            ("session_detail", (self.story.first.pk,)),
        ]:
            response = self.open(self.cast.vera_user, name, *args)
            self.assertEqual(response.status_code, 200, name)
            for person in ("Priya PM", "Paul PM", "Dana Designer", "Otto Outsider"):
                self.assertNotContains(response, person)
        response = self.open(self.cast.vera_user, "session_detail", self.story.first.pk)
        self.assertEqual(response.context["count"], 4)
        self.assertContains(response, "Sales")

    def test_only_admins_and_managers_may_start_a_community(self) -> None:
        response = self.open(self.cast.priya_user, "community_new")
        self.assertContains(response, "Only admins and managers", status_code=403)
        self.assertEqual(
            self.open(self.cast.priya_user, "session_new", self.story.guild.pk).status_code, 403
        )
        self.assertContains(self.open(self.cast.marco_user, "community_new"), "Create")

    def test_a_manager_starts_a_book_club_and_adds_a_session(self) -> None:
        self.client.force_login(self.cast.marco_user)
        response = self.client.post(
            reverse("coaching:community_new"),
            {"name": "Strategy readers", "kind": "book_club", "book": "Good Strategy Bad Strategy"},
        )
        club = Community.objects.get(name="Strategy readers")
        self.assertRedirects(response, reverse("coaching:community_detail", args=[club.pk]))
        response = self.client.post(
            reverse("coaching:session_new", args=[club.pk]),
            {
                "date": self.story.today.isoformat(),
                "topic": "Chapter 1",
                "facilitator": self.cast.paul.pk,
            },
        )
        session = club.sessions.get()
        self.assertRedirects(response, reverse("coaching:session_detail", args=[session.pk]))
        self.assertEqual(session.facilitator, self.cast.paul)

    def test_bad_input_is_shown_on_the_form(self) -> None:
        self.client.force_login(self.cast.marco_user)
        response = self.client.post(
            reverse("coaching:community_new"), {"name": "Discovery Guild", "kind": "community"}
        )
        self.assertContains(response, "already exists")
        response = self.client.post(
            reverse("coaching:community_new"), {"name": "Readers", "kind": "book_club"}
        )
        self.assertContains(response, "book cannot be empty")
        response = self.client.post(
            reverse("coaching:session_new", args=[self.story.guild.pk]),
            {"date": "soon", "topic": ""},
        )
        self.assertContains(response, "Enter a valid date")

    def test_the_community_page_lists_sessions_and_the_discipline_mix(self) -> None:
        response = self.open(self.cast.priya_user, "community_detail", self.story.guild.pk)
        self.assertContains(response, "Interview snapshots")
        self.assertContains(response, "planned")
        report = response.context["report"]
        self.assertEqual((report.sessions, report.participants, report.outside_product), (3, 5, 3))
        self.assertEqual(
            [(row.discipline, row.people) for row in response.context["mix"]],
            [("product", 2), ("design", 1), ("engineering", 1), ("sales", 1)],
        )
        self.assertContains(response, "60%")

    def test_a_member_who_does_not_record_sees_who_came(self) -> None:
        response = self.open(self.cast.paul_user, "session_detail", self.story.second.pk)
        self.assertContains(response, "Tariq Tech")
        self.assertNotContains(response, "Mark present")

    def test_the_organizer_gets_the_checklist_with_those_present_first(self) -> None:
        response = self.open(self.cast.priya_user, "session_detail", self.story.first.pk)
        people = [(p.name, p.attending) for p in response.context["page"]]
        self.assertEqual(
            people[:4],
            [
                ("Dana Designer", True),
                ("Otto Outsider", True),
                ("Priya PM", True),
                ("Tariq Tech", True),
            ],
        )
        self.assertIn(("Paul PM", False), people)
        self.assertContains(response, "Mark present")

    def test_the_checklist_filters_without_a_reload(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(
            reverse("coaching:session_detail", args=[self.story.first.pk]),
            {"discipline": Discipline.ENGINEERING},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "Tariq Tech")
        self.assertNotContains(response, "Priya PM")
        self.assertNotContains(response, "<html")

    def test_a_planned_session_has_no_checklist_yet(self) -> None:
        response = self.open(self.cast.hana_user, "session_detail", self.story.planned.pk)
        self.assertContains(response, "once it has taken place")
        self.assertNotContains(response, "Mark present")


class AttendanceToggles(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def toggle(self, user, session, person, attending: bool, htmx: bool = True):
        self.client.force_login(user)
        extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        return self.client.post(
            reverse("coaching:session_attendance", args=[session.pk, person.pk]),
            {"attending": "1" if attending else "0"},
            **extra,
        )

    def test_marking_someone_present_swaps_their_row_and_the_count(self) -> None:
        response = self.toggle(self.cast.paul_user, self.story.first, self.cast.paul, True)
        self.assertContains(response, f'id="attendee-{self.cast.paul.pk}"')
        self.assertContains(response, "cop-present")
        self.assertContains(response, '<span id="attendance-count" hx-swap-oob="true">5</span>')
        self.assertNotContains(response, "<html")
        response = self.toggle(self.cast.paul_user, self.story.first, self.cast.otto, False)
        self.assertContains(response, "Mark present")
        self.assertEqual(
            set(self.story.first.attendees.values_list("name", flat=True)),
            {"Priya PM", "Dana Designer", "Tariq Tech", "Paul PM"},
        )

    def test_without_htmx_the_toggle_returns_to_the_page(self) -> None:
        response = self.toggle(
            self.cast.hana_user, self.story.second, self.cast.otto, True, htmx=False
        )
        self.assertRedirects(
            response, reverse("coaching:session_detail", args=[self.story.second.pk])
        )
        self.assertTrue(self.story.second.attendees.filter(pk=self.cast.otto.pk).exists())

    def test_someone_who_may_not_record_is_refused(self) -> None:
        response = self.toggle(self.cast.paul_user, self.story.second, self.cast.otto, True)
        self.assertContains(response, "record attendance", status_code=403)
        response = self.toggle(self.cast.vera_user, self.story.first, self.cast.otto, False)
        self.assertEqual(response.status_code, 403)
        self.assertTrue(self.story.first.attendees.filter(pk=self.cast.otto.pk).exists())

    def test_a_planned_session_refuses_with_a_sentence(self) -> None:
        response = self.toggle(self.cast.hana_user, self.story.planned, self.cast.otto, True)
        self.assertContains(response, "once it has taken place", status_code=422)
        response = self.toggle(
            self.cast.hana_user, self.story.planned, self.cast.otto, True, htmx=False
        )
        self.assertRedirects(
            response, reverse("coaching:session_detail", args=[self.story.planned.pk])
        )

    def test_unknown_sessions_and_people_are_404(self) -> None:
        self.client.force_login(self.cast.hana_user)
        url = reverse("coaching:session_attendance", args=[self.story.first.pk, 999_999])
        self.assertEqual(self.client.post(url, {"attending": "1"}).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("coaching:session_detail", args=[999_999])).status_code, 404
        )


class PageCost(TestCase):
    """A community with 40 sessions and 200 people costs what one with 4 and 20 does."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def grow(self, sessions: int, people: int) -> None:
        crowd = Person.objects.bulk_create(
            Person(
                name=f"Guest {i:04}",
                email=f"guest{sessions}-{i}@x.test",
                discipline=Discipline.values[i % len(Discipline.values)],
            )
            for i in range(people)
        )
        for day in range(sessions):
            session = do_add_session(
                self.cast.hana_user,
                self.story.guild,
                date=self.story.today - timedelta(days=40 + day + sessions),
                topic=f"Practice {sessions}-{day}",
            )
            do_set_attendance(self.cast.hana_user, session, crowd[day::3])

    def cost(self, name: str, *args) -> int:
        self.client.force_login(self.cast.hana_user)
        url = reverse(f"coaching:{name}", args=args)
        self.client.get(url)  # warm the session and the role caches
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_counts_do_not_grow_with_the_data(self) -> None:
        pages = [
            ("communities",),
            ("community_detail", self.story.guild.pk),
            ("session_detail", self.story.first.pk),
            ("participation",),
        ]
        self.grow(4, 20)
        small = [self.cost(*page) for page in pages]
        self.grow(40, 200)
        large = [self.cost(*page) for page in pages]
        self.assertEqual(small, large)
        self.assertLessEqual(max(large), 12)
