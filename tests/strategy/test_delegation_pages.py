"""The delegation board page and the decision-area pages, for each role."""

from __future__ import annotations

from datetime import date

from django.test import TestCase
from django.urls import reverse

from productops.discovery.models import Touchpoint
from productops.org.models import Team, TeamMembership
from productops.strategy.delegation import SUGGESTED_AREAS
from productops.strategy.models import DecisionArea, Delegation, Difficulty
from tests.cast import build_cast

BOARD = reverse("strategy:delegation")
AREAS = reverse("strategy:delegation_areas")


def cell_url(team: Team, area: DecisionArea) -> str:
    return reverse("strategy:delegation_set", args=[team.pk, area.pk])


class EmptyBoard(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        # the org logs touchpoints (long ago), so every team's cadence is known: 0
        Touchpoint.objects.create(team=cls.cast.checkout, date=date(2020, 1, 6), kind="interview")

    def test_admins_are_offered_the_suggested_areas_in_one_click(self) -> None:
        self.client.force_login(self.cast.hana_user)
        page = self.client.get(BOARD).content.decode()
        self.assertIn("No decision areas yet", page)
        self.assertIn("Which discovery method", page)
        response = self.client.post(reverse("strategy:delegation_add_suggested"))
        self.assertRedirects(response, BOARD)
        self.assertEqual(DecisionArea.objects.count(), len(SUGGESTED_AREAS))
        self.assertEqual(DecisionArea.objects.get(name="Pricing").difficulty, Difficulty.HIGH)
        self.assertEqual(
            DecisionArea.objects.get(name="The order of the sprint backlog").difficulty,
            Difficulty.LOW,
        )
        # A second click adds nothing twice.
        self.client.post(reverse("strategy:delegation_add_suggested"))
        self.assertEqual(DecisionArea.objects.count(), len(SUGGESTED_AREAS))

    def test_others_are_told_an_admin_adds_areas(self) -> None:
        for user in (self.cast.marco_user, self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            page = self.client.get(BOARD).content.decode()
            self.assertIn("An admin adds them", page)
            self.assertNotIn("delegation/areas/suggested", page)
            self.assertEqual(
                self.client.post(reverse("strategy:delegation_add_suggested")).status_code, 403
            )
        self.assertFalse(DecisionArea.objects.exists())

    def test_the_board_needs_a_login(self) -> None:
        response = self.client.get(BOARD)
        self.assertEqual(response.status_code, 302)
        self.assertIn("login", response["Location"])


class BoardByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        Touchpoint.objects.create(team=cls.cast.checkout, date=date(2020, 1, 6), kind="interview")
        cls.pricing = DecisionArea.objects.create(name="Pricing", difficulty=Difficulty.HIGH)
        cls.tools = DecisionArea.objects.create(name="Tools", difficulty=Difficulty.LOW)
        # Search: trio 1/3, cadence 0, no assessment -> M = 1/6 -> high: 1 + 1 - 1 = 1
        Delegation.objects.create(team=cls.cast.search, area=cls.pricing, level=6)

    def test_every_role_sees_the_grid_the_legend_and_the_findings(self) -> None:
        for name in ("hana", "marco", "priya", "paul", "vera"):
            self.client.force_login(getattr(self.cast, f"{name}_user"))
            response = self.client.get(BOARD)
            self.assertEqual(response.status_code, 200, name)
            page = response.content.decode()
            self.assertIn("Checkout", page)
            self.assertIn("7 · Delegate", page)  # the legend
            self.assertIn("The team decides; the leader does not take part.", page)
            self.assertIn("Search — Pricing", page)  # the finding
            self.assertIn("over-delegation", page)
            self.assertIn("Trio completeness: 0.33", page)  # why

    def test_only_admins_and_managers_get_the_selects(self) -> None:
        for name, editable in (
            ("hana", True),
            ("marco", True),
            ("priya", False),
            ("vera", False),
        ):
            self.client.force_login(getattr(self.cast, f"{name}_user"))
            page = self.client.get(BOARD).content.decode()
            self.assertEqual('name="level"' in page, editable, name)
            self.assertEqual(cell_url(self.cast.checkout, self.tools) in page, editable, name)

    def test_a_manager_saves_a_level_as_a_plain_form(self) -> None:
        self.client.force_login(self.cast.marco_user)
        response = self.client.post(cell_url(self.cast.checkout, self.tools), {"level": "5"})
        self.assertRedirects(response, BOARD)
        saved = Delegation.objects.get(team=self.cast.checkout, area=self.tools)
        self.assertEqual((saved.level, saved.updated_by), (5, self.cast.marco_user))

    def test_htmx_returns_the_cell_and_the_findings(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.post(
            cell_url(self.cast.search, self.pricing), {"level": "1"}, HTTP_HX_REQUEST="true"
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(f'id="cell-{self.cast.search.pk}-{self.pricing.pk}"', html)
        self.assertIn("dlg-match", html)  # 1 is what Search's maturity suggests
        self.assertIn('id="delegation-findings"', html)
        self.assertIn('hx-swap-oob="true"', html)
        self.assertNotIn("Search — Pricing", html)  # the finding is gone
        self.assertEqual(Delegation.objects.get(team=self.cast.search, area=self.pricing).level, 1)

    def test_not_set_clears_the_level(self) -> None:
        self.client.force_login(self.cast.hana_user)
        self.client.post(cell_url(self.cast.search, self.pricing), {"level": ""})
        self.assertFalse(Delegation.objects.filter(area=self.pricing).exists())

    def test_members_and_viewers_may_not_set_levels(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            response = self.client.post(cell_url(self.cast.checkout, self.tools), {"level": "3"})
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Delegation.objects.filter(area=self.tools).exists())

    def test_levels_outside_one_to_seven_are_refused(self) -> None:
        self.client.force_login(self.cast.hana_user)
        for bad in ("0", "8", "-1", "x", "3.5"):
            response = self.client.post(
                cell_url(self.cast.checkout, self.tools), {"level": bad}, HTTP_HX_REQUEST="true"
            )
            self.assertEqual(response.status_code, 422, bad)
            self.assertIn("is not a delegation level", response.content.decode())
            response = self.client.post(cell_url(self.cast.checkout, self.tools), {"level": bad})
            self.assertRedirects(response, BOARD)
        self.assertFalse(Delegation.objects.filter(area=self.tools).exists())

    def test_unknown_teams_and_areas_are_404(self) -> None:
        self.client.force_login(self.cast.hana_user)
        missing = reverse("strategy:delegation_set", args=[9999, self.tools.pk])
        self.assertEqual(self.client.post(missing, {"level": "3"}).status_code, 404)
        missing = reverse("strategy:delegation_set", args=[self.cast.checkout.pk, 9999])
        self.assertEqual(self.client.post(missing, {"level": "3"}).status_code, 404)

    def test_the_board_costs_the_same_for_many_teams(self) -> None:
        self.client.force_login(self.cast.marco_user)
        self.client.get(BOARD)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(BOARD)
        for n in range(40):
            team = Team.objects.create(name=f"Team {n:02d}")
            Delegation.objects.create(team=team, area=self.tools, level=7)
        with CaptureQueriesContext(connection) as many:
            page = self.client.get(BOARD).content.decode()
        self.assertIn("Team 39", page)
        self.assertEqual(len(many), len(few))

    def test_teams_paginate_by_fifty(self) -> None:
        teams = Team.objects.bulk_create(Team(name=f"Team {n:02d}") for n in range(60))
        TeamMembership.objects.bulk_create(
            TeamMembership(team=team, person=self.cast.otto) for team in teams
        )
        Team.objects.create(name="Team 99 (a group)")  # no members: not on the board
        self.client.force_login(self.cast.vera_user)
        first = self.client.get(BOARD).content.decode()
        self.assertIn("Page 1 of 2", first)
        self.assertNotIn("Team 59", first)
        second = self.client.get(BOARD, {"page": 2}).content.decode()
        self.assertIn("Team 59", second)
        self.assertNotIn("Team 99", second)

    def test_findings_cover_every_team_whichever_page_is_shown(self) -> None:
        teams = Team.objects.bulk_create(Team(name=f"Team {n:02d}") for n in range(60))
        TeamMembership.objects.bulk_create(
            TeamMembership(team=team, person=self.cast.otto) for team in teams
        )
        # no trio, no discovery: a high-difficulty area at 7 is far above the recommendation
        Delegation.objects.create(team=teams[-1], area=self.pricing, level=7)
        self.client.force_login(self.cast.vera_user)
        first = self.client.get(BOARD).content.decode()
        self.assertNotIn(f'id="cell-{teams[-1].pk}-{self.pricing.pk}"', first)  # on page 2
        self.assertIn("Team 59 — Pricing", first)


class AreaPages(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.pricing = DecisionArea.objects.create(name="Pricing", difficulty=Difficulty.HIGH)
        Delegation.objects.create(team=cls.cast.checkout, area=cls.pricing, level=3)

    def test_only_admins_manage_areas(self) -> None:
        for user in (self.cast.marco_user, self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get(AREAS).status_code, 403)
            response = self.client.post(
                reverse("strategy:delegation_area_new"), {"name": "X", "difficulty": "low"}
            )
            self.assertEqual(response.status_code, 403)
            edit = reverse("strategy:delegation_area_edit", args=[self.pricing.pk])
            self.assertEqual(self.client.get(edit).status_code, 403)
        self.assertEqual(DecisionArea.objects.count(), 1)

    def test_an_admin_adds_changes_and_removes_an_area(self) -> None:
        self.client.force_login(self.cast.hana_user)
        self.assertContains(self.client.get(AREAS), "Pricing")
        response = self.client.post(
            reverse("strategy:delegation_area_new"),
            {"name": "  Hiring  engineers ", "description": "Who joins", "difficulty": "medium"},
        )
        self.assertRedirects(response, AREAS)
        hiring = DecisionArea.objects.get(name="Hiring engineers")
        self.client.post(
            reverse("strategy:delegation_area_edit", args=[hiring.pk]),
            {"name": "Hiring engineers", "description": "", "difficulty": "high"},
        )
        hiring.refresh_from_db()
        self.assertEqual(hiring.difficulty, Difficulty.HIGH)
        delete = reverse("strategy:delegation_area_delete", args=[self.pricing.pk])
        self.assertContains(self.client.get(delete), "The 1 team level set in this area goes")
        self.assertRedirects(self.client.post(delete), AREAS)
        self.assertFalse(Delegation.objects.exists())

    def test_a_taken_name_is_refused_with_a_sentence(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.post(
            reverse("strategy:delegation_area_new"), {"name": "pricing", "difficulty": "low"}
        )
        self.assertContains(response, "There is already a decision area called")
        self.assertEqual(DecisionArea.objects.count(), 1)
