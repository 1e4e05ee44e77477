"""The participation page and its loader: every role sees the aggregate, never a name."""

from __future__ import annotations

from datetime import timedelta

from django.test import TestCase
from django.urls import reverse

from productops.coaching.participation import Period, load_participation
from tests.cast import build_cast
from tests.coaching.communities_story import build_communities


class ParticipationPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def open(self, user, **query):
        self.client.force_login(user)
        return self.client.get(reverse("coaching:participation"), query)

    def test_every_role_sees_the_last_ninety_days_by_discipline(self) -> None:
        for user in (self.cast.hana_user, self.cast.priya_user, self.cast.vera_user):
            response = self.open(user)
            self.assertEqual(response.status_code, 200)
            report = response.context["report"]
            self.assertEqual((report.sessions, report.participants), (3, 6))
            self.assertEqual(report.outside_product_percent, 50)  # Dana, Tariq, Otto of six
            self.assertContains(response, "Compliance")
            self.assertContains(response, "Quality")
            self.assertNotContains(response, "Priya PM")
            self.assertNotContains(response, "Otto Outsider")

    def test_one_bar_per_discipline_drawn_with_svg_attributes(self) -> None:
        response = self.open(self.cast.vera_user)
        html = response.content.decode()
        self.assertEqual(html.count('class="bar cop-bar'), len(response.context["rows"]))
        self.assertIn('class="bar cop-bar cop-bar-product"', html)
        self.assertIn('<rect width="50" height="10">', html)  # Hana, Priya, Paul of six
        self.assertNotIn("style=", html)

    def test_the_community_columns_and_rows(self) -> None:
        response = self.open(self.cast.hana_user)
        self.assertEqual(
            [c.name for c in response.context["report"].communities],
            ["Discovery guild", "Outcomes book club"],
        )
        design = next(r for r in response.context["rows"] if r["row"].discipline == "design")
        self.assertEqual(design["cells"], [1, 1])

    def test_the_period_picker(self) -> None:
        response = self.open(self.cast.hana_user, days=30)  # the first session is 30 days old
        self.assertEqual(response.context["report"].sessions, 2)
        self.assertEqual(response.context["report"].participants, 5)
        start = (self.story.today - timedelta(days=25)).isoformat()
        end = (self.story.today - timedelta(days=15)).isoformat()
        response = self.open(self.cast.hana_user, start=start, end=end)
        self.assertEqual(response.context["report"].sessions, 1)  # the book club's reading
        self.assertEqual(response.context["report"].participants, 2)

    def test_a_backwards_period_says_so_and_shows_the_default(self) -> None:
        response = self.open(self.cast.hana_user, start="2026-03-01", end="2026-02-01")
        self.assertContains(response, "after it ends")
        self.assertContains(response, "The last 90 days are shown instead")
        self.assertEqual(response.context["period"].days, 90)
        response = self.open(self.cast.hana_user, start="someday")
        self.assertContains(response, "Enter a valid date")
        response = self.open(self.cast.hana_user, days=15)
        self.assertContains(response, "Select a valid choice")

    def test_a_quiet_period_has_a_clear_empty_state(self) -> None:
        response = self.open(self.cast.hana_user, end="2020-01-31", days=30)
        self.assertContains(response, "No community or book club session took place in this period")


class Loader(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def test_three_queries_and_the_same_numbers_as_the_page(self) -> None:
        with self.assertNumQueries(3):
            report = load_participation(Period.last(90, self.story.today))
        self.assertEqual((report.sessions, report.participants, report.attendances), (3, 6, 9))

    def test_one_community_all_time(self) -> None:
        report = load_participation(community_ids=[self.story.club.pk])
        self.assertIsNone(report.period)
        self.assertEqual((report.sessions, report.participants), (1, 2))
        self.assertEqual([c.name for c in report.communities], ["Outcomes book club"])
