"""Every assessment page and route, opened by each member of the cast, and what it costs."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.competencies.actions import (
    do_nominate_peer,
    do_open_cycle,
    do_save_ratings,
    do_submit_request,
)
from productops.competencies.models import AssessmentCycle, RaterKind
from productops.org.models import Discipline, Person
from tests.cast import PASSWORD
from tests.competencies.cycle_cast import answer_all, build_cycle_cast, in_days
from tests.competencies.factories import make_model_version


class PagesByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cast = cls.c.cast
        cls.tariq_user = do_create_login("tariq", PASSWORD, Role.MEMBER, person=cast.tariq)
        answer_all(cast.paul_user, cls.c.paul_on_priya)
        cls.users = {
            "hana": cast.hana_user,
            "marco": cast.marco_user,
            "priya": cast.priya_user,
            "paul": cast.paul_user,
            "dana": cls.c.dana_user,
            "tariq": cls.tariq_user,
            "vera": cast.vera_user,
        }

    def status(self, who: str, name: str, *args, method: str = "get", **data) -> int:
        self.client.force_login(self.users[who])
        call = getattr(self.client, method)
        return call(reverse(f"competencies:{name}", args=args), data).status_code

    def statuses(self, name: str, *args, method: str = "get", **data) -> dict[str, int]:
        return {who: self.status(who, name, *args, method=method, **data) for who in self.users}

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        c = self.c
        for name, args in [
            ("cycles", []),
            ("cycle_new", []),
            ("cycle_detail", [c.cycle.pk]),
            ("my_requests", []),
            ("request_rate", [c.priya_self.pk]),
            ("request_reopen", [c.priya_self.pk]),
        ]:
            response = self.client.get(reverse(f"competencies:{name}", args=args))
            self.assertEqual(response.status_code, 302, name)
            self.assertIn(reverse("login"), response["Location"])

    def test_cycles_list(self) -> None:
        self.assertEqual(
            self.statuses("cycles"),
            {
                "hana": 200,
                "marco": 200,
                "priya": 200,
                "paul": 200,
                "dana": 200,
                "tariq": 200,
                "vera": 403,
            },
        )
        self.client.force_login(self.users["vera"])
        response = self.client.get(reverse("competencies:cycles"))
        self.assertContains(response, "your role sees aggregates only", status_code=403)
        self.client.force_login(self.users["tariq"])
        self.assertNotContains(self.client.get(reverse("competencies:cycles")), "H1 review")

    def test_opening_a_cycle(self) -> None:
        self.assertEqual(
            self.statuses("cycle_new"),
            {
                "hana": 200,
                "marco": 200,
                "priya": 403,
                "paul": 403,
                "dana": 403,
                "tariq": 403,
                "vera": 403,
            },
        )

    def test_the_cycle_page(self) -> None:
        self.assertEqual(
            self.statuses("cycle_detail", self.c.cycle.pk),
            {
                "hana": 200,
                "marco": 200,
                "priya": 200,
                "paul": 200,
                "dana": 200,
                "tariq": 404,
                "vera": 404,
            },
        )
        self.assertEqual(self.status("hana", "cycle_detail", 999_999), 404)

    def test_the_rating_page_of_a_self_assessment_draft(self) -> None:
        self.assertEqual(
            self.statuses("request_rate", self.c.priya_self.pk),
            {
                "hana": 404,
                "marco": 404,
                "priya": 200,
                "paul": 404,
                "dana": 404,
                "tariq": 404,
                "vera": 404,
            },
        )

    def test_the_rating_page_of_a_submitted_peer_rating(self) -> None:
        self.assertEqual(
            self.statuses("request_rate", self.c.paul_on_priya.pk),
            {
                "hana": 200,
                "marco": 404,
                "priya": 404,
                "paul": 200,
                "dana": 404,
                "tariq": 404,
                "vera": 404,
            },
        )

    def test_submitting_someone_elses_request(self) -> None:
        self.assertEqual(
            self.statuses("request_submit", self.c.priya_self.pk, method="post"),
            {
                "hana": 404,
                "marco": 404,
                "priya": 422,
                "paul": 404,
                "dana": 404,
                "tariq": 404,
                "vera": 404,
            },
        )
        self.assertEqual(
            self.status("hana", "request_submit", self.c.paul_on_priya.pk, method="post"), 403
        )

    def test_reopening(self) -> None:
        # Managers reopen a peer's request without seeing its answers; the peer may not.
        self.assertEqual(
            self.statuses("request_reopen", self.c.paul_on_priya.pk),
            {
                "hana": 200,
                "marco": 200,
                "priya": 404,
                "paul": 403,
                "dana": 404,
                "tariq": 404,
                "vera": 404,
            },
        )
        self.client.force_login(self.users["marco"])
        page = self.client.get(
            reverse("competencies:request_reopen", args=[self.c.paul_on_priya.pk])
        )
        self.assertContains(page, "Their answers stay private to them")
        self.assertNotContains(page, "a concrete example")

    def test_nominating(self) -> None:
        codes = self.statuses(
            "nominate",
            self.c.cycle.pk,
            method="post",
            subject=self.c.cast.paul.pk,
            peer=self.c.cast.priya.pk,
        )
        self.assertEqual(codes["tariq"], 404)
        self.assertEqual(codes["vera"], 404)
        self.assertEqual(self.status("paul", "nominate", self.c.cycle.pk, method="get"), 405)

    def test_closing(self) -> None:
        self.assertEqual(self.status("priya", "cycle_close", self.c.cycle.pk, method="post"), 403)
        self.assertEqual(self.status("tariq", "cycle_close", self.c.cycle.pk, method="post"), 404)
        self.assertEqual(self.status("marco", "cycle_close", self.c.cycle.pk, method="post"), 302)
        self.c.cycle.refresh_from_db()
        self.assertFalse(self.c.cycle.is_open)

    def test_my_requests(self) -> None:
        self.assertEqual(
            self.statuses("my_requests"),
            {
                "hana": 200,
                "marco": 200,
                "priya": 200,
                "paul": 200,
                "dana": 200,
                "tariq": 200,
                "vera": 403,
            },
        )
        self.client.force_login(self.users["paul"])
        page = self.client.get(reverse("competencies:my_requests"))
        self.assertContains(page, "Yourself")
        self.assertContains(page, "Submitted")
        self.assertNotContains(page, "Marco Manager")

    def test_an_admin_without_a_person_is_told_why_nobody_asks_them(self) -> None:
        root = User.objects.create_superuser("root", "root@example.com", PASSWORD)
        self.client.force_login(root)
        page = self.client.get(reverse("competencies:my_requests"))
        self.assertContains(page, "not linked to a person")

    def test_the_navigation_links_assessments_except_for_viewers(self) -> None:
        self.client.force_login(self.users["priya"])
        self.assertContains(self.client.get(reverse("home")), reverse("competencies:cycles"))
        self.client.force_login(self.users["vera"])
        self.assertNotContains(self.client.get(reverse("home")), reverse("competencies:cycles"))


def answer_every(user: User, request) -> None:
    keys = request.cycle.version.competencies.values_list("key", flat=True)
    do_save_ratings(user, request, {key: (2, False, "") for key in keys})
    do_submit_request(user, request)


class PageCost(TestCase):
    """The cycle page, the lists and the API cost the same for 5 subjects as for 30."""

    PAGES = ["competencies:cycles", "competencies:my_requests", "home"]

    def build(self, count: int) -> tuple[User, User, AssessmentCycle]:
        AssessmentCycle.objects.all().delete()
        User.objects.all().delete()
        Person.objects.update(manager=None)
        Person.objects.all().delete()
        boss = Person.objects.create(
            name="Boss", email="boss@x.test", discipline=Discipline.PRODUCT
        )
        lead = Person.objects.create(
            name="Lead", email="lead@x.test", discipline=Discipline.PRODUCT, manager=boss
        )
        people = [
            Person.objects.create(
                name=f"PM {i:03}",
                email=f"pm{i}@x.test",
                discipline=Discipline.PRODUCT,
                manager=lead,
            )
            for i in range(count)
        ]
        admin = do_create_login("boss", PASSWORD, Role.ADMIN, person=boss)
        manager = do_create_login("lead", PASSWORD, Role.MANAGER, person=lead)
        members = [
            do_create_login(f"pm{i}", PASSWORD, Role.MEMBER, person=person)
            for i, person in enumerate(people[:2])
        ]
        cycle = do_open_cycle(
            admin,
            name="Review",
            version=self.version,
            subjects=people,
            due_date=in_days(1),
            rater_kinds=list(RaterKind.values),
        )
        for i, person in enumerate(people):
            do_nominate_peer(manager, cycle, person, people[(i + 1) % count])
        for request in cycle.requests.filter(rater=lead)[: count // 2]:
            answer_every(manager, request)
        answer_every(members[0], cycle.requests.get(rater=people[0], kind="self"))
        AssessmentCycle.objects.filter(pk=cycle.pk).update(due_date=in_days(-1))
        return admin, manager, cycle

    def cost(self, user: User, cycle: AssessmentCycle) -> dict[str, int]:
        self.client.force_login(user)
        urls = {name: reverse(name) for name in self.PAGES}
        urls["cycle page"] = reverse("competencies:cycle_detail", args=[cycle.pk])
        urls["api cycles"] = "/api/competencies/cycles"
        urls["api cycle"] = f"/api/competencies/cycles/{cycle.pk}"
        urls["api mine"] = "/api/competencies/requests/mine"
        counts = {}
        for name, url in urls.items():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            counts[name] = len(queries.captured_queries)
        return counts

    def test_query_counts_do_not_grow_with_subjects(self) -> None:
        self.version = make_model_version()
        admin, manager, cycle = self.build(5)
        small = {"admin": self.cost(admin, cycle), "manager": self.cost(manager, cycle)}
        admin, manager, cycle = self.build(30)
        large = {"admin": self.cost(admin, cycle), "manager": self.cost(manager, cycle)}
        self.assertEqual(large, small)
        # The 30-subject page really lists them all.
        self.client.force_login(admin)
        page = self.client.get(reverse("competencies:cycle_detail", args=[cycle.pk]))
        self.assertContains(page, "PM 029")

    def test_the_rating_page_costs_the_same_for_any_number_of_competencies(self) -> None:
        counts = []
        for keys in (("a", "b"), tuple(f"k{i}" for i in range(12))):
            version = make_model_version(name=f"Model {len(keys)}", keys=keys)
            self.version = version
            admin, manager, cycle = self.build(3)
            request = cycle.requests.filter(rater__name="Lead", status="pending").first()
            self.client.force_login(manager)
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get(reverse("competencies:request_rate", args=[request.pk]))
            self.assertEqual(response.status_code, 200)
            counts.append(len(queries.captured_queries))
        self.assertEqual(counts[0], counts[1])
