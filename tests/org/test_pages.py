"""The organization pages, opened by each member of the cast."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole
from tests.cast import build_cast


class PagesByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def open(self, user, name, *args, **query):
        self.client.force_login(user)
        return self.client.get(reverse(name, args=args), query)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        for name in ["home", "org:people", "org:chart", "org:teams", "org:audit"]:
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 302, name)
            self.assertIn(reverse("login"), response["Location"])

    def test_admin_sees_everyone_in_the_people_list(self) -> None:
        response = self.open(self.cast.hana_user, "org:people")
        self.assertContains(response, "Otto Outsider")
        self.assertContains(response, "7 people")

    def test_manager_people_list_is_their_chain(self) -> None:
        response = self.open(self.cast.marco_user, "org:people")
        self.assertContains(response, "Priya PM")
        self.assertNotContains(response, "Otto Outsider")

    def test_member_cannot_open_a_peers_page(self) -> None:
        response = self.open(self.cast.priya_user, "org:person", self.cast.paul.pk)
        self.assertEqual(response.status_code, 404)
        response = self.open(self.cast.priya_user, "org:person", self.cast.priya.pk)
        self.assertContains(response, "Priya PM")

    def test_viewer_gets_aggregates_only(self) -> None:
        for name in ["org:people", "org:chart", "org:teams"]:
            response = self.open(self.cast.vera_user, name)
            self.assertEqual(response.status_code, 403, name)
            self.assertContains(response, "aggregates only", status_code=403)
        home = self.open(self.cast.vera_user, "home")
        self.assertContains(home, "Discipline mix")
        self.assertNotContains(home, "Priya PM")

    def test_search_and_filters(self) -> None:
        response = self.open(self.cast.hana_user, "org:people", q="designer")
        self.assertContains(response, "Dana Designer")
        self.assertNotContains(response, "Paul PM")
        response = self.open(self.cast.hana_user, "org:people", discipline="sales")
        self.assertContains(response, "Otto Outsider")
        self.assertNotContains(response, "Dana Designer")
        response = self.open(self.cast.hana_user, "org:people", team=self.cast.search.pk)
        self.assertContains(response, "Paul PM")
        self.assertNotContains(response, "Priya PM")

    def test_htmx_search_returns_only_the_results_fragment(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(reverse("org:people"), {"q": "Paul"}, HTTP_HX_REQUEST="true")
        self.assertContains(response, "Paul PM")
        self.assertNotContains(response, "<html")

    def test_left_people_are_hidden_unless_asked_for(self) -> None:
        Person.objects.filter(pk=self.cast.otto.pk).update(active=False)
        self.assertNotContains(self.open(self.cast.hana_user, "org:people"), "Otto Outsider")
        self.assertContains(
            self.open(self.cast.hana_user, "org:people", status="inactive"), "Otto Outsider"
        )

    def test_team_page_shows_the_trio(self) -> None:
        response = self.open(self.cast.hana_user, "org:team", self.cast.checkout.pk)
        self.assertContains(response, "Priya PM")
        self.assertContains(response, "Dana Designer")
        search = self.open(self.cast.hana_user, "org:team", self.cast.search.pk)
        self.assertContains(search, "missing")

    def test_member_cannot_open_another_team(self) -> None:
        self.assertEqual(
            self.open(self.cast.priya_user, "org:team", self.cast.search.pk).status_code, 404
        )

    def test_org_chart_nests_reports(self) -> None:
        response = self.open(self.cast.hana_user, "org:chart")
        content = response.content.decode()
        self.assertLess(content.index("Hana Head"), content.index("Marco Manager"))
        self.assertLess(content.index("Marco Manager"), content.index("Priya PM"))

    def test_manager_chart_is_rooted_at_their_managers(self) -> None:
        response = self.open(self.cast.marco_user, "org:chart")
        self.assertContains(response, "Paul PM")
        self.assertNotContains(response, "Otto Outsider")

    def test_only_admins_may_import_people(self) -> None:
        self.assertEqual(self.open(self.cast.marco_user, "org:import_people").status_code, 403)
        self.assertEqual(self.open(self.cast.hana_user, "org:import_people").status_code, 200)

    def test_pages_carry_a_content_security_policy(self) -> None:
        response = self.open(self.cast.hana_user, "home")
        self.assertIn("default-src 'self'", response["Content-Security-Policy"])


class AuditPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def audit_as(self, user, **query):
        self.client.force_login(user)
        return self.client.get(reverse("org:audit"), query)

    def test_admin_sees_named_findings(self) -> None:
        response = self.audit_as(self.cast.hana_user)
        # Search has a PM only: no design lead, no tech lead
        self.assertContains(response, 'class="finding critical"')
        self.assertContains(response, "Search")
        # Otto has no manager and is not the top of the tree
        self.assertContains(response, "Otto Outsider")

    def test_manager_sees_findings_about_their_chain_only(self) -> None:
        response = self.audit_as(self.cast.marco_user)
        self.assertContains(response, "Search")
        self.assertNotContains(response, "Otto Outsider")

    def test_member_and_viewer_see_counts_without_names(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            response = self.audit_as(user)
            self.assertContains(response, "counts only")
            self.assertNotContains(response, "Otto Outsider")
            self.assertNotContains(response, 'class="finding')

    def test_thresholds_can_be_changed_from_the_page(self) -> None:
        # Hana has 3 direct reports; a warning threshold of 2 flags her span.
        response = self.audit_as(self.cast.hana_user, span_warn=2, span_critical=10)
        self.assertContains(response, "Span of control")
        self.assertContains(response, "Hana Head")

    def test_bad_thresholds_say_so_and_fall_back(self) -> None:
        response = self.audit_as(self.cast.hana_user, span_warn=10, span_critical=2)
        self.assertContains(response, "at least the warning span")


class PageCost(TestCase):
    """A page for 200 people costs the same number of queries as a page for 20."""

    URLS = [
        "/",
        "/org/people/",
        "/org/teams/",
        "/org/chart/",
        "/org/audit/",
        "/api/org/people",
        "/api/org/teams",
        "/api/org/audit",
    ]

    def build(self, count: int) -> None:
        Person.objects.all().delete()
        Team.objects.all().delete()
        boss = Person.objects.create(
            name="Boss", email="boss@x.test", discipline=Discipline.PRODUCT
        )
        people = Person.objects.bulk_create(
            Person(
                name=f"P{i:04}",
                email=f"p{i}@x.test",
                discipline=Discipline.ENGINEERING,
                manager=boss,
            )
            for i in range(count)
        )
        teams = Team.objects.bulk_create(Team(name=f"Team {i}") for i in range(count // 10))
        TeamMembership.objects.bulk_create(
            TeamMembership(team=teams[i % len(teams)], person=p, role=TeamRole.ENGINEER)
            for i, p in enumerate(people)
        )

    def queries_per_url(self) -> dict[str, int]:
        from productops.accounts.actions import do_create_login
        from productops.accounts.models import Role

        admin = do_create_login("root", "x-password-1", Role.ADMIN)
        self.client.force_login(admin)
        counts = {}
        for url in self.URLS:
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[url] = len(ctx.captured_queries)
        return counts

    def test_query_counts_do_not_grow_with_people(self) -> None:
        self.build(20)
        small = self.queries_per_url()
        self.build(200)
        self.assertEqual(self.queries_per_url(), small)

    def test_people_pages_hold_fifty_people(self) -> None:
        self.build(120)
        self.queries_per_url()
        response = self.client.get(reverse("org:people"), {"page": 3})
        self.assertContains(response, "Page 3 of 3")


class PeopleExport(TestCase):
    """The CSV export goes through the same visibility helper as the page."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def export_as(self, user, **query) -> str:
        self.client.force_login(user)
        response = self.client.get(reverse("org:people_export"), query)
        self.assertEqual(response.status_code, 200)
        return b"".join(
            response.streaming_content if response.streaming else [response.content]
        ).decode()

    def test_admin_export_is_reimportable_and_complete(self) -> None:
        from io import StringIO

        from productops.org.actions import import_people_file

        text = self.export_as(self.cast.hana_user)
        self.assertTrue(
            text.startswith("name,email,title,discipline,level,manager_email,team,team_role")
        )
        self.assertIn("priya@example.com", text)
        self.assertIn("otto@example.com", text)
        report = import_people_file(StringIO(text))
        self.assertTrue(report.written, report.errors)
        self.assertEqual((report.created, report.updated), (0, 0))

    def test_member_export_holds_only_what_they_may_see(self) -> None:
        text = self.export_as(self.cast.priya_user)
        self.assertIn("priya@example.com", text)
        self.assertNotIn("paul@example.com", text)
        self.assertNotIn("otto@example.com", text)

    def test_viewer_may_not_export_names(self) -> None:
        self.client.force_login(self.cast.vera_user)
        self.assertEqual(self.client.get(reverse("org:people_export")).status_code, 403)
