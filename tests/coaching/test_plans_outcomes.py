"""Priya is assessed again in Autumn: did the gaps behind her plan close?"""

from __future__ import annotations

import datetime as dt

from django.test import SimpleTestCase, TestCase
from django.utils import timezone

from productops.coaching import plans
from productops.coaching.actions import (
    do_add_goal,
    do_draft_plan,
    do_set_plan_status,
    do_swap_goal,
)
from productops.coaching.models import CoachingPlan, Goal
from productops.coaching.plans import Outcome
from tests.coaching.plan_story import add_autumn, build_plan_story
from tests.competencies.factories import make_model_version
from tests.competencies.gap_story import open_cycle, rate


class DidTheGapClose(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_plan_story()
        cls.cast = cls.story.cast

    def setUp(self) -> None:
        marco = self.cast.marco_user
        self.plan = do_draft_plan(marco, self.cast.priya)
        strategy = self.plan.goals.get(competency_key="strategy")
        do_add_goal(marco, self.plan, competency_key="analytics")
        do_set_plan_status(marco, self.plan, CoachingPlan.Status.ACTIVE)
        self.strategy = strategy

    def outcomes(self) -> dict[str, plans.GapOutcome]:
        progress = plans.load_plan_progress(self.plan, on=timezone.localdate())
        return {item.goal.competency_key: item.outcome for item in progress.goals}

    def test_before_a_later_cycle_nothing_is_measured(self) -> None:
        outcomes = self.outcomes()
        self.assertEqual({o.state for o in outcomes.values()}, {Outcome.NOT_REASSESSED})
        self.assertIn("No later assessment cycle yet", outcomes["discovery"].sentence)

    def test_the_later_cycle_tells_each_goal_how_it_went(self) -> None:
        add_autumn(self.story)
        outcomes = self.outcomes()
        self.assertEqual(
            {key: o.state for key, o in outcomes.items()},
            {
                "discovery": Outcome.CLOSED,  # 1.3 -> 4, target 4
                "communication": Outcome.NARROWED,  # 1 -> 2, target 3
                "strategy": Outcome.UNCHANGED,  # 2 -> 2
                "analytics": Outcome.WIDENED,  # 2 -> 1
            },
        )
        discovery = outcomes["discovery"]
        self.assertEqual((discovery.before, discovery.after, discovery.target), (1.3, 4.0, 4))
        self.assertEqual(discovery.sentence, "4 in Autumn reaches the target step 4 (was 1.3).")
        self.assertEqual(
            outcomes["communication"].sentence, "1 → 2 in Autumn, against a target of 3."
        )

    def test_a_draft_plan_shows_no_outcome(self) -> None:
        add_autumn(self.story)
        self.plan.status = CoachingPlan.Status.DRAFT
        self.plan.save()
        self.assertEqual(set(self.outcomes().values()), {None})

    def test_only_a_cycle_after_the_source_counts(self) -> None:
        # a cycle opened before Spring is not "later", however recent its answers
        earlier = open_cycle("Winter", self.story.version, days_ago=150)
        rate(earlier, self.cast.priya, self.cast.marco, "manager", {"discovery": 5})
        self.assertEqual(self.outcomes()["discovery"].state, Outcome.NOT_REASSESSED)

    def test_a_cycle_of_another_model_does_not_count(self) -> None:
        other = make_model_version(name="Other model", keys=("discovery",))
        elsewhere = open_cycle("Elsewhere", other, days_ago=1)
        rate(elsewhere, self.cast.priya, self.cast.marco, "manager", {"discovery": 5})
        self.assertEqual(self.outcomes()["discovery"].state, Outcome.NOT_REASSESSED)

    def test_a_closed_plan_still_shows_its_outcomes(self) -> None:
        add_autumn(self.story)
        do_set_plan_status(self.cast.marco_user, self.plan, CoachingPlan.Status.CLOSED)
        self.assertEqual(self.outcomes()["discovery"].state, Outcome.CLOSED)

    def test_a_swapped_goal_is_measured_on_its_new_competency(self) -> None:
        add_autumn(self.story)
        swapped = do_swap_goal(self.cast.marco_user, self.strategy, "delivery")
        self.assertEqual((swapped.current_step, swapped.target_step), (3.0, 4))
        self.assertEqual(self.outcomes()["delivery"].state, Outcome.UNCHANGED)


class OutcomeRule(SimpleTestCase):
    def goal(self, current: float | None, target: int) -> Goal:
        return Goal(current_step=current, target_step=target, target_date=dt.date(2025, 1, 1))

    def test_each_state(self) -> None:
        cases = [
            ((2.0, 3), 3.0, Outcome.CLOSED),
            ((2.0, 3), 3.4, Outcome.CLOSED),
            ((2.0, 3), 2.5, Outcome.NARROWED),
            ((2.3, 3), 2.33, Outcome.UNCHANGED),  # same to one decimal
            ((2.3, 3), 2.0, Outcome.WIDENED),
            ((None, 3), 2.0, Outcome.NO_BASELINE),
            ((None, 3), 3.0, Outcome.CLOSED),
            ((2.0, 3), None, Outcome.NOT_REASSESSED),
        ]
        for (current, target), after, state in cases:
            with self.subTest(current=current, target=target, after=after):
                outcome = plans.outcome_for(self.goal(current, target), after, "Autumn")
                self.assertEqual(outcome.state, state)
