"""Coaching plans: drafting from gaps, goals, coaches and check-ins."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from productops.accounts.roles import Login, author_of, person_id_of
from productops.coaching import plans, visibility
from productops.coaching.models import (
    CheckIn,
    CoachingPlan,
    Goal,
    OneOnOne,
    Practice,
)
from productops.competencies.models import AssessmentCycle
from productops.org.models import Person

PLAN_STATUS_MOVES = {
    CoachingPlan.Status.DRAFT: {CoachingPlan.Status.ACTIVE, CoachingPlan.Status.CLOSED},
    CoachingPlan.Status.ACTIVE: {CoachingPlan.Status.CLOSED},
    CoachingPlan.Status.CLOSED: {CoachingPlan.Status.ACTIVE},
}
GOAL_STATUS_WORDS = {"reopen": Goal.Status.OPEN}
OPEN_PLAN_STATUSES = (CoachingPlan.Status.DRAFT, CoachingPlan.Status.ACTIVE)


def check_draft_plan(user: Login, person: Person) -> None:
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
    user: Login, person: Person, *, cycle: AssessmentCycle | None = None
) -> CoachingPlan:
    """A draft plan whose goals are the person's top gaps (see `plans.draft_plan`).

    The returned plan carries `notes`: sentences to show when there was nothing (or not
    everything) to draft from.
    """
    today = timezone.localdate()
    try:
        draft = plans.draft_plan(person, today=today, cycle=cycle)
    except LookupError:
        # only a given cycle can hold no answers (`plans.draft_plan`)
        name = cycle.name if cycle is not None else "The cycle"
        raise ValidationError(
            f"{name} holds no submitted answers about {person.name}: choose a cycle they "
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
            created_by=author_of(user),
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


def check_edit_goals(user: Login, plan: CoachingPlan) -> None:
    if not visibility.can_edit_plan(user, plan):
        raise PermissionDenied(
            f"Only {plan.person.name}'s managers, admins and this plan's coaches change its "
            "goals. Raise it at your next 1:1 instead."
        )
    if plan.status == CoachingPlan.Status.CLOSED:
        raise ValidationError("This plan is closed; reopen it before changing its goals.")


def check_manage_plan(user: Login, plan: CoachingPlan) -> None:
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
    user: Login,
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


def do_swap_goal(user: Login, goal: Goal, competency_key: str) -> Goal:
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
    user: Login,
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


def do_set_goal_status(user: Login, goal: Goal, status: str) -> Goal:
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


def do_drop_goal(user: Login, goal: Goal) -> Goal:
    """Drop a goal: it stays in the plan's history with its check-ins."""
    return do_set_goal_status(user, goal, Goal.Status.DROPPED)


def do_set_plan_status(user: Login, plan: CoachingPlan, status: str) -> CoachingPlan:
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


def _login_name(user: Login) -> str:
    return user.get_username()


def do_add_coach(user: Login, plan: CoachingPlan, coach_user: User) -> CoachingPlan:
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


def do_remove_coach(user: Login, plan: CoachingPlan, coach_user: User) -> CoachingPlan:
    """Take a coach off the plan: they no longer see it."""
    check_manage_plan(user, plan)
    if not plan.coaches.filter(pk=coach_user.pk).exists():
        raise ValidationError(f"{_login_name(coach_user)} is not a coach of this plan.")
    plan.coaches.remove(coach_user)
    return plan


def check_check_in(
    user: Login,
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
    user: Login,
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
        author=author_of(user),
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
