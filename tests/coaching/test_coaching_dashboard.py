"""The overview page's 1:1 card: what a manager and a report owe, and what it costs."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from productops.coaching.dashboard import dashboard_context
from productops.coaching.models import ActionItem, OneOnOne, OneOnOneSeries
from productops.org.models import Discipline, Person
from tests.cast import build_cast
from tests.coaching.cadence_cast import build_cadence_story


class CoachingDashboard(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.today = timezone.localdate()
        cls.story = build_cadence_story(cls.cast, cls.today)
        action = ActionItem.objects.create
        cls.late = action(
            series=cls.story.marco_priya,
            owner=cls.cast.marco,
            text="Send Priya the pricing research",
            due_date=cls.today - timedelta(days=2),
        )
        cls.undated = action(
            series=cls.story.marco_paul, owner=cls.cast.marco, text="Find Paul a mentor"
        )
        cls.soon = action(
            series=cls.story.hana_marco,
            owner=cls.cast.marco,
            text="Draft the team's OKRs",
            due_date=cls.today + timedelta(days=5),
        )
        action(
            series=cls.story.marco_priya,
            owner=cls.cast.marco,
            text="Already done",
            status=ActionItem.Status.DONE,
        )
        cls.priyas = action(
            series=cls.story.marco_priya,
            owner=cls.cast.priya,
            text="Interview three customers",
            due_date=cls.today + timedelta(days=3),
        )

    def test_a_manager_sees_the_overdue_series_first_then_the_planned_1on1(self) -> None:
        context = dashboard_context(self.cast.marco_user)
        lines = context["one_on_ones_coming"]
        self.assertEqual([line.other_name for line in lines], ["Paul PM", "Priya PM"])
        paul, priya = lines
        self.assertTrue(paul.overdue)
        self.assertIsNone(paul.planned_id)
        self.assertEqual((priya.planned_id, priya.date), (self.story.priya_next.pk, self.today))
        self.assertEqual(context["one_on_ones_overdue"], 1)
        # Hana's monthly 1:1 with him is due in about ten days and nothing is planned yet

    def test_a_planned_or_soon_due_series_is_listed_too(self) -> None:
        OneOnOne.objects.create(series=self.story.hana_marco, date=self.today + timedelta(days=20))
        lines = dashboard_context(self.cast.marco_user)["one_on_ones_coming"]
        self.assertIn("Hana Head", [line.other_name for line in lines])

    def test_a_managers_open_actions_overdue_first_then_dated_then_undated(self) -> None:
        context = dashboard_context(self.cast.marco_user)
        self.assertEqual(context["actions_owed"], [self.late, self.soon, self.undated])
        self.assertEqual((context["actions_owed_total"], context["actions_overdue"]), (3, 1))

    def test_the_home_page_links_each_line(self) -> None:
        self.client.force_login(self.cast.marco_user)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "1:1 with Paul PM")
        self.assertContains(
            response, reverse("coaching:series_detail", args=[self.story.marco_paul.pk])
        )
        self.assertContains(
            response, reverse("coaching:one_on_one_detail", args=[self.story.priya_next.pk])
        )
        self.assertContains(response, "Send Priya the pricing research")
        self.assertContains(response, '<strong class="error">1 overdue</strong>', count=2)
        self.assertNotContains(response, "Interview three customers")  # Priya's, not his

    def test_a_report_sees_their_next_1on1_and_their_own_actions(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.get(reverse("home"))
        self.assertContains(response, "1:1 with Marco Manager")
        self.assertContains(
            response, reverse("coaching:one_on_one_detail", args=[self.story.priya_next.pk])
        )
        self.assertContains(response, "Interview three customers")
        self.assertNotContains(response, "Send Priya the pricing research")
        self.assertNotContains(response, "Paul PM")

    def test_ended_series_and_people_without_1on1s_show_nothing(self) -> None:
        OneOnOneSeries.objects.filter(pk=self.story.marco_paul.pk).update(active=False)
        lines = dashboard_context(self.cast.marco_user)["one_on_ones_coming"]
        self.assertNotIn("Paul PM", [line.other_name for line in lines])
        self.assertEqual(dashboard_context(self.cast.vera_user), {})
        self.client.force_login(self.cast.vera_user)
        self.assertNotContains(self.client.get(reverse("home")), "cad-dashboard")

    def test_the_cost_does_not_grow_with_series_or_actions(self) -> None:
        def cost() -> int:
            user = type(self.cast.marco_user).objects.get(pk=self.cast.marco_user.pk)
            with CaptureQueriesContext(connection) as queries:
                dashboard_context(user)
            return len(queries)

        before = cost()
        people = Person.objects.bulk_create(
            Person(name=f"R{i}", email=f"r{i}@x.test", discipline=Discipline.PRODUCT)
            for i in range(30)
        )
        series = OneOnOneSeries.objects.bulk_create(
            OneOnOneSeries(lead=self.cast.marco, report=p, start_date=self.today) for p in people
        )
        ActionItem.objects.bulk_create(
            ActionItem(series=s, owner=self.cast.marco, text="more") for s in series
        )
        self.assertEqual(cost(), before)
