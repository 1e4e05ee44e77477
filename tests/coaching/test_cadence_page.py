"""The cadence loader and page: each series' health and each manager's 1:1 load, by role."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from productops.coaching import visibility
from productops.coaching.cadence import Health, load_cadence
from productops.coaching.models import OneOnOne, OneOnOneSeries
from productops.org.audit import AuditThresholds
from productops.org.models import Discipline, Person
from tests.cast import build_cast
from tests.coaching.cadence_cast import build_cadence_story


class CadenceLoader(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_cadence_story(cls.cast, timezone.localdate())

    def report(self, **options):
        return load_cadence(OneOnOneSeries.objects.all(), today=self.story.today, **options)

    def test_each_series_gets_the_health_its_history_says(self) -> None:
        health = {row.fact.id: row for row in self.report().series}
        priya = health[self.story.marco_priya.pk]
        self.assertEqual(
            (priya.health, priya.days_since_last, priya.missed), (Health.HEALTHY, 7, 0)
        )
        self.assertEqual(priya.fact.next_planned, self.story.today)
        self.assertEqual(priya.fact.next_planned_id, self.story.priya_next.pk)
        paul = health[self.story.marco_paul.pk]
        # fortnightly from 120 days ago: 9 planned dates are past their grace, 2 were held
        self.assertEqual((paul.health, paul.expected, paul.missed), (Health.LAPSED, 9, 7))
        dana = health[self.story.hana_dana.pk]
        # weekly from 40 days ago: 6 past their grace, 1 held 12 days ago, due 5 days ago
        self.assertEqual((dana.health, dana.missed, dana.overdue_days), (Health.OVERDUE, 5, 5))
        self.assertEqual(health[self.story.hana_marco.pk].health, Health.HEALTHY)

    def test_lapsed_first_then_overdue_then_on_cadence(self) -> None:
        order = [row.fact.id for row in self.report().series]
        self.assertEqual(order[:2], [self.story.marco_paul.pk, self.story.hana_dana.pk])
        self.assertEqual(
            self.report().counts, {"lapsed": 1, "overdue": 1, "healthy": 2, "ended": 0}
        )

    def test_cancelled_and_planned_1on1s_are_not_held(self) -> None:
        OneOnOne.objects.filter(
            series=self.story.marco_priya, date=self.story.today - timedelta(days=7)
        ).update(status=OneOnOne.Status.CANCELLED)
        priya = self.report().health_of(self.story.marco_priya.pk)
        self.assertEqual((priya.days_since_last, priya.missed), (14, 1))
        self.assertEqual(priya.health, Health.OVERDUE)  # due a week ago

    def test_a_period_start_counts_missed_1on1s_from_it(self) -> None:
        since = self.story.today - timedelta(days=30)
        paul = self.report(since=since).health_of(self.story.marco_paul.pk)
        # planned 1:1s 22 and 8 days ago fall in the period and are past their grace
        self.assertEqual((paul.expected, paul.fact.held, paul.missed), (2, 0, 2))

    def test_manager_load_in_scope_with_the_reports_left_out(self) -> None:
        loads = {load.name: load for load in self.report(load_scope=None).loads}
        self.assertEqual(set(loads), {"Hana Head", "Marco Manager"})
        marco = loads["Marco Manager"]
        self.assertAlmostEqual(marco.hours_per_week, 0.5 + 0.375)  # weekly 30 + fortnightly 45
        self.assertEqual((marco.direct_reports, marco.reports_without_series), (2, []))
        hana = loads["Hana Head"]
        self.assertAlmostEqual(hana.hours_per_week, 12 / 52 + 0.5)
        self.assertEqual([p.name for p in hana.reports_without_series], ["Tariq Tech"])
        scoped = self.report(load_scope={self.cast.marco.pk}).loads
        self.assertEqual([load.name for load in scoped], ["Marco Manager"])
        self.assertEqual(self.report().loads, [])

    def test_ended_series_and_people_who_left_do_not_load_a_manager(self) -> None:
        OneOnOneSeries.objects.filter(pk=self.story.marco_paul.pk).update(active=False)
        Person.objects.filter(pk=self.cast.priya.pk).update(active=False)
        loads = {load.name: load for load in self.report(load_scope=None).loads}
        self.assertEqual(loads["Marco Manager"].hours_per_week, 0)
        self.assertEqual(loads["Marco Manager"].direct_reports, 1)
        self.assertEqual(
            [p.name for p in loads["Marco Manager"].reports_without_series], ["Paul PM"]
        )
        self.assertEqual(self.report().health_of(self.story.marco_paul.pk).health, Health.ENDED)

    def test_a_small_budget_flags_an_overloaded_manager(self) -> None:
        tight = AuditThresholds(one_on_one_share=0.01, week_hours=40, one_on_one_minutes=30)
        loads = {load.name: load for load in self.report(load_scope=None, thresholds=tight).loads}
        marco = loads["Marco Manager"]
        self.assertEqual((marco.budget_hours, marco.over_budget), (0.4, True))
        self.assertEqual((marco.fits, marco.too_many_reports), (0, True))


class CadencePageByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_cadence_story(cls.cast, timezone.localdate())

    def open(self, user, **query):
        self.client.force_login(user)
        return self.client.get(reverse("coaching:cadence"), query)

    def test_anonymous_visitors_log_in_first(self) -> None:
        response = self.client.get(reverse("coaching:cadence"))
        self.assertEqual(response.status_code, 302)

    def test_admin_sees_every_series_and_every_managers_load(self) -> None:
        response = self.open(self.cast.hana_user)
        self.assertContains(response, "Marco Manager &amp; Paul PM")
        self.assertContains(response, "Hana Head &amp; Dana Designer")
        self.assertContains(
            response, '<span class="cad-health cad-lapsed">Lapsed</span>', html=True
        )
        self.assertContains(response, "Managers' 1:1 load")
        self.assertContains(response, "Tariq Tech")  # Hana has no series with him
        self.assertContains(response, '<svg class="cad-bar"')
        self.assertContains(
            response, reverse("coaching:series_detail", args=[self.story.marco_paul.pk])
        )

    def test_manager_sees_their_chain_and_only_their_own_load(self) -> None:
        response = self.open(self.cast.marco_user)
        self.assertContains(response, "Marco Manager &amp; Priya PM")
        self.assertContains(response, "Hana Head &amp; Marco Manager")  # he is the report
        self.assertNotContains(response, "Dana Designer")
        loads = response.context["loads"]
        self.assertEqual([row["load"].name for row in loads], ["Marco Manager"])

    def test_member_sees_their_own_series_and_no_load(self) -> None:
        response = self.open(self.cast.priya_user)
        self.assertContains(response, "Marco Manager &amp; Priya PM")
        self.assertNotContains(response, "Paul PM")
        self.assertNotContains(response, "1:1 load")

    def test_viewer_sees_counts_only(self) -> None:
        response = self.open(self.cast.vera_user)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["counts"], {"lapsed": 1, "overdue": 1, "healthy": 2, "ended": 0}
        )
        for name in ["Priya PM", "Marco Manager", "Hana Head", "Dana Designer"]:
            self.assertNotContains(response, name)
        self.assertContains(response, "Your role sees how many series")

    def test_a_period_start_recounts_and_a_bad_date_is_explained(self) -> None:
        since = self.story.today - timedelta(days=30)
        response = self.open(self.cast.hana_user, since=f"{since:%Y-%m-%d}")
        paul = next(r for r in response.context["page"] if r.fact.id == self.story.marco_paul.pk)
        self.assertEqual(paul.missed, 2)
        bad = self.open(self.cast.hana_user, since="last spring")
        self.assertContains(bad, "Give the date as YYYY-MM-DD")

    def test_nobody_to_show_says_how_to_start(self) -> None:
        OneOnOneSeries.objects.all().delete()
        response = self.open(self.cast.priya_user)
        self.assertContains(response, "No 1:1 series you can see yet")
        self.assertContains(response, reverse("coaching:series_new"))


class CadencePageCost(TestCase):
    """The page and its loader cost the same queries for 5 series as for 50."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def grow(self, count: int) -> None:
        today = timezone.localdate()
        first = Person.objects.count()
        people = Person.objects.bulk_create(
            Person(
                name=f"Report {first + i:04}",
                email=f"report{first + i}@x.test",
                discipline=Discipline.PRODUCT,
                manager=self.cast.marco,
            )
            for i in range(count)
        )
        series = OneOnOneSeries.objects.bulk_create(
            OneOnOneSeries(
                lead=self.cast.marco,
                report=person,
                cadence=["weekly", "fortnightly", "monthly"][i % 3],
                start_date=today - timedelta(days=60),
            )
            for i, person in enumerate(people)
        )
        OneOnOne.objects.bulk_create(
            OneOnOne(series=s, date=today - timedelta(days=d), status=status)
            for s in series
            for d, status in [(20, "held"), (6, "held"), (-3, "planned")]
        )

    def cost(self, user) -> int:
        self.client.force_login(user)
        self.client.get(reverse("coaching:cadence"))  # warm the session and role caches
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("coaching:cadence"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_the_page_does_not_grow_with_the_series(self) -> None:
        for user in [self.cast.hana_user, self.cast.marco_user, self.cast.vera_user]:
            self.grow(5)
            small = self.cost(user)
            self.grow(45)
            self.assertEqual(self.cost(user), small, user.username)

    def test_the_loader_reads_three_queries(self) -> None:
        self.grow(20)
        with CaptureQueriesContext(connection) as queries:
            load_cadence(
                visibility.visible_series(self.cast.hana_user),
                today=timezone.localdate(),
                load_scope=None,
            )
        self.assertEqual(len(queries), 3)
