"""The board's loader on the cast, with the gap story's assessments and some touchpoints.

Numbers worked by hand (tests/competencies/gap_story.py has the assessments):

Priya (Checkout's PM), latest cycle H2: consensus discovery 7/3, delivery 3, strategy 3
-> mean 25/9 on a 1..5 scale -> (25/9 - 1) / 4 = 4/9. (H1, older, is ignored.)
Paul (Search's PM), H2: discovery 4 (two peers only: left out), delivery 3, strategy 2
-> mean 3 -> 0.5.
Checkout: a full trio -> 1; customer interviews with Priya in 6 of the last 12 complete
weeks -> 0.5. M = 0.5·4/9 + 0.25·1 + 0.25·0.5 = 0.597…; 1 + 6M = 4.58 -> medium 5,
high 4, low 6.
Search: only Paul -> trio 1/3; no touchpoint -> cadence 0. M = 0.25 + 1/12 = 1/3;
1 + 6M = 3 -> medium 3, high 2, low 4.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.competencies.gap_data import load_person_gaps, scale_steps
from productops.discovery.models import Touchpoint, TouchpointKind
from productops.org.models import Person, Team, TeamMembership, TeamRole
from productops.strategy import visibility
from productops.strategy.delegation import (
    MICROMANAGEMENT,
    OVER_DELEGATION,
    cadence_window,
    competence_score,
    load_board,
    pm_competence,
)
from productops.strategy.models import DecisionArea, Delegation, Difficulty
from tests.competencies.gap_story import build_gap_story

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def log_weeks(team: Team, person: Person, weeks: list[int]) -> None:
    """An interview with `person` on the Tuesday of each of the given window weeks (0..11)."""
    start, _ = cadence_window(TODAY)
    for week in weeks:
        touchpoint = Touchpoint.objects.create(
            team=team,
            date=start + dt.timedelta(weeks=week, days=1),
            kind=TouchpointKind.INTERVIEW,
        )
        touchpoint.participants.add(person)


class BoardOnTheCast(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cast = cls.story.cast
        cls.cast = cast
        log_weeks(cast.checkout, cast.priya, [0, 2, 4, 6, 8, 10])
        cls.roadmap = DecisionArea.objects.create(name="Roadmap", difficulty=Difficulty.HIGH)
        cls.process = DecisionArea.objects.create(name="Process", difficulty=Difficulty.MEDIUM)
        cls.tools = DecisionArea.objects.create(name="Tools", difficulty=Difficulty.LOW)
        Delegation.objects.create(team=cast.checkout, area=cls.roadmap, level=7)  # 4: over
        Delegation.objects.create(team=cast.checkout, area=cls.process, level=4)  # 5: fine
        Delegation.objects.create(team=cast.search, area=cls.tools, level=2)  # 4: micro

    def board(self, user=None):
        shown = visibility.pm_competence_shown(user) if user else None
        return load_board(today=TODAY, competence_visible=shown)

    def test_the_window_is_the_last_twelve_complete_iso_weeks(self) -> None:
        self.assertEqual(cadence_window(TODAY), (dt.date(2026, 8, 24), dt.date(2026, 11, 15)))
        # Across a year boundary: Monday 5 January 2026 is in week 2.
        self.assertEqual(
            cadence_window(dt.date(2026, 1, 7)), (dt.date(2025, 10, 13), dt.date(2026, 1, 4))
        )

    def test_competence_is_the_latest_assessment_placed_on_the_scale(self) -> None:
        scores = pm_competence([self.cast.priya.pk, self.cast.paul.pk, self.cast.otto.pk])
        self.assertAlmostEqual(scores[self.cast.priya.pk], 4 / 9)
        self.assertAlmostEqual(scores[self.cast.paul.pk], 0.5)
        self.assertNotIn(self.cast.otto.pk, scores)  # never assessed

    def test_competence_agrees_with_the_gap_pages(self) -> None:
        for person in (self.cast.priya, self.cast.paul, self.cast.marco):
            gaps = load_person_gaps(person)
            expected = competence_score(
                [row.consensus for row in gaps.rows], scale_steps(self.story.h2)
            )
            self.assertAlmostEqual(pm_competence([person.pk])[person.pk], expected)

    def test_parts_and_recommendations_of_each_team(self) -> None:
        board = self.board()
        checkout = board.cell(self.cast.checkout.pk, self.process.pk).maturity.parts
        self.assertAlmostEqual(checkout.competence, 4 / 9)
        self.assertEqual(checkout.trio, 1)
        self.assertAlmostEqual(checkout.cadence, 0.5)
        search = board.cell(self.cast.search.pk, self.process.pk).maturity.parts
        self.assertAlmostEqual(search.competence, 0.5)
        self.assertAlmostEqual(search.trio, 1 / 3)
        self.assertEqual(search.cadence, 0)
        expected = {
            (self.cast.checkout.pk, self.roadmap.pk): 4,
            (self.cast.checkout.pk, self.process.pk): 5,
            (self.cast.checkout.pk, self.tools.pk): 6,
            (self.cast.search.pk, self.roadmap.pk): 2,
            (self.cast.search.pk, self.process.pk): 3,
            (self.cast.search.pk, self.tools.pk): 4,
        }
        for (team_id, area_id), level in expected.items():
            self.assertEqual(board.cell(team_id, area_id).recommended, level, (team_id, area_id))

    def test_findings_name_over_delegation_and_micromanagement(self) -> None:
        findings = {(c.team.name, c.area.name): c.finding for c in self.board().findings}
        self.assertEqual(
            findings,
            {("Checkout", "Roadmap"): OVER_DELEGATION, ("Search", "Tools"): MICROMANAGEMENT},
        )
        cell = self.board().cell(self.cast.checkout.pk, self.process.pk)
        self.assertEqual((cell.chosen, cell.recommended, cell.tone), (4, 5, "near-under"))

    def test_several_pms_count_as_their_mean(self) -> None:
        # Marco, H2: discovery 3, delivery 4, strategy not observed -> 3.5 -> 0.625
        TeamMembership.objects.create(
            team=self.cast.search, person=self.cast.marco, role=TeamRole.PRODUCT_MANAGER
        )
        parts = self.board().cell(self.cast.search.pk, self.tools.pk).maturity.parts
        self.assertAlmostEqual(parts.competence, (0.5 + 0.625) / 2)

    def test_a_team_without_an_assessed_pm_leaves_competence_out(self) -> None:
        team = Team.objects.create(name="Platform")
        TeamMembership.objects.create(team=team, person=self.cast.otto, role=TeamRole.ENGINEER)
        cell = self.board().cell(team.pk, self.process.pk)
        self.assertIsNone(cell.maturity.parts.competence)
        # trio 1/3, cadence 0 -> M = 1/6 -> 1 + 1 = 2
        self.assertAlmostEqual(cell.maturity.value, 1 / 6)
        self.assertEqual(cell.recommended, 2)

    def test_people_who_left_do_not_count(self) -> None:
        Person.objects.filter(pk=self.cast.tariq.pk).update(active=False)
        parts = self.board().cell(self.cast.checkout.pk, self.process.pk).maturity.parts
        self.assertAlmostEqual(parts.trio, 2 / 3)

    def test_the_competence_number_shows_only_to_who_may_see_the_assessment(self) -> None:
        cast = self.cast
        seen = {
            "hana": (True, True),  # admin: everyone
            "marco": (True, True),  # both PMs are in his chain
            "priya": (True, False),  # her own, not Paul's
            "paul": (False, True),
            "vera": (False, False),  # viewer: nobody's
        }
        for name, (checkout_shown, search_shown) in seen.items():
            board = self.board(getattr(cast, f"{name}_user"))
            for team, shown in ((cast.checkout, checkout_shown), (cast.search, search_shown)):
                cell = board.cell(team.pk, self.process.pk)
                competence = cell.why[0]
                self.assertEqual(competence["hidden"], not shown, (name, team.name))
                self.assertEqual(competence["value"] is None, not shown, (name, team.name))
                self.assertEqual(cell.maturity_value is None, not shown, (name, team.name))
                # Nor the recommendation: with trio and cadence it bands the competence.
                self.assertEqual(cell.recommended is None, not shown, (name, team.name))
                self.assertEqual(cell.recommendation_withheld, not shown, (name, team.name))

    def test_the_query_count_does_not_grow_with_teams(self) -> None:
        self.board(self.cast.marco_user)  # the user's role is read once, then kept
        with CaptureQueriesContext(connection) as few:
            self.board(self.cast.marco_user)
        for n in range(30):
            team = Team.objects.create(name=f"Team {n:02d}")
            pm = Person.objects.create(
                name=f"PM {n}", email=f"pm{n}@example.com", discipline="product"
            )
            TeamMembership.objects.create(team=team, person=pm, role=TeamRole.PRODUCT_MANAGER)
            Delegation.objects.create(team=team, area=self.tools, level=3)
        with CaptureQueriesContext(connection) as many:
            board = self.board(self.cast.marco_user)
        self.assertEqual(len(board.rows), 32)
        self.assertEqual(len(many), len(few))


@pytest.mark.django_db
def test_an_empty_org_has_an_empty_board() -> None:
    board = load_board(today=TODAY)
    assert board.rows == [] and board.areas == [] and board.findings == []


@pytest.mark.django_db
def test_cadence_is_left_out_when_nobody_logs_touchpoints() -> None:
    from productops.discovery.models import Touchpoint
    from productops.strategy.delegation import team_cadence
    from tests.cast import build_cast

    cast = build_cast()
    Touchpoint.objects.all().delete()
    today = dt.date(2026, 11, 18)
    assert team_cadence([cast.checkout.pk, cast.search.pk], today) == {}
    Touchpoint.objects.create(team=cast.checkout, date=today, kind="interview")
    shares = team_cadence([cast.checkout.pk, cast.search.pk], today)
    assert shares[cast.search.pk] == 0.0  # known now: this team logged nothing
