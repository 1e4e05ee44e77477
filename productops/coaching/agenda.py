"""The agenda of one 1:1: what the two people should talk about, in a fixed order.

1. Open action items carried over from earlier 1:1s of the series, overdue ones first,
   then by due date. An action stays on every later agenda until it is done or dropped,
   whatever happened to the 1:1 that raised it: cancelled, or deleted (the action then
   counts as raised on the day it was written).
2. Plan goals due for a check-in (`plans.goals_due_for_check_in`), plus the goals
   checked in during this very 1:1, so a check-in does not make its goal vanish.
3. Changes since the last held 1:1 of the series: new submitted assessment answers
   about the report, the report's overdue rating requests, new check-ins on their goals.
   For the first 1:1 of a series the window is one cadence interval before it.
4. Free talking points from either side, in the order they were added.

`build_agenda` is pure arithmetic over `AgendaFacts` (plain data, no ORM), so every rule
above is tested on hand-built cases; `load_agenda` reads the facts of one meeting in a
fixed number of queries, however long the series' history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from productops.accounts.roles import Login
from productops.coaching import visibility
from productops.coaching.models import (
    CADENCE_DAYS,
    ActionItem,
    Cadence,
    CheckIn,
    CoachingPlan,
    Goal,
    OneOnOne,
)
from productops.coaching.plans import goals_due_for_check_in
from productops.competencies.models import AssessmentCycle, AssessmentRequest, RaterKind
from productops.org.visibility import can_see_private_records

Date = datetime.date

# -- the facts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingFacts:
    pk: int
    date: Date
    status: str  # OneOnOne.Status


@dataclass(frozen=True)
class ActionFacts:
    pk: int
    text: str
    owner_id: int
    owner_name: str
    status: str  # ActionItem.Status
    due_date: Date | None
    raised_in_id: int | None  # None once the 1:1 that raised it was deleted
    raised_on: Date  # that 1:1's date, or the day the action was written
    raised_in_status: str | None = None  # the raising 1:1's status, None when deleted


@dataclass(frozen=True)
class GoalFacts:
    pk: int
    plan_id: int
    competency_name: str
    target_step: int
    target_date: Date
    current_step: float | None = None
    due_reason: str = ""  # plans.check_in_due_reason: why it is due, in a sentence


@dataclass(frozen=True)
class CheckInFacts:
    pk: int
    goal_id: int
    goal_name: str
    date: Date
    status: str  # CheckIn.Status
    note: str = ""
    one_on_one_id: int | None = None

    @property
    def status_label(self) -> str:
        return _check_in_status(self.status)


@dataclass(frozen=True)
class ResultFacts:
    """A submitted assessment request about the report (answers stay on the gaps page)."""

    cycle_id: int
    cycle_name: str
    kind: str  # RaterKind
    submitted_on: Date


@dataclass(frozen=True)
class RequestFacts:
    """A rating request the report still owes."""

    pk: int
    cycle_id: int
    cycle_name: str
    subject_name: str
    kind: str  # RaterKind
    due_date: Date


@dataclass(frozen=True)
class PointFacts:
    pk: int
    text: str
    author_name: str
    created_at: datetime.datetime
    discussed: bool = False


@dataclass(frozen=True)
class AgendaFacts:
    meeting: MeetingFacts
    today: Date
    cadence_days: int = 7
    held_meetings: Sequence[MeetingFacts] = ()  # the series' held 1:1s (any dates)
    actions: Sequence[ActionFacts] = ()  # the series' actions, any status
    goals: Sequence[GoalFacts] = ()  # open goals of the report's active plans
    due_goal_ids: frozenset[int] = frozenset()  # per plans.goals_due_for_check_in
    check_ins: Sequence[CheckInFacts] = ()  # on the report's goals
    results: Sequence[ResultFacts] = ()
    owed_requests: Sequence[RequestFacts] = ()  # open requests the report is the rater of
    talking_points: Sequence[PointFacts] = ()


# -- the agenda -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionLine:
    action: ActionFacts
    overdue: bool

    @property
    def origin(self) -> str:
        """Where the action came from, in a few words."""
        action = self.action
        if action.raised_in_id is None:
            return f"written on {action.raised_on:%Y-%m-%d}, in a 1:1 since deleted"
        if action.raised_in_status == OneOnOne.Status.CANCELLED:
            return f"raised for the cancelled 1:1 of {action.raised_on:%Y-%m-%d}"
        return f"raised on {action.raised_on:%Y-%m-%d}"


@dataclass(frozen=True)
class GoalLine:
    goal: GoalFacts
    due: bool
    checked_in_here: CheckInFacts | None = None


@dataclass(frozen=True)
class Change:
    kind: str  # "results", "overdue_request", "check_in"
    text: str
    on: Date
    cycle_id: int | None = None
    goal_id: int | None = None


@dataclass
class Agenda:
    meeting_id: int
    since: Date | None  # the last held 1:1 before this one, if any
    window_start: Date  # changes are those after this date, up to the meeting's date
    carried_actions: list[ActionLine] = field(default_factory=list)
    goals: list[GoalLine] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    talking_points: list[PointFacts] = field(default_factory=list)
    raised_here: list[ActionLine] = field(default_factory=list)  # this 1:1's own actions

    @property
    def is_empty(self) -> bool:
        """Nothing to discuss yet: the four sections are empty."""
        return not (self.carried_actions or self.goals or self.changes or self.talking_points)


# -- the arithmetic -------------------------------------------------------------------------


def last_held_before(meeting: MeetingFacts, held: Sequence[MeetingFacts]) -> MeetingFacts | None:
    """The latest held 1:1 before this one; same-day 1:1s count in the order they were made."""
    earlier = [
        other
        for other in held
        if other.pk != meeting.pk
        and other.status == OneOnOne.Status.HELD
        and (other.date, other.pk) < (meeting.date, meeting.pk)
    ]
    return max(earlier, key=lambda other: (other.date, other.pk), default=None)


def is_carried_into(action: ActionFacts, meeting: MeetingFacts) -> bool:
    """Open, raised elsewhere, and not after this 1:1: it belongs on this agenda."""
    return (
        action.status == ActionItem.Status.OPEN
        and action.raised_in_id != meeting.pk
        and action.raised_on <= meeting.date
    )


def _action_line(action: ActionFacts, today: Date) -> ActionLine:
    overdue = (
        action.status == ActionItem.Status.OPEN
        and action.due_date is not None
        and action.due_date < today
    )
    return ActionLine(action=action, overdue=overdue)


def _carry_order(line: ActionLine) -> tuple:
    action = line.action
    return (
        not line.overdue,
        action.due_date is None,
        action.due_date or Date.max,
        action.raised_on,
        action.pk,
    )


def carried_actions(facts: AgendaFacts) -> list[ActionLine]:
    lines = [
        _action_line(action, facts.today)
        for action in facts.actions
        if is_carried_into(action, facts.meeting)
    ]
    return sorted(lines, key=_carry_order)


def goal_lines(facts: AgendaFacts) -> list[GoalLine]:
    here = {
        check_in.goal_id: check_in
        for check_in in sorted(facts.check_ins, key=lambda c: (c.date, c.pk))
        if check_in.one_on_one_id == facts.meeting.pk
    }
    lines = [
        GoalLine(goal=goal, due=goal.pk in facts.due_goal_ids, checked_in_here=here.get(goal.pk))
        for goal in facts.goals
        if goal.pk in facts.due_goal_ids or goal.pk in here
    ]
    return sorted(lines, key=lambda line: (line.goal.target_date, line.goal.competency_name))


def window_start(facts: AgendaFacts, since: MeetingFacts | None) -> Date:
    if since is not None:
        return since.date
    return facts.meeting.date - datetime.timedelta(days=facts.cadence_days)


def _in_window(day: Date, start: Date, end: Date) -> bool:
    return start < day <= end


def _results_changes(facts: AgendaFacts, start: Date) -> list[Change]:
    by_cycle: dict[int, list[ResultFacts]] = defaultdict(list)
    for result in facts.results:
        if _in_window(result.submitted_on, start, facts.meeting.date):
            by_cycle[result.cycle_id].append(result)
    changes = []
    for cycle_id, results in by_cycle.items():
        kinds = [kind.label.lower() for kind in RaterKind if any(r.kind == kind for r in results)]
        count = len(results)
        changes.append(
            Change(
                kind="results",
                text=(
                    f"{count} new assessment answer{'s' if count != 1 else ''} in "
                    f"{results[0].cycle_name} ({', '.join(kinds)})"
                ),
                on=max(result.submitted_on for result in results),
                cycle_id=cycle_id,
            )
        )
    return sorted(changes, key=lambda change: (change.on, change.text))


def _overdue_changes(facts: AgendaFacts) -> list[Change]:
    as_of = min(facts.today, facts.meeting.date)
    overdue = sorted(
        (request for request in facts.owed_requests if request.due_date < as_of),
        key=lambda request: (request.due_date, request.cycle_name, request.subject_name),
    )
    return [
        Change(
            kind="overdue_request",
            text=f"Overdue since {request.due_date:%Y-%m-%d}: {_owed_what(request)}",
            on=request.due_date,
            cycle_id=request.cycle_id,
        )
        for request in overdue
    ]


def _owed_what(request: RequestFacts) -> str:
    if request.kind == RaterKind.SELF:
        return f"their self-assessment in {request.cycle_name}"
    kind = RaterKind(request.kind).label.lower()
    return f"their {kind} rating of {request.subject_name} in {request.cycle_name}"


def _check_in_changes(facts: AgendaFacts, start: Date) -> list[Change]:
    new = sorted(
        (
            check_in
            for check_in in facts.check_ins
            if check_in.one_on_one_id != facts.meeting.pk
            and _in_window(check_in.date, start, facts.meeting.date)
        ),
        key=lambda check_in: (check_in.date, check_in.pk),
    )
    return [
        Change(
            kind="check_in",
            text=f"Check-in on {check_in.goal_name}: {_check_in_status(check_in.status)}"
            + (f" — {check_in.note}" if check_in.note else ""),
            on=check_in.date,
            goal_id=check_in.goal_id,
        )
        for check_in in new
    ]


def _check_in_status(status: str) -> str:
    try:
        return str(CheckIn.Status(status).label).lower()
    except ValueError:
        return status


def build_agenda(facts: AgendaFacts) -> Agenda:
    since = last_held_before(facts.meeting, facts.held_meetings)
    start = window_start(facts, since)
    return Agenda(
        meeting_id=facts.meeting.pk,
        since=since.date if since else None,
        window_start=start,
        carried_actions=carried_actions(facts),
        goals=goal_lines(facts),
        changes=[
            *_results_changes(facts, start),
            *_overdue_changes(facts),
            *_check_in_changes(facts, start),
        ],
        talking_points=sorted(facts.talking_points, key=lambda p: (p.created_at, p.pk)),
        raised_here=[
            _action_line(action, facts.today)
            for action in sorted(facts.actions, key=lambda a: a.pk)
            if action.raised_in_id == facts.meeting.pk
        ],
    )


# -- the loader -----------------------------------------------------------------------------


def _meeting_facts(meeting: OneOnOne) -> MeetingFacts:
    return MeetingFacts(pk=meeting.pk, date=meeting.date, status=meeting.status)


def _action_facts(action: ActionItem) -> ActionFacts:
    raised = action.raised_in
    return ActionFacts(
        pk=action.pk,
        text=action.text,
        owner_id=action.owner_id,
        owner_name=action.owner.name,
        status=action.status,
        due_date=action.due_date,
        raised_in_id=action.raised_in_id,
        raised_on=raised.date if raised else timezone.localdate(action.created_at),
        raised_in_status=raised.status if raised else None,
    )


def goal_facts_of(goal: Goal) -> GoalFacts:
    return GoalFacts(
        pk=goal.pk,
        plan_id=goal.plan_id,
        competency_name=goal.competency_name,
        target_step=goal.target_step,
        target_date=goal.target_date,
        current_step=goal.current_step,
        due_reason=getattr(goal, "due_reason", ""),
    )


def _check_in_facts(check_in: CheckIn) -> CheckInFacts:
    return CheckInFacts(
        pk=check_in.pk,
        goal_id=check_in.goal_id,
        goal_name=check_in.goal.competency_name,
        date=check_in.date,
        status=check_in.status,
        note=check_in.note,
        one_on_one_id=check_in.one_on_one_id,
    )


def _plans_shown(report_id: int, user: Login | None) -> Any:
    plans = CoachingPlan.objects.filter(person_id=report_id, status=CoachingPlan.Status.ACTIVE)
    if user is None:
        return plans
    return plans.filter(pk__in=visibility.visible_plans(user).values("pk"))


def _sees_results(report: Any, user: Login | None) -> bool:
    if user is None:
        return True
    return can_see_private_records(user, report)


def load_agenda_facts(
    meeting: OneOnOne, *, user: Login | None = None, today: Date | None = None
) -> AgendaFacts:
    """The facts of one meeting's agenda, in a fixed number of queries.

    With a `user`, the parts that come from private records of the report are limited to
    what that user may see: goals of the plans they may see, assessment changes only if
    they may see the report's results. Without one (commands, exports), everything.
    """
    series = meeting.series
    today = today or timezone.localdate()
    held = [
        MeetingFacts(pk=pk, date=day, status=OneOnOne.Status.HELD)
        for pk, day in series.meetings.filter(
            status=OneOnOne.Status.HELD, date__lte=meeting.date
        ).values_list("pk", "date")
    ]
    since = last_held_before(_meeting_facts(meeting), held)
    start = since.date if since else meeting.date - series.interval
    actions = [
        _action_facts(action)
        for action in series.actions.filter(
            Q(status=ActionItem.Status.OPEN) | Q(raised_in=meeting)
        ).select_related("owner", "raised_in")
    ]
    plans = _plans_shown(series.report_id, user)
    due = goals_due_for_check_in(
        Goal.objects.filter(plan__in=plans, status=Goal.Status.OPEN), on=meeting.date
    )
    check_ins = list(
        CheckIn.objects.filter(goal__plan__in=plans)
        .filter(Q(one_on_one=meeting) | Q(date__gt=start, date__lte=meeting.date))
        .select_related("goal")
    )
    goals = {goal.pk: goal_facts_of(goal) for goal in due}
    for check_in in check_ins:  # a goal checked in here stays on the agenda, due or not
        if check_in.one_on_one_id == meeting.pk:
            goals.setdefault(check_in.goal_id, goal_facts_of(check_in.goal))
    results: list[ResultFacts] = []
    owed: list[RequestFacts] = []
    if _sees_results(series.report, user):
        results = _result_facts(series.report_id, start, meeting.date)
        owed = _owed_request_facts(series.report_id)
    points = [
        PointFacts(
            pk=point.pk,
            text=point.text,
            author_name=_author_name(point.author),
            created_at=point.created_at,
            discussed=point.discussed,
        )
        for point in meeting.talking_points.select_related("author", "author__person")
    ]
    return AgendaFacts(
        meeting=_meeting_facts(meeting),
        today=today,
        cadence_days=CADENCE_DAYS[Cadence(series.cadence)],
        held_meetings=held,
        actions=actions,
        goals=list(goals.values()),
        due_goal_ids=frozenset(goal.pk for goal in due),
        check_ins=[_check_in_facts(check_in) for check_in in check_ins],
        results=results,
        owed_requests=owed,
        talking_points=points,
    )


def _result_facts(report_id: int, start: Date, end: Date) -> list[ResultFacts]:
    rows = (
        AssessmentRequest.objects.filter(
            subject_id=report_id,
            status=AssessmentRequest.Status.SUBMITTED,
            submitted_at__isnull=False,
            submitted_at__gte=_start_of_day(start),
        )
        .select_related("cycle")
        .order_by("submitted_at")
    )
    facts = []
    for request in rows:
        submitted_on = timezone.localdate(request.submitted_at)
        if start < submitted_on <= end:
            facts.append(
                ResultFacts(
                    cycle_id=request.cycle_id,
                    cycle_name=request.cycle.name,
                    kind=request.kind,
                    submitted_on=submitted_on,
                )
            )
    return facts


def _owed_request_facts(report_id: int) -> list[RequestFacts]:
    rows = AssessmentRequest.objects.filter(
        rater_id=report_id,
        status__in=[AssessmentRequest.Status.PENDING, AssessmentRequest.Status.DRAFT],
        cycle__status=AssessmentCycle.Status.OPEN,
    ).select_related("cycle", "subject")
    return [
        RequestFacts(
            pk=request.pk,
            cycle_id=request.cycle_id,
            cycle_name=request.cycle.name,
            subject_name=request.subject.name,
            kind=request.kind,
            due_date=request.cycle.due_date,
        )
        for request in rows
    ]


def _start_of_day(day: Date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _author_name(author: Any) -> str:
    if author is None:
        return "someone who left"
    person = getattr(author, "person", None)
    return person.name if person is not None else author.get_username()


def load_agenda(
    meeting: OneOnOne, *, user: Login | None = None, today: Date | None = None
) -> Agenda:
    """The agenda of one 1:1 (`meeting.series` with its lead and report preloaded is best)."""
    return build_agenda(load_agenda_facts(meeting, user=user, today=today))


@dataclass
class ActionRow:
    """An action item as a row on a page, with what the user may do with it."""

    pk: int
    text: str
    owner_name: str
    due_date: datetime.date | None
    status: str
    overdue: bool
    origin: str = ""

    @property
    def is_open(self) -> bool:
        return self.status == ActionItem.Status.OPEN

    @property
    def status_label(self) -> str:
        return str(ActionItem.Status(self.status).label)


def action_row(action: ActionItem, today: datetime.date) -> ActionRow:
    """An action item as a page row; overdue when open and due before `today`."""
    raised = action.raised_in
    return ActionRow(
        pk=action.pk,
        text=action.text,
        owner_name=action.owner.name,
        due_date=action.due_date,
        status=action.status,
        overdue=action.is_open and action.due_date is not None and action.due_date < today,
        origin=f"raised on {raised.date:%Y-%m-%d}" if raised else "raised in a deleted 1:1",
    )


def action_row_of_line(line: ActionLine) -> ActionRow:
    """An agenda's action line as a page row."""
    action = line.action
    return ActionRow(
        pk=action.pk,
        text=action.text,
        owner_name=action.owner_name,
        due_date=action.due_date,
        status=action.status,
        overdue=line.overdue,
        origin=line.origin,
    )


def plans_open_for_check_in(
    user: Login, meeting: OneOnOne, agenda: Agenda, *, can_edit: bool
) -> set[int]:
    """The plans of the agenda's goals that `user` may check in on at this 1:1: none when
    the user may not edit the 1:1 or it was cancelled."""
    plan_ids = {line.goal.plan_id for line in agenda.goals}
    if not plan_ids or not can_edit or meeting.status == OneOnOne.Status.CANCELLED:
        return set()
    plans = CoachingPlan.objects.filter(pk__in=plan_ids)
    return {plan.pk for plan in plans if visibility.can_check_in(user, plan)}
