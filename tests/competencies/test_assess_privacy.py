"""Whose answers each member of the cast may read, on the pages and in the API.

A peer's answers: only that peer and admins, never the subject, the manager or another
peer. Self and manager answers: the rater, the subject, their managers and admins, once
submitted. Everyone else gets a 404, as if the request did not exist.
"""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from productops.accounts.actions import do_create_login, do_create_token
from productops.accounts.models import Role
from productops.competencies import visibility
from tests.cast import PASSWORD
from tests.competencies.cycle_cast import answer_all, build_cycle_cast


class AnswersByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cast = cls.c.cast
        cls.tariq_user = do_create_login("tariq", PASSWORD, Role.MEMBER, person=cast.tariq)
        answer_all(cast.paul_user, cls.c.paul_on_priya, score=2)
        answer_all(cast.priya_user, cls.c.priya_self, score=5)
        cls.users = {
            "hana": cast.hana_user,
            "marco": cast.marco_user,
            "priya": cast.priya_user,
            "paul": cast.paul_user,
            "dana": cls.c.dana_user,
            "tariq": cls.tariq_user,
            "vera": cast.vera_user,
        }
        cls.tokens = {
            name: do_create_token(user, f"{name} script")[1] for name, user in cls.users.items()
        }

    def page(self, who: str, request) -> int:
        self.client.force_login(self.users[who])
        return self.client.get(reverse("competencies:request_rate", args=[request.pk])).status_code

    def api(self, who: str, request) -> int:
        return self.client.get(
            f"/api/competencies/requests/{request.pk}/ratings",
            HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}",
        ).status_code

    def readers(self, request) -> set[str]:
        pages = {who for who in self.users if self.page(who, request) == 200}
        api = {who for who in self.users if self.api(who, request) == 200}
        helper = {who for who, u in self.users.items() if visibility.can_see_request(u, request)}
        self.assertEqual(pages, api, "the page and the API disagree")
        self.assertEqual(pages, helper, "the page and the visibility helper disagree")
        return pages

    def test_a_peers_answers_are_read_only_by_that_peer_and_admins(self) -> None:
        self.assertEqual(self.readers(self.c.paul_on_priya), {"paul", "hana"})

    def test_nobody_else_even_learns_the_answers_exist(self) -> None:
        for who in ("priya", "marco", "dana", "tariq", "vera"):
            self.assertEqual(self.page(who, self.c.paul_on_priya), 404, who)
            self.assertEqual(self.api(who, self.c.paul_on_priya), 404, who)

    def test_a_submitted_self_assessment_is_read_by_the_chain_and_admins(self) -> None:
        self.assertEqual(self.readers(self.c.priya_self), {"priya", "marco", "hana"})

    def test_a_draft_is_the_raters_own(self) -> None:
        answer_all(self.users["marco"], self.c.marco_on_priya, submit=False)
        self.assertEqual(self.readers(self.c.marco_on_priya), {"marco"})
        answer_all(self.users["paul"], self.c.paul_self, submit=False)
        self.assertEqual(self.readers(self.c.paul_self), {"paul"})

    def test_a_submitted_manager_rating_is_read_by_its_subject(self) -> None:
        answer_all(self.users["marco"], self.c.marco_on_priya)
        self.assertEqual(self.readers(self.c.marco_on_priya), {"marco", "priya", "hana"})

    def test_the_cycle_page_never_shows_a_peers_scores_to_the_subject_or_manager(self) -> None:
        peer_page = f'href="{reverse("competencies:request_rate", args=[self.c.paul_on_priya.pk])}"'
        for who in ("priya", "marco"):
            self.client.force_login(self.users[who])
            page = self.client.get(reverse("competencies:cycle_detail", args=[self.c.cycle.pk]))
            self.assertEqual(page.status_code, 200)
            self.assertNotContains(page, peer_page)
            self.assertNotContains(page, "a concrete example")
        self.client.force_login(self.users["hana"])
        page = self.client.get(reverse("competencies:cycle_detail", args=[self.c.cycle.pk]))
        self.assertContains(page, peer_page)

    def test_a_peer_sees_only_their_own_requests_on_the_cycle_page(self) -> None:
        self.client.force_login(self.users["dana"])
        page = self.client.get(reverse("competencies:cycle_detail", args=[self.c.cycle.pk]))
        self.assertContains(page, "Your requests in this cycle")
        self.assertContains(page, "Priya PM")
        self.assertNotContains(page, "Paul PM")
        self.assertNotContains(page, "Nominate a peer")

    def test_people_outside_the_cycle_cannot_find_it(self) -> None:
        for who in ("tariq", "vera"):
            self.client.force_login(self.users[who])
            response = self.client.get(reverse("competencies:cycle_detail", args=[self.c.cycle.pk]))
            self.assertEqual(response.status_code, 404, who)
            response = self.client.get(
                f"/api/competencies/cycles/{self.c.cycle.pk}",
                HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}",
            )
            self.assertEqual(response.status_code, 404, who)

    def test_members_see_only_their_own_progress(self) -> None:
        self.client.force_login(self.users["paul"])
        page = self.client.get(reverse("competencies:cycle_detail", args=[self.c.cycle.pk]))
        rows = page.context["subjects"]
        self.assertEqual([row.progress.subject.name for row in rows], ["Paul PM"])
