"""Check-ins on Priya's goals: who records them, when they are refused, and which goals
are due for one."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.utils import timezone

from productops.coaching import plans
from productops.coaching.actions import (
    do_add_coach,
    do_check_in,
    do_draft_plan,
    do_set_goal_status,
    do_set_plan_status,
    do_update_goal,
)
from productops.coaching.models import CheckIn, CoachingPlan, Goal, OneOnOne, OneOnOneSeries
from tests.coaching.plan_story import build_plan_story

TODAY = timezone.localdate


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


class CheckingIn(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_plan_story()
        cls.cast = cls.story.cast

    def setUp(self) -> None:
        self.marco = self.cast.marco_user
        self.plan = do_draft_plan(self.marco, self.cast.priya)
        do_set_plan_status(self.marco, self.plan, CoachingPlan.Status.ACTIVE)
        self.goal = {g.competency_key: g for g in self.plan.goals.all()}

    def check_in(self, goal=None, user=None, **kwargs) -> CheckIn:
        arguments = {"date": TODAY(), "status": "on_track", "note": "Two interviews this week"}
        arguments.update(kwargs)
        return do_check_in(user or self.marco, goal or self.goal["discovery"], **arguments)

    def test_a_check_in_records_who_when_and_how_it_goes(self) -> None:
        made = self.check_in(evidence_url="https://wiki.example.com/interviews")
        self.assertEqual(
            (made.goal, made.date, made.status, made.author),
            (self.goal["discovery"], TODAY(), "on_track", self.marco),
        )
        self.assertEqual(made.evidence_url, "https://wiki.example.com/interviews")

    def test_the_person_checks_in_on_their_own_goal(self) -> None:
        made = self.check_in(user=self.cast.priya_user, status="at_risk")
        self.assertEqual(made.author, self.cast.priya_user)

    def test_a_named_coach_checks_in_and_a_peer_does_not(self) -> None:
        with self.assertRaisesMessage(PermissionDenied, "record check-ins on this plan"):
            self.check_in(user=self.story.cora_user)
        do_add_coach(self.marco, self.plan, self.story.cora_user)
        self.assertEqual(self.check_in(user=self.story.cora_user).author, self.story.cora_user)
        for user in (self.cast.paul_user, self.story.tariq_user, self.cast.vera_user):
            with self.subTest(user.username), self.assertRaises(PermissionDenied):
                self.check_in(user=user)

    def test_refused_on_an_achieved_goal_with_a_clear_message(self) -> None:
        goal = do_set_goal_status(self.marco, self.goal["discovery"], "achieved")
        with self.assertRaises(ValidationError) as refused:
            self.check_in(goal)
        self.assertEqual(
            refused.exception.messages, ["This goal is achieved; reopen it before checking in."]
        )
        do_set_goal_status(self.marco, goal, "reopen")
        self.check_in(goal)
        self.assertEqual(goal.check_ins.count(), 1)

    def test_refused_on_a_dropped_goal(self) -> None:
        goal = do_set_goal_status(self.marco, self.goal["strategy"], "dropped")
        with self.assertRaisesMessage(
            ValidationError, "This goal is dropped; reopen it before checking in."
        ):
            self.check_in(goal)
        self.assertFalse(CheckIn.objects.exists())

    def test_refused_on_a_closed_plan_and_on_a_draft(self) -> None:
        do_set_plan_status(self.marco, self.plan, CoachingPlan.Status.CLOSED)
        with self.assertRaisesMessage(ValidationError, "This plan is closed; reopen it"):
            self.check_in()
        draft = do_draft_plan(self.marco, self.cast.priya)
        with self.assertRaisesMessage(ValidationError, "still a draft; activate it"):
            self.check_in(draft.goals.first())
        self.assertFalse(CheckIn.objects.exists())

    def test_bad_input_gets_sentences(self) -> None:
        cases = [
            ({"status": "great"}, "Choose a status: on track, at risk or off track."),
            ({"date": TODAY() + days(1)}, "cannot be dated in the future"),
            ({"date": "yesterday"}, "Give the date of the check-in"),
            ({"evidence_url": "wiki page"}, "Give the evidence as a full link"),
        ]
        for arguments, message in cases:
            with self.subTest(message), self.assertRaisesMessage(ValidationError, message):
                self.check_in(**arguments)
        self.assertFalse(CheckIn.objects.exists())

    def test_a_past_date_is_fine(self) -> None:
        self.assertEqual(self.check_in(date=TODAY() - days(20)).date, TODAY() - days(20))

    def test_a_check_in_from_a_1on1_must_be_from_one_of_the_persons(self) -> None:
        theirs = OneOnOneSeries.objects.create(lead=self.cast.marco, report=self.cast.priya)
        other = OneOnOneSeries.objects.create(lead=self.cast.marco, report=self.cast.paul)
        meeting = OneOnOne.objects.create(series=theirs, date=TODAY())
        self.assertEqual(self.check_in(one_on_one=meeting).one_on_one, meeting)
        elsewhere = OneOnOne.objects.create(series=other, date=TODAY())
        with self.assertRaisesMessage(ValidationError, "That 1:1 is not with Priya PM"):
            self.check_in(one_on_one=elsewhere)


class DueForCheckIn(TestCase):
    """Open goals of active plans: no check-in in 14 days, or a target 14 days away or less."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_plan_story()
        cls.cast = cls.story.cast

    def setUp(self) -> None:
        self.marco = self.cast.marco_user
        self.plan = do_draft_plan(self.marco, self.cast.priya)
        self.goal = {g.competency_key: g for g in self.plan.goals.all()}
        self.on = TODAY()

    def due(self, source=None) -> list[str]:
        found = plans.goals_due_for_check_in(source or self.plan, on=self.on)
        return [goal.competency_key for goal in found]

    def test_draft_and_closed_plans_are_never_due(self) -> None:
        self.assertEqual(self.due(), [])
        do_set_plan_status(self.marco, self.plan, CoachingPlan.Status.ACTIVE)
        self.assertEqual(self.due(), ["discovery", "communication", "strategy"])
        do_set_plan_status(self.marco, self.plan, CoachingPlan.Status.CLOSED)
        self.assertEqual(self.due(), [])

    def test_a_check_in_within_14_days_settles_a_goal(self) -> None:
        do_set_plan_status(self.marco, self.plan, CoachingPlan.Status.ACTIVE)
        discovery, strategy = self.goal["discovery"], self.goal["strategy"]
        do_check_in(self.marco, discovery, date=self.on - days(13), status="on_track", note="")
        do_check_in(self.marco, strategy, date=self.on - days(14), status="on_track", note="")
        due = plans.goals_due_for_check_in(self.plan, on=self.on)
        self.assertEqual([g.competency_key for g in due], ["communication", "strategy"])
        reasons = {g.competency_key: g.due_reason for g in due}
        self.assertEqual(reasons["communication"], "No check-in yet.")
        self.assertEqual(reasons["strategy"], f"No check-in since {self.on - days(14):%Y-%m-%d}.")
        self.assertEqual(due[1].last_check_in, self.on - days(14))

    def test_a_near_target_date_makes_a_goal_due_anyway(self) -> None:
        do_set_plan_status(self.marco, self.plan, CoachingPlan.Status.ACTIVE)
        for goal in self.goal.values():
            do_check_in(self.marco, goal, date=self.on, status="on_track", note="")
        self.assertEqual(self.due(), [])
        do_update_goal(self.marco, self.goal["communication"], target_date=self.on + days(14))
        do_update_goal(self.marco, self.goal["strategy"], target_date=self.on + days(15))
        due = plans.goals_due_for_check_in(self.plan, on=self.on)
        self.assertEqual([g.competency_key for g in due], ["communication"])
        self.assertEqual(due[0].due_reason, "The target date is in 14 days.")

    def test_achieved_and_dropped_goals_are_not_due(self) -> None:
        do_set_plan_status(self.marco, self.plan, CoachingPlan.Status.ACTIVE)
        do_set_goal_status(self.marco, self.goal["discovery"], "achieved")
        do_set_goal_status(self.marco, self.goal["strategy"], "dropped")
        self.assertEqual(self.due(), ["communication"])

    def test_takes_goals_or_a_queryset_in_one_query(self) -> None:
        do_set_plan_status(self.marco, self.plan, CoachingPlan.Status.ACTIVE)
        goals = list(Goal.objects.filter(plan=self.plan))
        with self.assertNumQueries(1):
            self.assertEqual(len(plans.goals_due_for_check_in(goals, on=self.on)), 3)
        with self.assertNumQueries(1):
            found = plans.goals_due_for_check_in(
                Goal.objects.filter(competency_key="strategy"), on=self.on
            )
            self.assertEqual(found[0].plan.person, self.cast.priya)


class CheckInStrip(TestCase):
    def test_the_strip_draws_statuses_oldest_first_without_inline_styles(self) -> None:
        goal = Goal(target_step=3, target_date=TODAY())
        check_ins = [
            CheckIn(goal=goal, date=TODAY() - days(2), status="off_track"),
            CheckIn(goal=goal, date=TODAY() - days(9), status="on_track"),
            CheckIn(goal=goal, date=TODAY(), status="at_risk"),
        ]
        svg = str(plans.check_in_strip(check_ins))
        self.assertTrue(svg.startswith("<svg"))
        self.assertNotIn("style", svg)
        colours = [part.split('"')[0] for part in svg.split('fill="')[1:]]
        self.assertEqual(colours, ["#1f7a4a", "#b3261e", "#a86400"])
        self.assertIn("1 on track, 1 off track, 1 at risk", svg)
        self.assertEqual(str(plans.check_in_strip([])), "")
