"""Marco reviews Priya's drafted plan: he swaps, adds and drops goals, changes targets,
activates the plan and later closes it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from productops.coaching.actions import (
    do_add_goal,
    do_check_in,
    do_draft_plan,
    do_drop_goal,
    do_set_goal_status,
    do_set_plan_status,
    do_swap_goal,
    do_update_goal,
)
from productops.coaching.models import CoachingPlan, Goal
from tests.coaching.plan_story import build_plan_story

ACTIVE, CLOSED, DRAFT = (
    CoachingPlan.Status.ACTIVE,
    CoachingPlan.Status.CLOSED,
    CoachingPlan.Status.DRAFT,
)


class EditingGoals(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_plan_story()
        cls.cast = cls.story.cast

    def setUp(self) -> None:
        self.marco = self.cast.marco_user
        self.plan = do_draft_plan(self.marco, self.cast.priya)
        self.goal = {g.competency_key: g for g in self.plan.goals.all()}

    def open_keys(self) -> list[str]:
        return list(
            self.plan.goals.filter(status=Goal.Status.OPEN)
            .order_by("position", "pk")
            .values_list("competency_key", flat=True)
        )

    # -- swap ---------------------------------------------------------------------------

    def test_swap_puts_another_competency_in_the_same_place(self) -> None:
        strategy = self.goal["strategy"]
        swapped = do_swap_goal(self.marco, strategy, "analytics")
        self.assertEqual(swapped.pk, strategy.pk)  # no history yet: changed in place
        self.assertEqual(
            (swapped.competency_key, swapped.competency_name, swapped.current_step),
            ("analytics", "Analytics", 2.0),
        )
        self.assertEqual(swapped.target_step, 3)
        self.assertEqual(self.open_keys(), ["discovery", "communication", "analytics"])

    def test_swap_keeps_a_goal_with_check_ins_in_the_history(self) -> None:
        do_set_plan_status(self.marco, self.plan, ACTIVE)
        strategy = self.goal["strategy"]
        do_check_in(self.marco, strategy, date=timezone.localdate(), status="at_risk", note="Stuck")
        swapped = do_swap_goal(self.marco, strategy, "analytics")
        self.assertNotEqual(swapped.pk, strategy.pk)
        strategy.refresh_from_db()
        self.assertEqual(strategy.status, Goal.Status.DROPPED)
        self.assertEqual(strategy.check_ins.count(), 1)
        self.assertEqual(swapped.position, strategy.position)
        self.assertEqual(swapped.target_date, strategy.target_date)
        self.assertEqual(self.open_keys(), ["discovery", "communication", "analytics"])

    def test_swap_refuses_a_competency_already_a_goal_or_unknown(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Discovery is already an open goal"):
            do_swap_goal(self.marco, self.goal["strategy"], "discovery")
        with self.assertRaisesMessage(ValidationError, "has no competency “cooking”"):
            do_swap_goal(self.marco, self.goal["strategy"], "cooking")
        with self.assertRaisesMessage(ValidationError, "already about Strategy"):
            do_swap_goal(self.marco, self.goal["strategy"], "strategy")

    # -- add ----------------------------------------------------------------------------

    def test_add_a_goal_with_the_drafting_defaults(self) -> None:
        goal = do_add_goal(self.marco, self.plan, competency_key="analytics")
        self.assertEqual((goal.current_step, goal.target_step), (2.0, 3))
        self.assertEqual(goal.target_date, timezone.localdate() + dt.timedelta(days=90))
        self.assertEqual(goal.position, 3)
        self.assertEqual(self.open_keys()[-1], "analytics")

    def test_a_met_expectation_still_aims_one_step_higher(self) -> None:
        goal = do_add_goal(self.marco, self.plan, competency_key="delivery")
        self.assertEqual((goal.current_step, goal.target_step), (3.0, 4))

    def test_add_with_a_chosen_target(self) -> None:
        when = timezone.localdate() + dt.timedelta(days=30)
        goal = do_add_goal(
            self.marco, self.plan, competency_key="delivery", target_step=5, target_date=when
        )
        self.assertEqual((goal.target_step, goal.target_date), (5, when))

    def test_add_refuses_bad_targets_with_sentences(self) -> None:
        cases = [
            ({"target_step": 3}, "The target step must be above the current step (3)."),
            ({"target_step": 9}, "Choose a target step between 1 and 5."),
            (
                {"target_date": timezone.localdate() - dt.timedelta(days=1)},
                "Choose a target date from today",
            ),
        ]
        for arguments, message in cases:
            with self.subTest(message), self.assertRaisesMessage(ValidationError, message):
                do_add_goal(self.marco, self.plan, competency_key="delivery", **arguments)
        with self.assertRaisesMessage(ValidationError, "Discovery is already an open goal"):
            do_add_goal(self.marco, self.plan, competency_key="discovery")
        self.assertEqual(self.plan.goals.count(), 3)

    def test_goals_by_hand_on_an_empty_plan(self) -> None:
        plan = do_draft_plan(self.marco, self.cast.paul)
        goal = do_add_goal(self.marco, plan, competency_key="strategy")
        # no assessment: no current step; the ladder's expectation is the target
        self.assertEqual((goal.current_step, goal.target_step), (None, 3))

    # -- drop, achieve, reopen ----------------------------------------------------------

    def test_a_dropped_goal_stays_in_the_history(self) -> None:
        dropped = do_drop_goal(self.marco, self.goal["strategy"])
        self.assertEqual(dropped.status, Goal.Status.DROPPED)
        self.assertIsNotNone(dropped.closed_at)
        self.assertEqual(self.plan.goals.count(), 3)
        self.assertEqual(self.open_keys(), ["discovery", "communication"])
        # the competency is free again, and reopening the old goal is then refused
        do_add_goal(self.marco, self.plan, competency_key="strategy")
        with self.assertRaisesMessage(ValidationError, "Strategy is already an open goal"):
            do_set_goal_status(self.marco, dropped, "reopen")

    def test_achieve_and_reopen(self) -> None:
        goal = do_set_goal_status(self.marco, self.goal["discovery"], "achieved")
        self.assertEqual(goal.status, Goal.Status.ACHIEVED)
        with self.assertRaisesMessage(ValidationError, "This goal is already achieved."):
            do_set_goal_status(self.marco, goal, "achieved")
        with self.assertRaisesMessage(ValidationError, "reopen it before changing it"):
            do_update_goal(self.marco, goal, target_step=5)
        goal = do_set_goal_status(self.marco, goal, "reopen")
        self.assertEqual((goal.status, goal.closed_at), (Goal.Status.OPEN, None))
        with self.assertRaisesMessage(ValidationError, "Choose achieved, dropped, or reopen."):
            do_set_goal_status(self.marco, goal, "finished")

    # -- targets ------------------------------------------------------------------------

    def test_change_the_targets(self) -> None:
        goal = self.goal["communication"]
        when = timezone.localdate() + dt.timedelta(days=45)
        do_update_goal(
            self.marco, goal, target_step=4, target_date=when, custom_practice=" Run a demo "
        )
        goal.refresh_from_db()
        self.assertEqual((goal.target_step, goal.target_date), (4, when))
        self.assertEqual(goal.custom_practice, "Run a demo")
        with self.assertRaisesMessage(ValidationError, "above the current step (1)"):
            do_update_goal(self.marco, goal, target_step=1)

    def test_practices_come_from_the_goals_own_competency(self) -> None:
        goal = self.goal["discovery"]
        practices = self.story.practices
        do_update_goal(self.marco, goal, practice_ids=[practices["interviews"].pk])
        self.assertEqual(list(goal.practices.all()), [practices["interviews"]])
        with self.assertRaisesMessage(ValidationError, "Choose practices for Discovery"):
            do_update_goal(self.marco, goal, practice_ids=[practices["pitch"].pk])

    # -- the plan's life ----------------------------------------------------------------

    def test_draft_then_active_then_closed_then_reopened(self) -> None:
        with self.assertRaisesMessage(ValidationError, "This plan is already draft."):
            do_set_plan_status(self.marco, self.plan, DRAFT)
        self.assertEqual(do_set_plan_status(self.marco, self.plan, ACTIVE).status, ACTIVE)
        with self.assertRaisesMessage(ValidationError, "does not go back to draft"):
            do_set_plan_status(self.marco, self.plan, DRAFT)
        self.assertEqual(do_set_plan_status(self.marco, self.plan, CLOSED).status, CLOSED)
        with self.assertRaisesMessage(ValidationError, "This plan is closed; reopen it"):
            do_add_goal(self.marco, self.plan, competency_key="analytics")
        self.assertEqual(do_set_plan_status(self.marco, self.plan, ACTIVE).status, ACTIVE)

    def test_an_empty_plan_cannot_go_live(self) -> None:
        plan = do_draft_plan(self.marco, self.cast.paul)
        with self.assertRaisesMessage(ValidationError, "Add at least one open goal"):
            do_set_plan_status(self.marco, plan, ACTIVE)

    def test_reopening_waits_for_the_other_plan_to_close(self) -> None:
        do_set_plan_status(self.marco, self.plan, CLOSED)
        newer = do_draft_plan(self.marco, self.cast.priya)
        with self.assertRaisesMessage(ValidationError, "close it before reopening this one"):
            do_set_plan_status(self.marco, self.plan, ACTIVE)
        do_set_plan_status(self.marco, newer, CLOSED)
        do_set_plan_status(self.marco, self.plan, ACTIVE)

    # -- who --------------------------------------------------------------------------

    def test_the_person_and_peers_do_not_change_goals(self) -> None:
        for user in (self.cast.priya_user, self.cast.paul_user, self.story.tariq_user):
            with self.subTest(user.username):
                with self.assertRaisesMessage(PermissionDenied, "change its goals"):
                    do_add_goal(user, self.plan, competency_key="analytics")
                with self.assertRaises(PermissionDenied):
                    do_drop_goal(user, self.goal["strategy"])
        with self.assertRaisesMessage(PermissionDenied, "change this plan's status"):
            do_set_plan_status(self.cast.priya_user, self.plan, ACTIVE)
        self.assertEqual(self.open_keys(), ["discovery", "communication", "strategy"])
