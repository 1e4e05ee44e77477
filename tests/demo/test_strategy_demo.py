"""The strategy demo tells its story: objectives with and without work, a CEO/CPO check
with a visible disagreement, and a delegation board with one cell off each way."""

from __future__ import annotations

from datetime import date
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from productops.accounts.models import Role
from productops.accounts.roles import role_of
from productops.backlog.models import Item, ItemType
from productops.demo.backlog import build_backlog_demo
from productops.demo.discovery import build_discovery_demo, mature_team_id
from productops.demo.org import MIN_PEOPLE, build_demo_org
from productops.demo.strategy import (
    EMPTY_OBJECTIVE,
    ESCALATION_LABEL,
    OBJECTIVES,
    PREVIOUS_PRIORITIES,
    PRIORITIES,
    build_strategy_demo,
    clear_strategy_demo,
    has_strategy_demo,
    quarter_end,
    quarter_name,
    quarter_start,
)
from productops.discovery.models import Outcome, Touchpoint
from productops.org.models import Team
from productops.strategy.models import (
    AlignmentRule,
    DecisionArea,
    Delegation,
    Difficulty,
    Objective,
    ObjectiveLevel,
    ObjectiveLink,
    PriorityCheck,
    RankEntry,
)

TODAY = date(2026, 11, 20)


def kendall_tau(first: dict[str, int], second: dict[str, int]) -> float:
    """Tau-a for rankings without ties, written out independently of the demo."""
    keys = sorted(first)
    score = pairs = 0
    for index, a in enumerate(keys):
        for b in keys[index + 1 :]:
            pairs += 1
            product = (first[a] - first[b]) * (second[a] - second[b])
            score += (product > 0) - (product < 0)
    return score / pairs


def ranks_of(check: PriorityCheck) -> dict[str, dict[str, int]]:
    ranks: dict[str, dict[str, int]] = {}
    entries = RankEntry.objects.filter(ranking__priority_check=check).values_list(
        "ranking__author__username", "priority__title", "rank"
    )
    for author, title, rank in entries:
        ranks.setdefault(author, {})[title] = rank
    return ranks


def signature() -> dict[str, list]:
    return {
        "objectives": sorted(
            Objective.objects.values_list(
                "level", "title", "period_start", "period_end", "owner__email", "parent__title"
            )
        ),
        "links": sorted(ObjectiveLink.objects.values_list("objective__title", "item__key")),
        "ranks": sorted(
            RankEntry.objects.values_list(
                "ranking__priority_check__title",
                "ranking__author__username",
                "priority__title",
                "rank",
            )
        ),
        "delegations": sorted(Delegation.objects.values_list("team__name", "area__name", "level")),
    }


def test_quarters_across_the_year_boundary() -> None:
    assert quarter_start(date(2026, 12, 31)) == date(2026, 10, 1)
    assert quarter_end(date(2026, 11, 20)) == date(2026, 12, 31)
    assert quarter_end(date(2027, 1, 1)) == date(2027, 3, 31)
    assert quarter_end(date(2027, 5, 31)) == date(2027, 6, 30)
    assert quarter_name(date(2027, 1, 6)) == "Q1 2027"
    assert quarter_name(date(2026, 9, 30)) == "Q3 2026"


class StrategyDemoStories(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo_org(150, 7)
        build_backlog_demo(cls.org, seed=7, today=TODAY)
        build_discovery_demo(cls.org, 7, today=TODAY)
        cls.demo = build_strategy_demo(cls.org, 7, today=TODAY)

    def test_company_and_product_objectives_for_this_quarter_owned_by_leaders(self) -> None:
        objectives = Objective.objects.select_related("owner", "parent")
        company = objectives.filter(level=ObjectiveLevel.COMPANY)
        product = objectives.filter(level=ObjectiveLevel.PRODUCT)
        self.assertTrue(2 <= company.count() <= 3)
        self.assertTrue(4 <= product.count() <= 6)
        for objective in objectives:
            self.assertEqual(
                (objective.period_start, objective.period_end),
                (date(2026, 10, 1), date(2026, 12, 31)),
            )
            self.assertIsNotNone(objective.owner)
            self.assertRegex(objective.owner.title, r"Chief|VP|Group Product Manager")
        for objective in product:
            self.assertEqual(objective.parent.level, ObjectiveLevel.COMPANY)

    def test_epics_are_mapped_by_hand_and_by_one_label_rule_and_one_objective_has_no_work(
        self,
    ) -> None:
        links = ObjectiveLink.objects.select_related("item", "objective")
        self.assertEqual(links.count(), self.demo.links)
        self.assertGreaterEqual(links.count(), 4)
        self.assertTrue(all(link.item.type == ItemType.EPIC for link in links))
        rule = AlignmentRule.objects.get()
        self.assertEqual((rule.kind, rule.value), (AlignmentRule.Kind.LABEL, ESCALATION_LABEL))
        labelled = [
            labels
            for labels in Item.objects.values_list("labels", flat=True)
            if rule.value in labels
        ]
        self.assertTrue(labelled)
        empty_title = next(spec.title for spec in OBJECTIVES if spec.key == EMPTY_OBJECTIVE)
        with_work = {link.objective.title for link in links} | {rule.objective.title}
        without = set(Objective.objects.values_list("title", flat=True)) - with_work
        children_with_work = set(
            Objective.objects.filter(children__title__in=with_work).values_list("title", flat=True)
        )
        self.assertEqual(without - children_with_work, {empty_title})
        self.assertFalse(Objective.objects.filter(title=empty_title, children__isnull=False))
        mapped = set(links.values_list("item_id", flat=True))
        unaligned = Item.objects.filter(type=ItemType.EPIC).exclude(pk__in=mapped)
        self.assertGreater(unaligned.count(), 2 * len(mapped))

    def test_the_check_has_two_submitted_rankings_that_disagree_on_sales_asks(self) -> None:
        check = PriorityCheck.objects.get(pk=self.demo.check_id)
        self.assertEqual(check.title, "Q4 2026 priorities")
        self.assertFalse(check.closed)
        self.assertTrue(8 <= check.priorities.count() <= 10)
        users = {user.username: user for user in check.participants.all()}
        self.assertEqual(set(users), {"admin", "ceo"})
        self.assertEqual(role_of(users["admin"]), Role.ADMIN)
        self.assertEqual(users["admin"].person.pk, self.org.head_of_product_id)
        self.assertEqual(users["ceo"].person.pk, self.org.ceo_id)
        self.assertFalse(users["ceo"].has_usable_password())
        ranks = ranks_of(check)
        self.assertEqual(set(ranks), {"admin", "ceo"})
        for author in ranks:
            self.assertEqual(sorted(ranks[author].values()), list(range(1, len(PRIORITIES) + 1)))
        tau = kendall_tau(ranks["admin"], ranks["ceo"])
        self.assertTrue(0.2 <= tau <= 0.4, tau)
        for title, sales_driven, _, _ in PRIORITIES:
            if sales_driven and title.startswith("Custom contract"):
                self.assertLessEqual(ranks["ceo"][title], 3)
                self.assertGreaterEqual(ranks["admin"][title], 8)
        for ranking in check.rankings.all():
            self.assertGreaterEqual(ranking.submitted_at, check.created_at)

    def test_last_quarters_check_is_closed_with_less_agreement(self) -> None:
        check = PriorityCheck.objects.get(pk=self.demo.check_id)
        previous = check.previous
        self.assertEqual(previous.pk, self.demo.previous_check_id)
        self.assertEqual(previous.title, "Q3 2026 priorities")
        self.assertTrue(previous.closed)
        self.assertLess(previous.created_at, check.created_at)
        self.assertEqual(previous.priorities.count(), len(PREVIOUS_PRIORITIES))
        before, now = ranks_of(previous), ranks_of(check)
        self.assertLess(
            kendall_tau(before["admin"], before["ceo"]), kendall_tau(now["admin"], now["ceo"])
        )
        shared = set(previous.priorities.values_list("title", flat=True)) & set(
            check.priorities.values_list("title", flat=True)
        )
        self.assertGreaterEqual(len(shared), 4)

    def test_one_over_delegated_and_one_micromanaged_cell_by_raw_levels(self) -> None:
        teams = Team.objects.filter(parent__isnull=False)
        areas = DecisionArea.objects.all()
        self.assertTrue(6 <= areas.count() <= 8)
        self.assertEqual({area.difficulty for area in areas}, set(Difficulty.values))
        self.assertEqual(Delegation.objects.count(), teams.count() * areas.count())
        high_at_seven = Delegation.objects.filter(area__difficulty=Difficulty.HIGH, level=7)
        low_at_one_or_two = Delegation.objects.filter(area__difficulty=Difficulty.LOW, level__lte=2)
        self.assertEqual(
            list(high_at_seven.values_list("team_id", flat=True)), [self.org.no_designer_team_id]
        )
        self.assertEqual(
            list(low_at_one_or_two.values_list("team_id", flat=True)),
            [mature_team_id(self.org)],
        )
        # The silent team is also the one that stopped discovery.
        self.assertFalse(
            Touchpoint.objects.filter(
                team_id=self.org.no_designer_team_id, date__gt=date(2026, 10, 9)
            ).exists()
        )

    def test_the_stories_tell_the_disagreement_and_the_empty_objective(self) -> None:
        text = "\n".join(self.demo.stories)
        self.assertIn("0.28", text)
        self.assertIn("no work", text)
        self.assertIn(self.org.no_designer_team_name, text)

    def test_clearing_and_rebuilding_gives_the_same_demo_without_duplicates(self) -> None:
        first = signature()
        self.assertTrue(has_strategy_demo())
        clear_strategy_demo()
        self.assertFalse(has_strategy_demo())
        self.assertFalse(
            Objective.objects.exists()
            or PriorityCheck.objects.exists()
            or DecisionArea.objects.exists()
        )
        build_strategy_demo(self.org, 7, today=TODAY)
        self.assertEqual(signature(), first)
        self.assertEqual(get_user_model().objects.filter(username="ceo").count(), 1)


class StrategyDemoCommand(TestCase):
    def test_if_empty_keeps_and_reset_replaces_without_duplicates(self) -> None:
        def run(**options: object) -> str:
            out = StringIO()
            call_command(
                "demo", stdout=out, stderr=StringIO(), password="demo-password-1", **options
            )
            return out.getvalue()

        def counts() -> tuple[int, ...]:
            return (
                Objective.objects.count(),
                PriorityCheck.objects.count(),
                DecisionArea.objects.count(),
                Outcome.objects.count(),
                Touchpoint.objects.count() > 0,
            )

        output = run(people=MIN_PEOPLE)
        self.assertIn("In the demo: Strategy:", output)
        self.assertIn("In the demo: Discovery:", output)
        built = counts()
        self.assertEqual(built[:3], (len(OBJECTIVES), 2, 7))
        run(if_empty=True)
        self.assertEqual(counts(), built)
        run(people=MIN_PEOPLE, reset=True)
        self.assertEqual(counts(), built)
        check = PriorityCheck.objects.filter(previous__isnull=False).get()
        self.assertEqual(check.rankings.count(), 2)
