"""The discovery demo tells its story: teams that meet customers weekly, one that went
silent, a sales-led team that shadows deals, and a tree per team backed by evidence."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.backlog.models import Item, ItemType
from productops.demo.backlog import build_backlog_demo
from productops.demo.discovery import (
    SILENT_WEEKS,
    TREES,
    WEEKS,
    build_discovery_demo,
    clear_discovery_demo,
    has_discovery_demo,
    mature_team_id,
)
from productops.demo.org import build_demo_org
from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    Touchpoint,
    TouchpointKind,
)
from productops.discovery.models import (
    TestStatus as AssumptionStatus,
)
from productops.org.models import Team, TeamMembership, TeamRole

TODAY = date(2026, 11, 20)  # a Friday
TRIO = (TeamRole.PRODUCT_MANAGER, TeamRole.DESIGN_LEAD, TeamRole.TECH_LEAD)


def signature() -> dict[str, list]:
    """What the demo wrote, by names and dates rather than ids."""
    return {
        "touchpoints": sorted(
            Touchpoint.objects.values_list(
                "team__name", "date", "kind", "segment", "customers", "notes", "insights"
            )
        ),
        "participants": sorted(
            Touchpoint.participants.through.objects.values_list(
                "touchpoint__team__name", "touchpoint__date", "person__email"
            )
        ),
        "trees": sorted(
            Opportunity.objects.values_list("outcome__team__name", "title", "parent__title")
        ),
        "citations": sorted(
            Opportunity.touchpoints.through.objects.values_list(
                "opportunity__title", "touchpoint__team__name", "touchpoint__date"
            )
        ),
        "items": sorted(Solution.items.through.objects.values_list("solution__title", "item__key")),
    }


class DiscoveryDemoStories(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo_org(150, 7)
        build_backlog_demo(cls.org, seed=7, today=TODAY)
        cls.demo = build_discovery_demo(cls.org, 7, today=TODAY)
        cls.teams = list(Team.objects.filter(parent__isnull=False).order_by("name"))

    def test_touchpoints_cover_the_last_quarter_and_nothing_after_today(self) -> None:
        dates = list(Touchpoint.objects.values_list("date", flat=True))
        self.assertEqual(len(dates), self.demo.touchpoints)
        self.assertLessEqual(max(dates), TODAY)
        monday = TODAY - timedelta(days=TODAY.weekday())
        self.assertGreaterEqual(min(dates), monday - timedelta(weeks=WEEKS - 1))

    def test_the_silent_team_has_no_touchpoint_in_six_weeks_and_the_others_do(self) -> None:
        cutoff = TODAY - timedelta(weeks=SILENT_WEEKS)
        silent = Touchpoint.objects.filter(team_id=self.org.no_designer_team_id)
        self.assertEqual(self.demo.silent_team, self.org.no_designer_team_name)
        self.assertTrue(silent.exists())  # it did meet customers before
        self.assertFalse(silent.filter(date__gt=cutoff).exists())
        for team in self.teams:
            if team.pk == self.org.no_designer_team_id:
                continue
            recent = Touchpoint.objects.filter(team=team, date__gt=cutoff).count()
            self.assertGreaterEqual(recent, 4, team.name)

    def test_most_teams_meet_customers_nearly_every_week(self) -> None:
        monday = TODAY - timedelta(days=TODAY.weekday())
        for team in self.teams:
            if team.pk == self.org.no_designer_team_id:
                continue
            first_monday = monday - timedelta(weeks=WEEKS - 1)
            weeks = {
                (day - first_monday).days // 7
                for day in Touchpoint.objects.filter(team=team).values_list("date", flat=True)
            }
            self.assertGreaterEqual(len(weeks), 9, team.name)
        mature = mature_team_id(self.org)
        self.assertIsNotNone(mature)
        self.assertNotIn(mature, (self.org.enterprise_team_id, self.org.no_designer_team_id))

    def test_enterprise_deals_mostly_shadows_sales_calls(self) -> None:
        kinds = Counter(
            Touchpoint.objects.filter(team_id=self.org.enterprise_team_id).values_list(
                "kind", flat=True
            )
        )
        total = sum(kinds.values())
        self.assertGreater(kinds[TouchpointKind.SALES_CALL] / total, 0.7)
        self.assertTrue(1 <= kinds[TouchpointKind.INTERVIEW] <= 3)
        elsewhere = Touchpoint.objects.exclude(team_id=self.org.enterprise_team_id)
        self.assertFalse(elsewhere.filter(kind=TouchpointKind.SALES_CALL).exists())

    def test_participants_come_from_the_trio_sometimes_all_three_sometimes_the_pm_alone(
        self,
    ) -> None:
        trio_of: dict[int, dict[int, str]] = {}
        for team_id, person_id, role in TeamMembership.objects.filter(role__in=TRIO).values_list(
            "team_id", "person_id", "role"
        ):
            trio_of.setdefault(team_id, {})[person_id] = role
        whole = pm_alone = 0
        for touchpoint in Touchpoint.objects.prefetch_related("participants"):
            people = {person.pk for person in touchpoint.participants.all()}
            self.assertTrue(people, touchpoint)
            self.assertLessEqual(people, set(trio_of[touchpoint.team_id]), touchpoint)
            roles = {trio_of[touchpoint.team_id][person] for person in people}
            whole += roles == set(TRIO)
            pm_alone += roles == {TeamRole.PRODUCT_MANAGER}
        self.assertGreater(whole, 10)
        self.assertGreater(pm_alone, 10)

    def test_notes_and_insights_are_written_out(self) -> None:
        for notes, insights in Touchpoint.objects.values_list("notes", "insights"):
            self.assertGreater(len(notes), 30)
            self.assertGreater(len(insights), 20)
            self.assertNotIn("{", notes)

    def test_every_team_has_a_tree_with_a_nested_opportunity_and_tests_in_every_status(
        self,
    ) -> None:
        outcomes = Outcome.objects.filter(team__in=self.teams)
        self.assertEqual(outcomes.count(), len(self.teams))
        for outcome in outcomes:
            self.assertTrue(outcome.metric)
            self.assertIsNotNone(outcome.baseline)
            self.assertNotEqual(outcome.baseline, outcome.target)
            top = outcome.opportunities.filter(parent__isnull=True)
            self.assertTrue(2 <= top.count() <= 4, outcome)
            self.assertTrue(outcome.opportunities.filter(parent__isnull=False).exists())
            self.assertTrue(Solution.objects.filter(opportunity__outcome=outcome).exists())
        statuses = set(AssumptionTest.objects.values_list("status", flat=True))
        self.assertEqual(statuses, set(AssumptionStatus.values))
        billing = Outcome.objects.filter(team__name="Billing").first()
        if billing is not None:
            self.assertEqual(billing.title, TREES["Billing"].outcome)
            self.assertEqual((billing.baseline, billing.target), (9.5, 3))

    def test_opportunities_cite_their_own_teams_touchpoints_with_the_words_heard(self) -> None:
        citations = Opportunity.touchpoints.through.objects.select_related(
            "opportunity__outcome", "touchpoint"
        )
        self.assertGreater(citations.count(), 2 * len(self.teams))
        for citation in citations:
            self.assertEqual(
                citation.opportunity.outcome.team_id, citation.touchpoint.team_id, citation
            )
        for team in self.teams:
            self.assertTrue(citations.filter(opportunity__outcome__team=team).exists(), team.name)

    def test_solutions_back_epics_and_enterprise_deals_only_a_little(self) -> None:
        def backed_share(project: str) -> float:
            items = Item.objects.filter(project=project)
            linked = items.filter(solutions__isnull=False)
            epics = linked.filter(type=ItemType.EPIC).values_list("key", flat=True)
            backed = items.filter(solutions__isnull=False) | items.filter(epic_key__in=epics)
            return backed.distinct().count() / items.count()

        links = Solution.items.through.objects.select_related(
            "solution__opportunity__outcome__team", "item"
        )
        self.assertEqual(links.count(), self.demo.linked_items)
        for link in links:
            self.assertEqual(link.item.project, link.solution.opportunity.outcome.team.name)
        self.assertTrue(links.filter(item__type=ItemType.EPIC).exists())
        enterprise = backed_share(self.org.enterprise_team_name)
        others = [
            backed_share(team.name) for team in self.teams if team.pk != self.org.enterprise_team_id
        ]
        self.assertGreater(enterprise, 0)
        self.assertLess(enterprise, 0.02)
        self.assertGreater(sum(others) / len(others), 3 * enterprise)

    def test_the_stories_name_the_silent_team_and_enterprise_deals(self) -> None:
        text = "\n".join(self.demo.stories)
        self.assertIn(self.org.no_designer_team_name, text)
        self.assertIn(self.org.enterprise_team_name, text)
        self.assertIn(str(self.demo.touchpoints), text)

    def test_clearing_and_rebuilding_gives_the_same_demo_without_duplicates(self) -> None:
        first = signature()
        self.assertTrue(has_discovery_demo())
        clear_discovery_demo()
        self.assertFalse(has_discovery_demo())
        self.assertFalse(Touchpoint.objects.exists() or Outcome.objects.exists())
        with CaptureQueriesContext(connection) as queries:
            again = build_discovery_demo(self.org, 7, today=TODAY)
        self.assertEqual(signature(), first)
        self.assertEqual(again.stories, self.demo.stories)
        self.assertLess(len(queries), 40)  # bulk writes, not one query per touchpoint

    def test_a_tree_drawn_by_hand_is_kept_and_an_edited_one_still_counts_as_the_demo(
        self,
    ) -> None:
        Outcome.objects.filter(team_id=self.org.enterprise_team_id).update(title="Our own words")
        self.assertTrue(has_discovery_demo())
        clear_discovery_demo()
        team = self.teams[0]
        Outcome.objects.create(team=team, title="Drawn by hand")

        build_discovery_demo(self.org, 7, today=TODAY)

        self.assertEqual(Outcome.objects.get(team=team).title, "Drawn by hand")
        self.assertFalse(Touchpoint.objects.filter(team=team).exists())
        self.assertEqual(Outcome.objects.count(), len(self.teams))
