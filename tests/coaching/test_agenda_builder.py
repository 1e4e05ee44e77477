"""The agenda builder on hand-built facts: carry-over, due goals, changes, ordering.

No database: `build_agenda` is arithmetic over plain data. The series meets weekly;
"today" is 2025-03-12 and the 1:1 on the agenda is dated today unless a story says
otherwise.
"""

from __future__ import annotations

import datetime

from django.test import SimpleTestCase

from productops.coaching.agenda import (
    ActionFacts,
    AgendaFacts,
    CheckInFacts,
    GoalFacts,
    MeetingFacts,
    PointFacts,
    RequestFacts,
    ResultFacts,
    build_agenda,
    last_held_before,
)

TODAY = datetime.date(2025, 3, 12)
HELD, PLANNED, CANCELLED = "held", "planned", "cancelled"
MARCO, PRIYA = 1, 2


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def at(offset: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day(offset), datetime.time(9, minute), datetime.UTC)


# Four weekly 1:1s: three held, then today's.
FEB_19 = MeetingFacts(pk=10, date=day(-21), status=HELD)
FEB_26 = MeetingFacts(pk=11, date=day(-14), status=HELD)
MAR_05 = MeetingFacts(pk=12, date=day(-7), status=HELD)
TODAYS = MeetingFacts(pk=13, date=TODAY, status=PLANNED)
HISTORY = (FEB_19, FEB_26, MAR_05)


def action(
    pk: int,
    raised_in: MeetingFacts | None,
    *,
    status: str = "open",
    due: datetime.date | None = None,
    raised_on: datetime.date | None = None,
    owner: int = PRIYA,
) -> ActionFacts:
    return ActionFacts(
        pk=pk,
        text=f"action {pk}",
        owner_id=owner,
        owner_name="Priya PM" if owner == PRIYA else "Marco Manager",
        status=status,
        due_date=due,
        raised_in_id=raised_in.pk if raised_in else None,
        raised_on=raised_on or (raised_in.date if raised_in else TODAY),
        raised_in_status=raised_in.status if raised_in else None,
    )


def facts(meeting: MeetingFacts = TODAYS, **kwargs) -> AgendaFacts:
    kwargs.setdefault("held_meetings", HISTORY)
    return AgendaFacts(meeting=meeting, today=TODAY, cadence_days=7, **kwargs)


def carried(agenda) -> list[int]:
    return [line.action.pk for line in agenda.carried_actions]


class EmptyAgenda(SimpleTestCase):
    def test_a_first_1on1_with_nothing_yet_has_an_empty_agenda(self) -> None:
        agenda = build_agenda(facts(held_meetings=()))
        self.assertTrue(agenda.is_empty)
        self.assertIsNone(agenda.since)
        self.assertEqual(agenda.window_start, day(-7), "the first window is one cadence long")
        self.assertEqual(agenda.raised_here, [])

    def test_one_talking_point_is_enough_to_make_it_not_empty(self) -> None:
        point = PointFacts(pk=1, text="Hiring plan", author_name="Priya PM", created_at=at(0))
        self.assertFalse(build_agenda(facts(talking_points=[point])).is_empty)


class CarryOver(SimpleTestCase):
    def test_an_open_action_is_carried_to_every_later_1on1_until_done(self) -> None:
        survey = action(1, FEB_19)
        for meeting in (FEB_26, MAR_05, TODAYS):
            with self.subTest(meeting=meeting.date):
                self.assertEqual(carried(build_agenda(facts(meeting, actions=[survey]))), [1])

    def test_it_is_not_on_the_agenda_of_the_1on1_that_raised_it_nor_an_earlier_one(self) -> None:
        survey = action(1, FEB_26)
        self.assertEqual(carried(build_agenda(facts(FEB_19, actions=[survey]))), [])
        agenda = build_agenda(facts(FEB_26, actions=[survey]))
        self.assertEqual(carried(agenda), [])
        self.assertEqual([line.action.pk for line in agenda.raised_here], [1])

    def test_done_and_dropped_actions_disappear(self) -> None:
        actions = [
            action(1, FEB_19, status="done"),
            action(2, FEB_26, status="dropped"),
            action(3, MAR_05),
        ]
        self.assertEqual(carried(build_agenda(facts(actions=actions))), [3])

    def test_an_action_reopened_comes_back(self) -> None:
        reopened = action(1, FEB_19, status="open")
        self.assertEqual(carried(build_agenda(facts(actions=[reopened]))), [1])

    def test_actions_from_a_deleted_1on1_are_never_lost(self) -> None:
        # The 1:1 of 26 Feb was deleted: its action has no meeting, and counts from the day
        # it was written.
        orphan = action(1, None, raised_on=day(-14))
        agenda = build_agenda(facts(actions=[orphan]))
        self.assertEqual(carried(agenda), [1])
        self.assertIn("deleted", agenda.carried_actions[0].origin)
        self.assertEqual(carried(build_agenda(facts(FEB_19, actions=[orphan]))), [])

    def test_actions_from_a_cancelled_1on1_carry_over_too(self) -> None:
        cancelled = MeetingFacts(pk=20, date=day(-3), status=CANCELLED)
        agenda = build_agenda(facts(actions=[action(1, cancelled)]))
        self.assertEqual(carried(agenda), [1])
        self.assertIn("cancelled", agenda.carried_actions[0].origin)

    def test_overdue_first_then_by_due_date_then_undated(self) -> None:
        actions = [
            action(1, FEB_19),  # no due date
            action(2, MAR_05, due=day(10)),
            action(3, FEB_26, due=day(-1)),  # overdue
            action(4, FEB_19, due=day(3)),
            action(5, MAR_05, due=day(-5)),  # overdue, longer
            action(6, FEB_26),  # no due date, raised later than 1
        ]
        agenda = build_agenda(facts(actions=actions))
        self.assertEqual(carried(agenda), [5, 3, 4, 2, 1, 6])
        self.assertEqual([line.overdue for line in agenda.carried_actions][:3], [True, True, False])

    def test_due_today_is_not_overdue(self) -> None:
        agenda = build_agenda(facts(actions=[action(1, FEB_19, due=TODAY)]))
        self.assertFalse(agenda.carried_actions[0].overdue)


class DueGoals(SimpleTestCase):
    discovery = GoalFacts(
        pk=1,
        plan_id=1,
        competency_name="Product discovery",
        target_step=3,
        target_date=day(60),
        due_reason="No check-in yet.",
    )
    delivery = GoalFacts(
        pk=2, plan_id=1, competency_name="Delivery", target_step=3, target_date=day(10)
    )

    def test_goals_due_come_in_target_date_order(self) -> None:
        agenda = build_agenda(
            facts(goals=[self.discovery, self.delivery], due_goal_ids=frozenset({1, 2}))
        )
        self.assertEqual([line.goal.pk for line in agenda.goals], [2, 1])
        self.assertTrue(all(line.due for line in agenda.goals))

    def test_a_goal_that_is_not_due_is_left_out(self) -> None:
        agenda = build_agenda(
            facts(goals=[self.discovery, self.delivery], due_goal_ids=frozenset({1}))
        )
        self.assertEqual([line.goal.pk for line in agenda.goals], [1])

    def test_a_goal_checked_in_during_this_1on1_stays_with_its_check_in(self) -> None:
        here = CheckInFacts(
            pk=7, goal_id=2, goal_name="Delivery", date=TODAY, status="at_risk", one_on_one_id=13
        )
        agenda = build_agenda(
            facts(
                goals=[self.discovery, self.delivery], due_goal_ids=frozenset({1}), check_ins=[here]
            )
        )
        lines = {line.goal.pk: line for line in agenda.goals}
        self.assertEqual(set(lines), {1, 2})
        self.assertFalse(lines[2].due)
        self.assertEqual(lines[2].checked_in_here.status_label, "at risk")
        self.assertEqual(agenda.changes, [], "this 1:1's own check-in is not a change since")


class ChangesSinceLastTime(SimpleTestCase):
    def test_the_window_starts_at_the_last_held_1on1(self) -> None:
        agenda = build_agenda(facts())
        self.assertEqual(agenda.since, MAR_05.date)
        self.assertEqual(agenda.window_start, MAR_05.date)

    def test_cancelled_and_planned_1on1s_do_not_move_the_window(self) -> None:
        others = (FEB_19, MeetingFacts(pk=30, date=day(-7), status=CANCELLED))
        self.assertEqual(build_agenda(facts(held_meetings=others)).since, FEB_19.date)

    def test_same_day_1on1s_count_in_the_order_they_were_made(self) -> None:
        first = MeetingFacts(pk=40, date=TODAY, status=HELD)
        second = MeetingFacts(pk=41, date=TODAY, status=PLANNED)
        self.assertEqual(last_held_before(second, (first, MAR_05)), first)
        self.assertEqual(last_held_before(first, (first, second, MAR_05)), MAR_05)

    def test_new_results_are_grouped_by_cycle_inside_the_window(self) -> None:
        results = [
            ResultFacts(cycle_id=1, cycle_name="H1 review", kind="self", submitted_on=day(-2)),
            ResultFacts(cycle_id=1, cycle_name="H1 review", kind="peer", submitted_on=day(-1)),
            ResultFacts(cycle_id=1, cycle_name="H1 review", kind="peer", submitted_on=day(-7)),
            ResultFacts(cycle_id=2, cycle_name="Old", kind="self", submitted_on=day(-30)),
        ]
        agenda = build_agenda(facts(results=results))
        self.assertEqual(len(agenda.changes), 1, "the answer of the last 1:1's day is not new")
        change = agenda.changes[0]
        self.assertEqual(change.kind, "results")
        self.assertEqual(change.cycle_id, 1)
        self.assertEqual(change.text, "2 new assessment answers in H1 review (self, peer)")
        self.assertEqual(change.on, day(-1))

    def test_overdue_requests_and_new_check_ins_follow_the_results(self) -> None:
        owed = [
            RequestFacts(
                pk=1,
                cycle_id=1,
                cycle_name="H1 review",
                subject_name="Paul PM",
                kind="peer",
                due_date=day(-2),
            ),
            RequestFacts(
                pk=2,
                cycle_id=1,
                cycle_name="H1 review",
                subject_name="Priya PM",
                kind="self",
                due_date=day(-2),
            ),
            RequestFacts(
                pk=3,
                cycle_id=2,
                cycle_name="Next",
                subject_name="Paul PM",
                kind="peer",
                due_date=day(5),
            ),
        ]
        check_in = CheckInFacts(
            pk=1,
            goal_id=1,
            goal_name="Product discovery",
            date=day(-3),
            status="on_track",
            note="Two interviews",
            one_on_one_id=None,
        )
        old = CheckInFacts(
            pk=2, goal_id=1, goal_name="Product discovery", date=day(-9), status="off_track"
        )
        result = ResultFacts(
            cycle_id=1, cycle_name="H1 review", kind="manager", submitted_on=day(-1)
        )
        agenda = build_agenda(
            facts(owed_requests=owed, check_ins=[check_in, old], results=[result])
        )
        self.assertEqual(
            [change.kind for change in agenda.changes],
            ["results", "overdue_request", "overdue_request", "check_in"],
        )
        texts = [change.text for change in agenda.changes]
        self.assertIn("their peer rating of Paul PM in H1 review", texts[1])
        self.assertIn("their self-assessment in H1 review", texts[2])
        self.assertEqual(texts[3], "Check-in on Product discovery: on track — Two interviews")

    def test_requests_not_yet_due_are_not_overdue(self) -> None:
        owed = [
            RequestFacts(
                pk=1,
                cycle_id=1,
                cycle_name="H1",
                subject_name="Paul PM",
                kind="peer",
                due_date=TODAY,
            )
        ]
        self.assertEqual(build_agenda(facts(owed_requests=owed)).changes, [])


class Ordering(SimpleTestCase):
    def test_talking_points_come_in_the_order_they_were_added(self) -> None:
        points = [
            PointFacts(pk=3, text="third", author_name="Priya PM", created_at=at(0, 30)),
            PointFacts(pk=1, text="first", author_name="Marco Manager", created_at=at(0, 10)),
            PointFacts(pk=2, text="second", author_name="Priya PM", created_at=at(0, 10)),
        ]
        agenda = build_agenda(facts(talking_points=points))
        self.assertEqual([p.text for p in agenda.talking_points], ["first", "second", "third"])

    def test_a_full_agenda_keeps_its_four_sections_apart(self) -> None:
        agenda = build_agenda(
            facts(
                actions=[action(1, MAR_05), action(2, TODAYS)],
                goals=[DueGoals.discovery],
                due_goal_ids=frozenset({1}),
                results=[
                    ResultFacts(cycle_id=1, cycle_name="H1", kind="self", submitted_on=day(-1))
                ],
                talking_points=[
                    PointFacts(pk=1, text="Hiring", author_name="Priya PM", created_at=at(0))
                ],
            )
        )
        self.assertEqual(carried(agenda), [1])
        self.assertEqual([line.action.pk for line in agenda.raised_here], [2])
        self.assertEqual(len(agenda.goals), 1)
        self.assertEqual(len(agenda.changes), 1)
        self.assertEqual(len(agenda.talking_points), 1)
