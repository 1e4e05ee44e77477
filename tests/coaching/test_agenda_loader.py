"""`load_agenda` on real 1:1s: carry-over through cancelled and deleted 1:1s, goals due
from Priya's plan, changes from her assessment cycle, who sees which part, and the cost.

Marco leads weekly 1:1s with Priya; she is in the "H1 review" cycle (tests/competencies
/cycle_cast.py) and has an active plan with two goals.
"""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.coaching.actions import (
    do_add_action,
    do_cancel_one_on_one,
    do_check_in_at_one_on_one,
    do_create_series,
    do_delete_one_on_one,
    do_mark_held,
    do_schedule_one_on_one,
    do_set_action_status,
)
from productops.coaching.agenda import load_agenda
from productops.coaching.models import CoachingPlan, Goal, OneOnOne
from productops.competencies.models import AssessmentCycle
from tests.cast import PASSWORD
from tests.coaching.one_on_one_cast import days
from tests.competencies.cycle_cast import answer_all, build_cycle_cast


class AgendaStory(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cc = build_cycle_cast()
        cast = cls.cc.cast
        cls.cast = cast
        cls.marco = cast.marco_user
        cls.series = do_create_series(
            cls.marco,
            lead=cast.marco,
            report=cast.priya,
            kind="manager",
            cadence="weekly",
            duration_minutes=30,
            start_date=days(-60),
        )
        cls.plan = CoachingPlan.objects.create(
            person=cast.priya, manager=cast.marco, title="Priya's plan", status="active"
        )
        cls.discovery = Goal.objects.create(
            plan=cls.plan,
            competency_key="discovery",
            competency_name="Product discovery",
            target_step=3,
            current_step=2.0,
            target_date=days(90),
        )

    def meeting(self, offset: int, *, held: bool = False) -> OneOnOne:
        meeting = do_schedule_one_on_one(self.marco, self.series, date=days(offset))
        if held:
            do_mark_held(self.marco, meeting)
        return meeting

    def action(self, meeting: OneOnOne, text: str, **kwargs):
        return do_add_action(self.marco, meeting, owner=self.cast.priya, text=text, **kwargs)

    def test_actions_are_carried_through_cancelled_and_deleted_1on1s(self) -> None:
        first = self.meeting(-21, held=True)
        survey = self.action(first, "Send the survey")
        cancelled = self.meeting(-14)
        hiring = self.action(cancelled, "Draft the hiring plan", due_date=days(-10))
        do_cancel_one_on_one(self.marco, cancelled)
        deleted = self.meeting(-7, held=True)
        mentor = self.action(deleted, "Find a mentor", due_date=days(5))
        do_delete_one_on_one(self.marco, deleted, confirm=True)
        today = self.meeting(0)

        agenda = load_agenda(today)
        texts = [line.action.text for line in agenda.carried_actions]
        self.assertEqual(texts, ["Draft the hiring plan", "Find a mentor", "Send the survey"])
        self.assertTrue(agenda.carried_actions[0].overdue)

        do_set_action_status(self.marco, survey, "done")
        do_set_action_status(self.marco, hiring, "dropped")
        agenda = load_agenda(today)
        self.assertEqual([line.action.pk for line in agenda.carried_actions], [mentor.pk])

        do_set_action_status(self.marco, survey, "reopen")
        next_week = self.meeting(7)
        self.assertEqual(
            {line.action.pk for line in load_agenda(next_week).carried_actions},
            {mentor.pk, survey.pk},
        )

    def test_goals_due_and_their_check_in_in_this_1on1(self) -> None:
        self.meeting(-7, held=True)
        today = self.meeting(0)
        agenda = load_agenda(today)
        self.assertEqual(
            [line.goal.competency_name for line in agenda.goals], ["Product discovery"]
        )
        self.assertEqual(agenda.goals[0].goal.due_reason, "No check-in yet.")
        do_check_in_at_one_on_one(
            self.marco, today, self.discovery, status="on_track", note="Two interviews"
        )
        line = load_agenda(today).goals[0]
        self.assertFalse(line.due)
        self.assertEqual(line.checked_in_here.note, "Two interviews")
        # A week later it is not due (checked in 7 days before), and the check-in is news.
        next_week = self.meeting(7)
        agenda = load_agenda(next_week)
        self.assertEqual(agenda.goals, [])
        self.assertEqual([c.kind for c in agenda.changes], ["check_in"])

    def test_changes_new_answers_and_overdue_requests(self) -> None:
        self.meeting(-7, held=True)
        today = self.meeting(0)
        self.assertEqual(load_agenda(today).changes, [])
        answer_all(self.cc.marco_on_priya.rater.user, self.cc.marco_on_priya)
        AssessmentCycle.objects.filter(pk=self.cc.cycle.pk).update(due_date=days(-2))
        agenda = load_agenda(today)
        self.assertEqual(
            [(c.kind, c.text) for c in agenda.changes],
            [
                ("results", "1 new assessment answer in H1 review (manager)"),
                (
                    "overdue_request",
                    f"Overdue since {days(-2):%Y-%m-%d}: their self-assessment in H1 review",
                ),
            ],
        )

    def test_private_parts_follow_what_the_viewer_may_see(self) -> None:
        tariq_user = do_create_login("tariq", PASSWORD, Role.MEMBER, person=self.cast.tariq)
        coaching = do_create_series(
            tariq_user,
            lead=self.cast.tariq,
            report=self.cast.priya,
            kind="coach",
            cadence="monthly",
            duration_minutes=45,
            start_date=days(-30),
        )
        meeting = do_schedule_one_on_one(tariq_user, coaching, date=days(0))
        answer_all(self.marco, self.cc.marco_on_priya)
        # Tariq coaches Priya but is not a coach on her plan nor in her chain.
        as_tariq = load_agenda(meeting, user=tariq_user)
        self.assertEqual((as_tariq.goals, as_tariq.changes), ([], []))
        as_marco = load_agenda(meeting, user=self.marco)
        self.assertEqual(len(as_marco.goals), 1)
        self.assertEqual([c.kind for c in as_marco.changes], ["results"])
        self.plan.coaches.add(tariq_user)
        self.assertEqual(len(load_agenda(meeting, user=tariq_user).goals), 1)

    def test_the_cost_does_not_grow_with_the_history(self) -> None:
        today = self.meeting(0)

        def cost() -> int:
            # a fresh user object, as each request has: visibility facts are cached on it
            marco = type(self.marco).objects.get(pk=self.marco.pk)
            with CaptureQueriesContext(connection) as queries:
                load_agenda(today, user=marco)
            return len(queries)

        for week in range(1, 3):
            self.action(self.meeting(-7 * week, held=True), f"week {week}")
        small = cost()
        for week in range(3, 12):
            meeting = self.meeting(-7 * week, held=True)
            self.action(meeting, f"week {week}")
            do_check_in_at_one_on_one(self.marco, meeting, self.discovery, status="at_risk")
        self.assertEqual(cost(), small)
