"""The overview page's strategy section: checks to rank, alignment, delegation findings.

The check story (tests/strategy/check_story.py): "Q3 priorities", started by Marco, waits
for Hana's and Priya's rankings; "Q2 priorities" is ranked by both.

Alignment, this quarter: objective "Faster checkout" with the label rule "checkout";
four items in progress, one labelled checkout: 25%, 1 of 4. One more item in progress
labelled checkout is done, so it does not count.

Delegation, on the cast with no touchpoint (the cadence part is left out): Checkout is a
full trio, M = 1, recommended 7 for a medium area; Search has Paul only, M = 1/3,
recommended 3. Checkout at 1 is micromanagement (−6), Search at 6 over-delegation (+3),
Search at 4 in a second area is within a step: 2 findings.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from productops.backlog.models import Item
from productops.org.models import Team, TeamMembership, TeamRole
from productops.strategy import visibility
from productops.strategy.actions import do_close_check, do_create_check
from productops.strategy.alignment import quarter_of
from productops.strategy.dashboard import dashboard_context
from productops.strategy.models import (
    AlignmentRule,
    DecisionArea,
    Delegation,
    Objective,
    PriorityCheck,
)
from tests.strategy.check_story import HANA_Q3, PRIYA_Q3, Q3, build_check_story, rank

TO_DO = "for your ranking."


def item(key: str, category: str = "in_progress", **fields) -> Item:
    return Item.objects.create(
        source="jira", key=key, title=f"Secret work on {key}", status_category=category, **fields
    )


def add_alignment() -> Objective:
    start, end = quarter_of(timezone.localdate())
    objective = Objective.objects.create(
        level="product", title="Faster checkout", period_start=start, period_end=end
    )
    AlignmentRule.objects.create(objective=objective, kind="label", value="checkout")
    item("SHOP-1", labels=["Checkout"])
    item("SHOP-2")
    item("SHOP-3")
    item("SHOP-4", labels=["billing"])
    item("SHOP-5", "done", labels=["checkout"])
    return objective


def add_delegation(cast) -> None:
    roadmap = DecisionArea.objects.create(name="Roadmap", difficulty="medium")
    tools = DecisionArea.objects.create(name="Tools", difficulty="medium")
    Delegation.objects.create(team=cast.checkout, area=roadmap, level=1)
    Delegation.objects.create(team=cast.search, area=roadmap, level=6)
    Delegation.objects.create(team=cast.search, area=tools, level=4)


class StrategyDashboard(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast
        cls.users = {
            "admin": cls.cast.hana_user,
            "manager": cls.cast.marco_user,
            "member": cls.cast.priya_user,
            "other member": cls.cast.paul_user,
            "viewer": cls.cast.vera_user,
        }

    def home(self, user) -> str:
        self.client.force_login(user)
        response = self.client.get(reverse("home"))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def fresh(self, user):
        """The user without the role and person cached by an earlier call."""
        return type(user).objects.get(pk=user.pk)

    # -- the check to rank --------------------------------------------------------------

    def test_only_participants_who_have_not_ranked_see_the_to_do(self) -> None:
        rank_q3 = reverse("strategy:check_rank", args=[self.story.q3.pk])
        for role, user in self.users.items():
            context = dashboard_context(user)
            page = self.home(user)
            waiting = user in (self.cast.hana_user, self.cast.priya_user)
            self.assertEqual(context.get("checks_to_rank") == [self.story.q3], waiting, role)
            self.assertEqual(TO_DO in page, waiting, role)
            self.assertEqual(rank_q3 in page, waiting, role)
            # Q2 is ranked by both: no one is asked to rank it again.
            self.assertNotIn(reverse("strategy:check_rank", args=[self.story.q2.pk]), page)
        page = self.home(self.cast.priya_user)
        self.assertIn("1 CEO/CPO check waits for your ranking", page)
        self.assertIn("Rank “Q3 priorities”", page)

    def test_the_to_do_goes_once_ranked_or_closed(self) -> None:
        rank(self.cast.priya_user, self.story.q3, PRIYA_Q3)
        self.assertNotIn("checks_to_rank", dashboard_context(self.fresh(self.cast.priya_user)))
        self.assertNotIn(TO_DO, self.home(self.cast.priya_user))
        self.assertIn("checks_to_rank", dashboard_context(self.fresh(self.cast.hana_user)))
        do_close_check(self.cast.marco_user, self.story.q3)
        self.assertNotIn(TO_DO, self.home(self.cast.hana_user))
        self.assertEqual(dashboard_context(self.fresh(self.cast.hana_user)), {})

    def test_the_waiting_checks_are_those_the_user_may_rank(self) -> None:
        rank(self.cast.hana_user, self.story.q3, HANA_Q3)
        for user in [*self.users.values(), self.story.ada_user]:
            for check in PriorityCheck.objects.all():
                self.assertEqual(
                    visibility.checks_awaiting_ranking(user).filter(pk=check.pk).exists(),
                    visibility.can_submit_ranking(user, check),
                    (user.username, check.title),
                )

    def test_the_to_do_comes_first_in_the_section(self) -> None:
        add_alignment()
        add_delegation(self.cast)
        page = self.home(self.cast.hana_user)
        self.assertLess(page.index(TO_DO), page.index("traces to an objective"))
        self.assertLess(page.index(TO_DO), page.index("delegation finding"))

    # -- alignment ------------------------------------------------------------------------

    def test_every_role_sees_the_share_of_work_in_progress_without_titles(self) -> None:
        add_alignment()
        for role, user in self.users.items():
            context = dashboard_context(self.fresh(user))
            self.assertEqual(
                {
                    k: context["strategy_alignment"][k]
                    for k in ("percent", "aligned", "in_progress")
                },
                {"percent": 25, "aligned": 1, "in_progress": 4},
                role,
            )
            page = self.home(user)
            self.assertIn("25%</span> of the work in progress traces to an objective", page, role)
            self.assertIn("1 of 4 items", page, role)
            self.assertIn(reverse("strategy:alignment"), page, role)
            self.assertNotIn("Secret work", page, role)
            self.assertNotIn("SHOP-1", page, role)

    def test_no_alignment_part_without_an_objective_this_quarter_or_work_in_progress(
        self,
    ) -> None:
        objective = add_alignment()
        start, _ = quarter_of(timezone.localdate())
        Objective.objects.filter(pk=objective.pk).update(
            period_start=start.replace(year=start.year - 1),
            period_end=start.replace(year=start.year - 1, day=2),
        )
        self.assertNotIn("strategy_alignment", dashboard_context(self.cast.marco_user))
        Objective.objects.filter(pk=objective.pk).update(
            period_start=start, period_end=quarter_of(start)[1]
        )
        self.assertIn("strategy_alignment", dashboard_context(self.cast.marco_user))
        Item.objects.filter(status_category="in_progress").update(status_category="todo")
        self.assertNotIn("strategy_alignment", dashboard_context(self.cast.marco_user))

    # -- delegation -----------------------------------------------------------------------

    def test_every_role_sees_the_number_of_delegation_findings(self) -> None:
        add_delegation(self.cast)
        for role, user in self.users.items():
            context = dashboard_context(self.fresh(user))
            self.assertEqual(
                context["delegation_findings"],
                {"total": 2, "withheld": 0, "over_delegation": 1, "micromanagement": 1},
                role,
            )
            page = self.home(user)
            self.assertIn("2</span> delegation findings on the board:", page, role)
            self.assertIn("1 over-delegation", page, role)
            self.assertIn("1 micromanagement", page, role)
            self.assertIn(reverse("strategy:delegation"), page, role)

    def test_levels_without_findings_say_so(self) -> None:
        add_delegation(self.cast)
        Delegation.objects.filter(team=self.cast.checkout).update(level=7)
        Delegation.objects.filter(team=self.cast.search).update(level=3)
        self.assertEqual(dashboard_context(self.cast.paul_user)["delegation_findings"]["total"], 0)
        self.assertIn("No delegation finding", self.home(self.cast.paul_user))

    # -- nothing at all -------------------------------------------------------------------

    def test_no_strategy_data_shows_no_section(self) -> None:
        PriorityCheck.objects.all().delete()
        DecisionArea.objects.create(name="Pricing")  # an area without levels is no finding
        for role, user in self.users.items():
            self.assertEqual(dashboard_context(self.fresh(user)), {}, role)
            self.assertNotIn("strat-dashboard", self.home(user), role)

    def test_users_without_a_role_get_nothing(self) -> None:
        add_delegation(self.cast)
        self.assertEqual(dashboard_context(AnonymousUser()), {})

    # -- cost -----------------------------------------------------------------------------

    def test_the_cost_does_not_grow_with_checks_items_or_teams(self) -> None:
        def cost() -> dict[str, int]:
            counts = {}
            for role, user in self.users.items():
                fresh = self.fresh(user)
                with CaptureQueriesContext(connection) as queries:
                    dashboard_context(fresh)
                counts[role] = len(queries)
            return counts

        add_alignment()
        add_delegation(self.cast)
        before = cost()
        for n in range(6):
            do_create_check(
                self.cast.marco_user,
                title=f"Check {n}",
                priorities=Q3,
                participants=[self.cast.hana_user, self.cast.priya_user],
            )
        for n in range(20):
            item(f"MORE-{n}", labels=["checkout"] if n % 2 else [])
            team = Team.objects.create(name=f"Team {n:02d}")
            TeamMembership.objects.create(team=team, person=self.cast.otto, role=TeamRole.ENGINEER)
            Delegation.objects.create(team=team, area=DecisionArea.objects.first(), level=7)
        after = cost()
        self.assertEqual(after, before)
        self.assertLessEqual(max(after.values()), 20)
        self.assertEqual(dashboard_context(self.cast.hana_user)["checks_to_rank_total"], 7)
