"""Every write in the coaching app: `check_*` validates and authorizes, `do_*` writes.

Sections: plans and practices, 1:1s, communities. Add to your section only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from productops.accounts.models import Role
from productops.accounts.roles import person_id_of, role_of
from productops.coaching import plans, practices, visibility
from productops.coaching.models import (
    ActionItem,
    Attendance,
    Cadence,
    CheckIn,
    CoachingPlan,
    Community,
    CommunitySession,
    Effort,
    Goal,
    OneOnOne,
    OneOnOneSeries,
    Practice,
    PrivateNote,
    TalkingPoint,
)
from productops.competencies.models import AssessmentCycle
from productops.org.models import Person
from productops.org.visibility import reporting_chain_ids

# ---------------------------------------------------------------------------------------
# Plans, goals, check-ins and the practice library
# ---------------------------------------------------------------------------------------

PLAN_STATUS_MOVES = {
    CoachingPlan.Status.DRAFT: {CoachingPlan.Status.ACTIVE, CoachingPlan.Status.CLOSED},
    CoachingPlan.Status.ACTIVE: {CoachingPlan.Status.CLOSED},
    CoachingPlan.Status.CLOSED: {CoachingPlan.Status.ACTIVE},
}
GOAL_STATUS_WORDS = {"reopen": Goal.Status.OPEN}
OPEN_PLAN_STATUSES = (CoachingPlan.Status.DRAFT, CoachingPlan.Status.ACTIVE)


def check_draft_plan(user: Any, person: Person) -> None:
    if not visibility.can_draft_plan_for(user, person):
        raise PermissionDenied(
            f"Only admins and {person.name}'s managers draft coaching plans for them. "
            "Ask their manager to draft one."
        )
    if not person.active:
        raise ValidationError(
            f"{person.name} has left the organization: plans are for people who are still here."
        )
    existing = (
        CoachingPlan.objects.filter(person=person, status__in=OPEN_PLAN_STATUSES)
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            f"{person.name} already has a {existing.get_status_display().lower()} plan, "
            f"“{existing.title}”. Work on that one, or close it before drafting a new one.",
            code="plan_exists",
        )


def do_draft_plan(
    user: Any, person: Person, *, cycle: AssessmentCycle | None = None
) -> CoachingPlan:
    """A draft plan whose goals are the person's top gaps (see `plans.draft_plan`).

    The returned plan carries `notes`: sentences to show when there was nothing (or not
    everything) to draft from.
    """
    today = timezone.localdate()
    try:
        draft = plans.draft_plan(person, today=today, cycle=cycle)
    except LookupError:
        raise ValidationError(
            f"{cycle.name} holds no submitted answers about {person.name}: choose a cycle they "
            "were assessed in, or leave the cycle out to use the latest."
        ) from None
    with transaction.atomic():
        # Lock the person so two managers drafting at once get one plan, not two.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        check_draft_plan(user, person)
        plan = CoachingPlan.objects.create(
            person=person,
            manager_id=person.manager_id,
            title=plans.plan_title(person, draft.cycle),
            source_cycle=draft.cycle,
            model_slug=draft.model_slug,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        for position, goal in enumerate(draft.goals):
            created = Goal.objects.create(
                plan=plan,
                competency_key=goal.competency_key,
                competency_name=goal.competency_name,
                current_step=goal.current_step,
                target_step=goal.target_step,
                target_date=goal.target_date,
                position=position,
            )
            created.practices.set(goal.practices)
    plan.notes = list(draft.notes)  # type: ignore[attr-defined]
    return plan


def check_edit_goals(user: Any, plan: CoachingPlan) -> None:
    if not visibility.can_edit_plan(user, plan):
        raise PermissionDenied(
            f"Only {plan.person.name}'s managers, admins and this plan's coaches change its "
            "goals. Raise it at your next 1:1 instead."
        )
    if plan.status == CoachingPlan.Status.CLOSED:
        raise ValidationError("This plan is closed; reopen it before changing its goals.")


def check_manage_plan(user: Any, plan: CoachingPlan) -> None:
    if not visibility.can_manage_plan(user, plan):
        raise PermissionDenied(
            f"Only {plan.person.name}'s managers and admins change this plan's status and "
            "coaches. Ask their manager."
        )


def check_goal_open(goal: Goal, doing: str) -> None:
    if goal.is_closed:
        raise ValidationError(
            f"This goal is {goal.get_status_display().lower()}; reopen it before {doing}."
        )


def _check_not_a_goal_yet(
    plan: CoachingPlan, key: str, name: str, *, besides: Goal | None = None
) -> None:
    taken = plan.goals.filter(competency_key=key, status=Goal.Status.OPEN)
    if besides is not None:
        taken = taken.exclude(pk=besides.pk)
    if taken.exists():
        raise ValidationError(
            f"{name} is already an open goal of this plan: change that goal's target instead."
        )


def _goal_start(plan: CoachingPlan, key: str) -> plans.GoalStart:
    start = plans.goal_start(plan, key)
    if start is not None:
        return start
    if plans.plan_version(plan) is None:
        raise ValidationError(
            "This plan has no competency model: load one under Competencies, then add goals."
        )
    raise ValidationError(
        f"The plan's competency model has no competency “{key}”: choose one from its list."
    )


def _checked_target(start: plans.GoalStart, target_step: int | None) -> int:
    """The target asked for, or the default one, checked against the scale and current step."""
    current = start.current_step
    if target_step is None:
        if start.target_step is not None:
            return start.target_step
        if current is not None:
            raise ValidationError(
                f"{start.name} is already at the top step of the scale: choose another "
                "competency to grow."
            )
        raise ValidationError(
            f"Say which step to aim for in {start.name}: there is no assessment or ladder "
            "expectation to start from."
        )
    return _checked_step(target_step, current, start.steps)


def _checked_step(target_step: Any, current: float | None, steps: tuple[int, ...]) -> int:
    if isinstance(target_step, bool) or not isinstance(target_step, int):
        raise ValidationError("Give the target step as a whole number.")
    if steps and target_step not in steps:
        raise ValidationError(f"Choose a target step between {min(steps)} and {max(steps)}.")
    if current is not None and target_step <= current:
        raise ValidationError(
            f"The target step must be above the current step ({plans.step_text(current)})."
        )
    return target_step


def _checked_target_date(target_date: Any) -> datetime.date:
    if not isinstance(target_date, datetime.date) or isinstance(target_date, datetime.datetime):
        raise ValidationError("Give the target date as a date, like 2025-06-30.")
    today = timezone.localdate()
    if target_date < today:
        raise ValidationError(f"Choose a target date from today ({today:%Y-%m-%d}) on.")
    return target_date


def do_add_goal(
    user: Any,
    plan: CoachingPlan,
    *,
    competency_key: str,
    target_step: int | None = None,
    target_date: datetime.date | None = None,
) -> Goal:
    """A goal added by hand; current step, target and practices default as when drafting."""
    check_edit_goals(user, plan)
    start = _goal_start(plan, competency_key)
    _check_not_a_goal_yet(plan, start.key, start.name)
    target = _checked_target(start, target_step)
    when = (
        _checked_target_date(target_date)
        if target_date is not None
        else plans.default_target_date(timezone.localdate())
    )
    with transaction.atomic():
        last = plan.goals.order_by("-position").values_list("position", flat=True).first()
        goal = Goal.objects.create(
            plan=plan,
            competency_key=start.key,
            competency_name=start.name,
            current_step=start.current_step,
            target_step=target,
            target_date=when,
            position=0 if last is None else last + 1,
        )
        goal.practices.set(start.practices)
    return goal


def do_swap_goal(user: Any, goal: Goal, competency_key: str) -> Goal:
    """Put another competency of the plan's model in this goal's place.

    A goal with check-ins keeps its history: it is dropped, and a new goal takes its
    place with the same target date. One without check-ins simply changes competency.
    Returns the goal that now holds the place.
    """
    plan = goal.plan
    check_edit_goals(user, plan)
    check_goal_open(goal, "swapping it")
    if competency_key == goal.competency_key:
        raise ValidationError(
            f"This goal is already about {goal.competency_name}: choose another competency."
        )
    start = _goal_start(plan, competency_key)
    _check_not_a_goal_yet(plan, start.key, start.name)
    target = _checked_target(start, None)
    fields = {
        "competency_key": start.key,
        "competency_name": start.name,
        "current_step": start.current_step,
        "target_step": target,
    }
    with transaction.atomic():
        if goal.check_ins.exists():
            goal.status = Goal.Status.DROPPED
            goal.closed_at = timezone.now()
            goal.save(update_fields=["status", "closed_at"])
            goal = Goal.objects.create(
                plan=plan, target_date=goal.target_date, position=goal.position, **fields
            )
        else:
            for name, value in fields.items():
                setattr(goal, name, value)
            goal.custom_practice = ""
            goal.save()
        goal.practices.set(start.practices)
    return goal


def do_update_goal(
    user: Any,
    goal: Goal,
    *,
    target_step: int | None = None,
    target_date: datetime.date | None = None,
    practice_ids: Iterable[int] | None = None,
    custom_practice: str | None = None,
) -> Goal:
    """Change what is given: the target step or date, the practices, a practice of one's own."""
    plan = goal.plan
    check_edit_goals(user, plan)
    check_goal_open(goal, "changing it")
    changed = []
    if target_step is not None:
        version = plans.plan_version(plan)
        steps = tuple(sorted(version.steps)) if version else ()
        goal.target_step = _checked_step(target_step, goal.current_step, steps)
        changed.append("target_step")
    if target_date is not None:
        goal.target_date = _checked_target_date(target_date)
        changed.append("target_date")
    if custom_practice is not None:
        goal.custom_practice = custom_practice.strip()
        changed.append("custom_practice")
    practices = None
    if practice_ids is not None:
        wanted = set(practice_ids)
        practices = list(Practice.objects.filter(pk__in=wanted, competency_key=goal.competency_key))
        if len(practices) != len(wanted):
            raise ValidationError(
                f"Choose practices for {goal.competency_name} from the library's list."
            )
    with transaction.atomic():
        if changed:
            goal.save(update_fields=changed)
        if practices is not None:
            goal.practices.set(practices)
    return goal


def do_set_goal_status(user: Any, goal: Goal, status: str) -> Goal:
    """Mark a goal achieved or dropped (both stay in the plan's history), or reopen it."""
    plan = goal.plan
    check_edit_goals(user, plan)
    status = GOAL_STATUS_WORDS.get(status, status)
    if status not in Goal.Status.values:
        raise ValidationError("Choose achieved, dropped, or reopen.")
    if status == goal.status:
        raise ValidationError(f"This goal is already {goal.get_status_display().lower()}.")
    if status == Goal.Status.OPEN:
        _check_not_a_goal_yet(plan, goal.competency_key, goal.competency_name, besides=goal)
    goal.status = status
    goal.closed_at = None if status == Goal.Status.OPEN else timezone.now()
    goal.save(update_fields=["status", "closed_at"])
    return goal


def do_drop_goal(user: Any, goal: Goal) -> Goal:
    """Drop a goal: it stays in the plan's history with its check-ins."""
    return do_set_goal_status(user, goal, Goal.Status.DROPPED)


def do_set_plan_status(user: Any, plan: CoachingPlan, status: str) -> CoachingPlan:
    """Draft → active → closed; a draft may be closed unused, a closed plan reopened."""
    check_manage_plan(user, plan)
    if status not in CoachingPlan.Status.values:
        raise ValidationError("Choose draft, active or closed.")
    if status == plan.status:
        raise ValidationError(f"This plan is already {plan.get_status_display().lower()}.")
    if status not in PLAN_STATUS_MOVES[CoachingPlan.Status(plan.status)]:
        raise ValidationError(
            "An active plan does not go back to draft: change its goals while it is active, "
            "or close it."
        )
    if status == CoachingPlan.Status.ACTIVE:
        if not plan.goals.filter(status=Goal.Status.OPEN).exists():
            raise ValidationError("Add at least one open goal before activating the plan.")
        other = (
            CoachingPlan.objects.filter(person_id=plan.person_id, status__in=OPEN_PLAN_STATUSES)
            .exclude(pk=plan.pk)
            .first()
        )
        if other is not None and plan.status == CoachingPlan.Status.CLOSED:
            raise ValidationError(
                f"{plan.person.name} already has a {other.get_status_display().lower()} plan, "
                f"“{other.title}”: close it before reopening this one."
            )
    plan.status = status
    plan.save(update_fields=["status", "updated_at"])
    return plan


def _login_name(user: Any) -> str:
    return user.get_username()


def do_add_coach(user: Any, plan: CoachingPlan, coach_user: Any) -> CoachingPlan:
    """Give a login access to this plan only: they see it, check in and edit its goals."""
    check_manage_plan(user, plan)
    name = _login_name(coach_user)
    if not coach_user.is_active:
        raise ValidationError(f"The login {name} is deactivated: choose an active login.")
    if person_id_of(coach_user) == plan.person_id:
        raise ValidationError(
            f"{name} is {plan.person.name}'s own login: they see their plan already."
        )
    if plan.coaches.filter(pk=coach_user.pk).exists():
        raise ValidationError(f"{name} already coaches this plan.")
    plan.coaches.add(coach_user)
    return plan


def do_remove_coach(user: Any, plan: CoachingPlan, coach_user: Any) -> CoachingPlan:
    """Take a coach off the plan: they no longer see it."""
    check_manage_plan(user, plan)
    if not plan.coaches.filter(pk=coach_user.pk).exists():
        raise ValidationError(f"{_login_name(coach_user)} is not a coach of this plan.")
    plan.coaches.remove(coach_user)
    return plan


def check_check_in(
    user: Any,
    goal: Goal,
    *,
    date: Any,
    status: str,
    one_on_one: OneOnOne | None = None,
) -> None:
    plan = goal.plan
    if not visibility.can_check_in(user, plan):
        raise PermissionDenied(
            f"Only {plan.person.name}, their managers, admins and this plan's coaches record "
            "check-ins on this plan."
        )
    if plan.status == CoachingPlan.Status.CLOSED:
        raise ValidationError("This plan is closed; reopen it before checking in.")
    if plan.status == CoachingPlan.Status.DRAFT:
        raise ValidationError("This plan is still a draft; activate it before checking in.")
    check_goal_open(goal, "checking in")
    if status not in CheckIn.Status.values:
        raise ValidationError("Choose a status: on track, at risk or off track.")
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        raise ValidationError("Give the date of the check-in, like 2025-06-30.")
    today = timezone.localdate()
    if date > today:
        raise ValidationError(
            f"A check-in cannot be dated in the future: the latest date is today ({today:%Y-%m-%d})."
        )
    if one_on_one is not None and one_on_one.series.report_id != plan.person_id:
        raise ValidationError(
            f"That 1:1 is not with {plan.person.name}: record the check-in from one of theirs."
        )


def do_check_in(
    user: Any,
    goal: Goal,
    *,
    date: datetime.date,
    status: str,
    note: str,
    evidence_url: str = "",
    one_on_one: OneOnOne | None = None,
) -> CheckIn:
    """Record how a goal is going. Refused on a closed goal, a closed plan or a draft."""
    check_check_in(user, goal, date=date, status=status, one_on_one=one_on_one)
    check_in = CheckIn(
        goal=goal,
        date=date,
        status=status,
        note=(note or "").strip(),
        evidence_url=(evidence_url or "").strip(),
        author=user if getattr(user, "is_authenticated", False) else None,
        one_on_one=one_on_one,
    )
    try:
        check_in.full_clean(exclude=["goal", "author", "one_on_one"])
    except ValidationError as problem:
        if "evidence_url" in problem.message_dict:
            raise ValidationError(
                "Give the evidence as a full link, starting with https:// or http://."
            ) from None
        raise
    check_in.save()
    return check_in


# (end of plans section)

# ---------------------------------------------------------------------------------------
# 1:1 series, meetings, agenda items, notes and actions
# ---------------------------------------------------------------------------------------

SERIES_MINUTES = (10, 240)  # shorter is a hallway chat, longer is a workshop
ONE_ON_ONE_TEXT_LIMIT = 2000  # a talking point or an action: a sentence or two
ONE_ON_ONE_NOTES_LIMIT = 50_000


class StaleNotes(ValidationError):
    """The shared notes changed since the form was opened: nothing was saved.

    Carries the current text and revision so the page can show what the other person
    wrote and let the writer merge instead of silently overwriting it.
    """

    def __init__(self, meeting: OneOnOne) -> None:
        super().__init__(
            "Someone else saved these notes while you were writing: your text was not "
            "saved. Their version is shown below; merge your changes into it and save again."
        )
        self.current_text = meeting.shared_notes
        self.current_revision = meeting.notes_revision


def _admin_for_1on1s(user: Any) -> bool:
    return role_of(user) is Role.ADMIN


def _one_on_one_text(text: Any, *, what: str, limit: int = ONE_ON_ONE_TEXT_LIMIT) -> str:
    cleaned = str(text or "").strip()
    if not cleaned:
        raise ValidationError({"text": f"Write the {what} first."})
    if len(cleaned) > limit:
        raise ValidationError(
            {"text": f"Keep the {what} under {limit} characters; it has {len(cleaned)}."}
        )
    return cleaned


def _one_on_one_date(value: Any, field_name: str) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field_name: "Give a date as YYYY-MM-DD."})
    return value


def _check_series_settings(kind: Any, cadence: Any, duration_minutes: Any) -> None:
    errors: dict[str, str] = {}
    if kind not in OneOnOneSeries.Kind.values:
        errors["kind"] = "Choose “manager and report” or “coach and coachee”."
    if cadence not in Cadence.values:
        errors["cadence"] = "Choose weekly, fortnightly or monthly."
    low, high = SERIES_MINUTES
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = "Give the duration in whole minutes."
    elif not low <= duration_minutes <= high:
        errors["duration_minutes"] = f"A 1:1 lasts between {low} and {high} minutes."
    if errors:
        raise ValidationError(errors)


def _check_manager_pair(kind: str, lead: Person, report: Person) -> None:
    if kind == OneOnOneSeries.Kind.MANAGER and report.pk not in reporting_chain_ids(lead.pk):
        raise ValidationError(
            {
                "report": f"{report.name} is not in {lead.name}'s reporting chain. "
                "Choose “coach and coachee” for a coaching series."
            }
        )


def check_create_series(user: Any, *, lead: Person, report: Person, kind: str) -> None:
    """The lead starts a series (a manager with someone in their chain, anyone as a coach);
    admins start one for anyone."""
    if not _admin_for_1on1s(user) and person_id_of(user) != lead.pk:
        raise PermissionDenied(
            "You can start a 1:1 series that you lead yourself; an admin can start one for others."
        )
    if lead.pk == report.pk:
        raise ValidationError({"report": "A 1:1 needs two different people."})
    for person, field_name in ((lead, "lead"), (report, "report")):
        if not person.active:
            raise ValidationError({field_name: f"{person.name} has left the organization."})
    _check_manager_pair(kind, lead, report)
    existing = (
        OneOnOneSeries.objects.filter(Q(lead=lead, report=report) | Q(lead=report, report=lead))
        .only("pk", "active")
        .first()
    )
    if existing is not None:
        ended = "" if existing.active else " (ended: restart it from its page)"
        raise ValidationError(
            {"report": f"{lead.name} and {report.name} already have a 1:1 series{ended}."}
        )


def do_create_series(
    user: Any,
    *,
    lead: Person,
    report: Person,
    kind: str,
    cadence: str,
    duration_minutes: int,
    start_date: datetime.date,
) -> OneOnOneSeries:
    _check_series_settings(kind, cadence, duration_minutes)
    _one_on_one_date(start_date, "start_date")
    check_create_series(user, lead=lead, report=report, kind=kind)
    try:
        with transaction.atomic():
            return OneOnOneSeries.objects.create(
                lead=lead,
                report=report,
                kind=kind,
                cadence=cadence,
                duration_minutes=duration_minutes,
                start_date=start_date,
            )
    except IntegrityError:  # the same pair started a moment ago by someone else
        raise ValidationError(
            {"report": f"{lead.name} and {report.name} already have a 1:1 series."}
        ) from None


def check_manage_series(user: Any, series: OneOnOneSeries) -> None:
    """Cadence, duration, ending: the lead and admins."""
    if not visibility.can_manage_series(user, series):
        raise PermissionDenied(
            f"Only {series.lead.name}, who leads this series, or an admin changes its settings."
        )


def do_update_series(
    user: Any,
    series: OneOnOneSeries,
    *,
    kind: str | None = None,
    cadence: str | None = None,
    duration_minutes: int | None = None,
    start_date: datetime.date | None = None,
) -> OneOnOneSeries:
    """Change what was given; leave the rest."""
    check_manage_series(user, series)
    kind = series.kind if kind is None else kind
    cadence = series.cadence if cadence is None else cadence
    minutes = series.duration_minutes if duration_minutes is None else duration_minutes
    _check_series_settings(kind, cadence, minutes)
    if start_date is not None:
        _one_on_one_date(start_date, "start_date")
    _check_manager_pair(kind, series.lead, series.report)
    series.kind, series.cadence, series.duration_minutes = kind, cadence, minutes
    series.start_date = series.start_date if start_date is None else start_date
    series.save(update_fields=["kind", "cadence", "duration_minutes", "start_date"])
    return series


def do_end_series(user: Any, series: OneOnOneSeries) -> OneOnOneSeries:
    """Stop the series: its history and open actions stay; no new 1:1s until restarted."""
    check_manage_series(user, series)
    if series.active:
        series.active = False
        series.save(update_fields=["active"])
    return series


def do_restart_series(user: Any, series: OneOnOneSeries) -> OneOnOneSeries:
    check_manage_series(user, series)
    if not series.active:
        _check_manager_pair(series.kind, series.lead, series.report)
        series.active = True
        series.save(update_fields=["active"])
    return series


def check_edit_meetings(user: Any, series: OneOnOneSeries) -> None:
    """Meetings, notes, talking points, actions: the two participants and admins."""
    if not visibility.can_edit_series(user, series):
        raise PermissionDenied(
            f"Only {series.lead.name} and {series.report.name}, the two people in these "
            "1:1s, or an admin change them."
        )


def do_schedule_one_on_one(user: Any, series: OneOnOneSeries, *, date: datetime.date) -> OneOnOne:
    """A planned 1:1 on a date; a past date is fine (logging one after the fact)."""
    check_edit_meetings(user, series)
    _one_on_one_date(date, "date")
    if not series.active:
        raise ValidationError("This series has ended: restart it before scheduling a 1:1.")
    taken = series.meetings.filter(date=date).exclude(status=OneOnOne.Status.CANCELLED)
    if taken.exists():
        raise ValidationError(
            {"date": f"There is already a 1:1 of this series on {date:%Y-%m-%d}: open it instead."}
        )
    return OneOnOne.objects.create(series=series, date=date, status=OneOnOne.Status.PLANNED)


def do_mark_held(user: Any, meeting: OneOnOne) -> OneOnOne:
    """Record that the 1:1 took place. One dated in the future took place today: it moves."""
    check_edit_meetings(user, meeting.series)
    today = timezone.localdate()
    fields = ["status"]
    if meeting.date > today:
        meeting.date = today
        fields.append("date")
    meeting.status = OneOnOne.Status.HELD
    meeting.save(update_fields=fields)
    return meeting


def do_cancel_one_on_one(user: Any, meeting: OneOnOne) -> OneOnOne:
    """A cancelled 1:1 keeps its notes; its open actions go on to the next agenda."""
    check_edit_meetings(user, meeting.series)
    if meeting.status == OneOnOne.Status.HELD:
        raise ValidationError(
            "This 1:1 was held, so it cannot be cancelled. Delete it if it was logged by mistake."
        )
    meeting.status = OneOnOne.Status.CANCELLED
    meeting.save(update_fields=["status"])
    return meeting


def open_actions_raised_in(meeting: OneOnOne) -> int:
    return meeting.actions_raised.filter(status=ActionItem.Status.OPEN).count()


def do_delete_one_on_one(user: Any, meeting: OneOnOne, *, confirm: bool) -> int:
    """Delete a 1:1 with its talking points and notes; returns how many actions were kept.

    Its action items belong to the series and stay, no longer tied to a meeting. When some
    are still open, nothing happens without `confirm`: the error says how many.
    """
    check_edit_meetings(user, meeting.series)
    open_count = open_actions_raised_in(meeting)
    if open_count and not confirm:
        raise ValidationError(
            f"This 1:1 raised {open_count} open action{'s' if open_count != 1 else ''}. "
            f"{'They' if open_count != 1 else 'It'} will be kept on the series and carried "
            "to the next 1:1. Confirm to delete the 1:1."
        )
    with transaction.atomic():
        kept = ActionItem.objects.filter(raised_in=meeting).update(raised_in=None)
        meeting.delete()
    return kept


def do_add_talking_point(user: Any, meeting: OneOnOne, *, text: str) -> TalkingPoint:
    """A new row each time: two people adding at once never lose each other's items."""
    check_edit_meetings(user, meeting.series)
    cleaned = _one_on_one_text(text, what="talking point")
    if meeting.status == OneOnOne.Status.CANCELLED:
        raise ValidationError("This 1:1 was cancelled: add the talking point to the next one.")
    return TalkingPoint.objects.create(meeting=meeting, author=user, text=cleaned)


def do_save_shared_notes(user: Any, meeting: OneOnOne, *, text: str, revision: int) -> OneOnOne:
    """Save the shared notes if nobody saved since `revision`; else raise `StaleNotes`."""
    check_edit_meetings(user, meeting.series)
    text = str(text or "")
    if len(text) > ONE_ON_ONE_NOTES_LIMIT:
        limit = ONE_ON_ONE_NOTES_LIMIT
        raise ValidationError(
            {"text": f"Keep the notes under {limit} characters; they have {len(text)}."}
        )
    saved = OneOnOne.objects.filter(pk=meeting.pk, notes_revision=revision).update(
        shared_notes=text, notes_revision=F("notes_revision") + 1
    )
    meeting.refresh_from_db(fields=["shared_notes", "notes_revision"])
    if not saved:
        raise StaleNotes(meeting)
    return meeting


def do_save_private_note(user: Any, meeting: OneOnOne, *, text: str) -> PrivateNote:
    """The writer's own note on a 1:1: nobody else ever reads it, admins included."""
    if not visibility.is_participant(user, meeting.series):
        raise PermissionDenied("Private notes are for the two people in the 1:1.")
    text = str(text or "")
    if len(text) > ONE_ON_ONE_NOTES_LIMIT:
        limit = ONE_ON_ONE_NOTES_LIMIT
        raise ValidationError(
            {"text": f"Keep the note under {limit} characters; it has {len(text)}."}
        )
    try:
        with transaction.atomic():
            note, _ = PrivateNote.objects.update_or_create(
                meeting=meeting, author=user, defaults={"text": text}
            )
    except IntegrityError:  # the same author saved twice at once: the later save wins
        note = PrivateNote.objects.get(meeting=meeting, author=user)
        note.text = text
        note.save(update_fields=["text", "updated_at"])
    return note


def do_add_action(
    user: Any,
    meeting: OneOnOne,
    *,
    owner: Person,
    text: str,
    due_date: datetime.date | None = None,
) -> ActionItem:
    """An action item raised in a 1:1, owned by one of its two people."""
    series = meeting.series
    check_edit_meetings(user, series)
    cleaned = _one_on_one_text(text, what="action")
    if owner.pk not in (series.lead_id, series.report_id):
        raise ValidationError(
            {
                "owner": f"An action is owned by {series.lead.name} or {series.report.name}, "
                "the two people in this 1:1."
            }
        )
    if due_date is not None:
        _one_on_one_date(due_date, "due_date")
        if due_date < meeting.date:
            raise ValidationError(
                {"due_date": f"The due date is before this 1:1 ({meeting.date:%Y-%m-%d})."}
            )
    return ActionItem.objects.create(
        series=series, raised_in=meeting, owner=owner, text=cleaned, due_date=due_date
    )


ACTION_STATUS_WORDS = {"reopen": ActionItem.Status.OPEN}


def do_set_action_status(user: Any, action: ActionItem, status: str) -> ActionItem:
    """Done, dropped, or open again (`"reopen"` is accepted for open)."""
    check_edit_meetings(user, action.series)
    status = ACTION_STATUS_WORDS.get(status, status)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": "Choose done, dropped or reopen."})
    if action.status != status:
        action.status = status
        action.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
        action.save(update_fields=["status", "closed_at"])
    return action


def do_check_in_at_one_on_one(
    user: Any,
    meeting: OneOnOne,
    goal: Goal,
    *,
    status: str,
    note: str = "",
    evidence_url: str = "",
) -> CheckIn:
    """A goal check-in recorded from the 1:1 page, dated the day of the 1:1 (never later
    than today) and linked to it. The plans section decides who may check in."""
    series = meeting.series
    if goal.plan.person_id != series.report_id:
        raise ValidationError(f"That goal is not on one of {series.report.name}'s plans.")
    if meeting.status == OneOnOne.Status.CANCELLED:
        raise ValidationError("This 1:1 was cancelled: record the check-in in the next one.")
    return do_check_in(
        user,
        goal,
        date=min(meeting.date, timezone.localdate()),
        status=status,
        note=note,
        evidence_url=evidence_url,
        one_on_one=meeting,
    )


# (end of 1:1s section)

# ---------------------------------------------------------------------------------------
# Communities of practice and book clubs
# ---------------------------------------------------------------------------------------

COMMUNITY_REFUSED = (
    "Only admins and managers create communities and their sessions. Ask one of them to set it up."
)
ATTENDANCE_REFUSED = (
    "Only admins, managers, the community's organizer and the session's facilitator "
    "record attendance."
)


def _community_text(value: str, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"{label} cannot be empty."})
    if len(text) > max_length:
        raise ValidationError(
            {field: f"{label} is {len(text)} characters long; keep it to {max_length}."}
        )
    return text


def _community_person_active(person: Person | None, field: str, role: str) -> None:
    if person is not None and not person.active:
        raise ValidationError(
            {field: f"{person.name} has left the organization; choose someone active as {role}."}
        )


def check_community(
    *,
    name: str,
    kind: str,
    description: str = "",
    book: str = "",
    organizer: Person | None = None,
) -> dict[str, Any]:
    """A new community's fields, cleaned; a ValidationError names the field at fault."""
    name = _community_text(name, "name", "The name", Community._meta.get_field("name").max_length)
    if kind not in Community.Kind.values:
        choices = ", ".join(Community.Kind.values)
        raise ValidationError(
            {"kind": f"'{kind}' is not a kind of community; use one of {choices}."}
        )
    book = (book or "").strip()
    if kind == Community.Kind.BOOK_CLUB:
        book = _community_text(book, "book", "A book club's book", 300)
    elif book:
        raise ValidationError(
            {
                "book": "Only a book club reads a book; leave the book empty for a "
                "community of practice."
            }
        )
    if Community.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"A community named “{name}” already exists."})
    _community_person_active(organizer, "organizer", "organizer")
    return {
        "name": name,
        "kind": kind,
        "description": (description or "").strip(),
        "book": book,
        "organizer": organizer,
    }


def do_create_community(
    user: Any,
    *,
    name: str,
    kind: str = Community.Kind.COMMUNITY,
    description: str = "",
    book: str = "",
    organizer: Person | None = None,
) -> Community:
    if not visibility.can_manage_communities(user):
        raise PermissionDenied(COMMUNITY_REFUSED)
    fields = check_community(
        name=name, kind=kind, description=description, book=book, organizer=organizer
    )
    try:
        with transaction.atomic():
            return Community.objects.create(**fields)
    except IntegrityError:  # created by someone else a moment ago
        raise ValidationError(
            {"name": f"A community named “{fields['name']}” already exists."}
        ) from None


def check_session(
    community: Community, *, date: datetime.date, topic: str, facilitator: Person | None = None
) -> dict[str, Any]:
    if not isinstance(date, datetime.date):
        raise ValidationError({"date": "Give the session's date as YYYY-MM-DD."})
    topic = _community_text(
        topic, "topic", "The topic", CommunitySession._meta.get_field("topic").max_length
    )
    _community_person_active(facilitator, "facilitator", "facilitator")
    if community.sessions.filter(date=date, topic__iexact=topic).exists():
        raise ValidationError(
            {"topic": f"{community.name} already has a session on {date:%Y-%m-%d} about “{topic}”."}
        )
    return {"date": date, "topic": topic, "facilitator": facilitator}


def do_add_session(
    user: Any,
    community: Community,
    *,
    date: datetime.date,
    topic: str,
    facilitator: Person | None = None,
) -> CommunitySession:
    """A session, past or planned: logging one after the fact is allowed."""
    if not visibility.can_manage_communities(user):
        raise PermissionDenied(COMMUNITY_REFUSED)
    fields = check_session(community, date=date, topic=topic, facilitator=facilitator)
    return CommunitySession.objects.create(community=community, **fields)


def check_attendance(user: Any, session: CommunitySession) -> None:
    if not visibility.can_record_attendance(user, session):
        raise PermissionDenied(ATTENDANCE_REFUSED)
    if session.date > timezone.localdate():
        raise ValidationError(
            f"This session is planned for {session.date:%Y-%m-%d}; record who came once it "
            "has taken place."
        )


def do_set_attendance(user: Any, session: CommunitySession, people: Iterable[Person]) -> int:
    """Replace who attended with exactly `people`, in one transaction; returns how many."""
    check_attendance(user, session)
    wanted = {person.pk for person in people}
    if None in wanted or Person.objects.filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError("Every attendee must be a person in the organization.")
    with transaction.atomic():
        session.attendance.exclude(person_id__in=wanted).delete()
        Attendance.objects.bulk_create(
            [Attendance(session=session, person_id=pk) for pk in sorted(wanted)],
            ignore_conflicts=True,
        )
    return len(wanted)


def do_add_attendee(user: Any, session: CommunitySession, person: Person) -> bool:
    """Mark one person present; False when they already were (a double click is harmless)."""
    check_attendance(user, session)
    try:
        with transaction.atomic():
            _, created = Attendance.objects.get_or_create(session=session, person=person)
    except IntegrityError:  # the same click arrived twice at once
        created = False
    return created


def do_remove_attendee(user: Any, session: CommunitySession, person: Person) -> bool:
    """Mark one person absent; False when they were not marked present."""
    check_attendance(user, session)
    deleted, _ = session.attendance.filter(person=person).delete()
    return bool(deleted)


# (end of communities section)


# ---------------------------------------------------------------------------------------
# Practice library
# ---------------------------------------------------------------------------------------

PRACTICE_EDIT_REFUSED = (
    "Only an admin can change the practice library. Suggest a practice to your head of "
    "product, or write your own on a goal of your coaching plan."
)


def do_load_builtin_practices() -> int:
    """Add the shipped practices productops does not have yet; returns how many it added.

    A shipped practice is recognized by its competency key and its shipped title (kept
    when an admin renames it), or by a practice of that key with the same title. Loading
    again therefore writes nothing, and a practice an admin edited, renamed or
    deactivated stays as they left it; a newer release adds only its new practices. Two
    queries whatever the size of the library. Raises `practices.InvalidLibrary`.
    """
    library = practices.builtin_library()
    have: set[tuple[str, str]] = set()
    for key, title, shipped in Practice.objects.values_list(
        "competency_key", "title", "shipped_title"
    ):
        have.add((key, practices.title_identity(title)))
        if shipped:
            have.add((key, practices.title_identity(shipped)))
    missing = [
        Practice(
            competency_key=entry.competency_key,
            title=entry.title,
            description=entry.description,
            kind=entry.kind,
            effort=entry.effort,
            built_in=True,
            shipped_title=entry.title,
        )
        for entry in library
        if (entry.competency_key, practices.title_identity(entry.title)) not in have
    ]
    # A second loader racing this one adds the same rows: the unique title wins, quietly.
    Practice.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def check_save_practice(
    user: Any,
    practice: Practice | None,
    *,
    competency_key: str | None = None,
    title: str | None = None,
    description: str | None = None,
    kind: str | None = None,
    effort: str | None = None,
) -> dict[str, str]:
    """Authorize and validate a new practice or a change; returns the cleaned fields.

    A field left out keeps its current value (a new practice: no description, medium
    effort). Raises PermissionDenied, or ValidationError with a sentence per field.
    """
    if not visibility.can_edit_practices(user):
        raise PermissionDenied(PRACTICE_EDIT_REFUSED)

    def given(value: str | None, current: str) -> str:
        return current if value is None else " ".join(str(value).split())

    fields = {
        "competency_key": given(competency_key, practice.competency_key if practice else ""),
        "title": given(title, practice.title if practice else ""),
        "description": (
            str(description).strip()
            if description is not None
            else (practice.description if practice else "")
        ),
        "kind": given(kind, practice.kind if practice else ""),
        "effort": given(effort, practice.effort if practice else Effort.MEDIUM),
    }
    known = practices.known_competency_keys(practices.competency_catalog())
    if practice is not None:
        known.add(practice.competency_key)  # a key whose model was since replaced stays valid
    problems = practices.practice_problems(known_keys=known, **fields)
    if (
        practice is not None
        and practice.built_in
        and fields["competency_key"] != practice.competency_key
    ):
        problems["competency_key"] = (
            "A practice that ships with productops stays with its competency, so reloading the "
            "library recognizes it. Add a practice of your own for the other competency."
        )
    if "title" not in problems and "competency_key" not in problems:
        others = Practice.objects.filter(competency_key=fields["competency_key"])
        if practice is not None:
            others = others.exclude(pk=practice.pk)
        for other in others.only("title"):
            if practices.same_title(other.title, fields["title"]):
                problems["title"] = (
                    f"{fields['competency_key']} already has a practice called “{other.title}”; "
                    "edit that one, or give this one a title of its own."
                )
                break
    if problems:
        raise ValidationError(problems)
    return fields


def do_save_practice(
    user: Any,
    practice: Practice | None,
    *,
    competency_key: str | None = None,
    title: str | None = None,
    description: str | None = None,
    kind: str | None = None,
    effort: str | None = None,
) -> Practice:
    """Add a practice (None) or change one; an edited built-in keeps its shipped title.

    The shipped title is how a reload of the library recognizes the row, so an admin's
    edit is never undone and a renamed practice is not added back.
    """
    with transaction.atomic():
        fields = check_save_practice(
            user,
            practice,
            competency_key=competency_key,
            title=title,
            description=description,
            kind=kind,
            effort=effort,
        )
        target = practice if practice is not None else Practice(built_in=False)
        for name, value in fields.items():
            setattr(target, name, value)
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError:
            raise ValidationError(
                {"title": "Someone just saved a practice with this title; choose another."}
            ) from None
    return target


def do_set_practice_active(user: Any, practice: Practice, active: bool) -> Practice:
    """Deactivate a practice (hidden from everyone but admins, no longer suggested) or back.

    Goals that already name the practice keep it.
    """
    if not visibility.can_edit_practices(user):
        raise PermissionDenied(PRACTICE_EDIT_REFUSED)
    if practice.active != active:
        practice.active = active
        practice.save(update_fields=["active"])
    return practice


# (end of practice library section)
