"""Coaching plans API: plans, goals, check-ins and coaches.

The same actions, `coaching.plans` computations and `coaching.visibility` rules as the
pages: a plan or goal the user may not see answers 404, a refusal 403 with the action's
sentence, invalid input (a check-in on a closed goal, say) 422 with the sentence.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time and needs them evaluated. Schemas carry a `Plan`
prefix so their OpenAPI names stay apart from the other areas' schemas.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from productops.accounts.roles import Login
from productops.coaching import plans, visibility
from productops.coaching.actions import (
    do_add_coach,
    do_add_goal,
    do_check_in,
    do_draft_plan,
    do_drop_goal,
    do_remove_coach,
    do_set_goal_status,
    do_set_plan_status,
    do_swap_goal,
    do_update_goal,
)
from productops.coaching.models import CheckIn, CoachingPlan, Goal
from productops.coaching.schemas.plans import (
    PlanCheckInIn,
    PlanCheckInOut,
    PlanCoachIn,
    PlanDetailOut,
    PlanDraftIn,
    PlanGoalIn,
    PlanGoalOut,
    PlanGoalStatusIn,
    PlanGoalUpdateIn,
    PlanListParams,
    PlanOut,
    PlanStatusIn,
    PlanSwapIn,
)
from productops.competencies.models import AssessmentCycle
from productops.org import visibility as org_visibility
from productops.org.models import Person

router = Router(tags=["coaching: plans"])


# -- helpers ------------------------------------------------------------------------------


MAX_ID = 2**63 - 1  # larger ids match nothing, and would overflow the database's integers


def _sane(pk: int) -> int:
    return pk if 0 < pk <= MAX_ID else 0


def _plan(plan: CoachingPlan) -> dict[str, Any]:
    """A plan from `plans.plan_list` (with its counts)."""
    cycle = plan.source_cycle
    return {
        "id": plan.pk,
        "title": plan.title,
        "status": plan.status,
        "person": plan.person,
        "manager": plan.manager,
        "source_cycle": {"id": cycle.pk, "name": cycle.name} if cycle else None,
        "model": plan.model_slug,
        "created_at": plan.created_at,
        "goal_total": plan.goal_total,  # type: ignore[attr-defined]
        "open_goals": plan.open_goals,  # type: ignore[attr-defined]
        "last_check_in": plan.last_check_in,  # type: ignore[attr-defined]
    }


def _author(check_in: CheckIn) -> str | None:
    author = check_in.author
    if author is None:
        return None
    person = getattr(author, "person", None)
    return person.name if person is not None else author.get_username()


def _check_in(check_in: CheckIn) -> dict[str, Any]:
    return {
        "id": check_in.pk,
        "goal_id": check_in.goal_id,
        "date": check_in.date,
        "status": check_in.status,
        "note": check_in.note,
        "evidence_url": check_in.evidence_url,
        "author": _author(check_in),
        "one_on_one_id": check_in.one_on_one_id,
        "created_at": check_in.created_at,
    }


def _goal(progress: plans.GoalProgress) -> dict[str, Any]:
    goal = progress.goal
    return {
        "id": goal.pk,
        "plan_id": goal.plan_id,
        "competency_key": goal.competency_key,
        "competency_name": goal.competency_name,
        "current_step": goal.current_step,
        "target_step": goal.target_step,
        "target_date": goal.target_date,
        "status": goal.status,
        "position": goal.position,
        "closed_at": goal.closed_at,
        "practices": progress.practices,
        "custom_practice": goal.custom_practice,
        "due_reason": progress.due_reason,
        "outcome": progress.outcome.as_dict() if progress.outcome else None,
        "check_ins": [_check_in(check_in) for check_in in progress.check_ins],
    }


def _goal_body(goal: Goal) -> dict[str, Any]:
    """One goal as the detail shows it, freshly loaded with its history and outcome."""
    plan = CoachingPlan.objects.select_related("person", "source_cycle").get(pk=goal.plan_id)
    fresh = plans.goals_with_history(Goal.objects.filter(pk=goal.pk)).get()
    fresh.plan = plan
    outcome = plans.gap_outcomes(plan, [fresh]).get(fresh.pk)
    return _goal(plans.goal_progress(fresh, on=timezone.localdate(), outcome=outcome))


def _detail(user: Login, plan_id: int, notes: list[str] | None = None) -> dict[str, Any]:
    plan = plans.plan_list(CoachingPlan.objects.filter(pk=plan_id)).get()
    progress = plans.load_plan_progress(plan, on=timezone.localdate())
    coaches = plan.coaches.select_related("person").order_by("username")
    return {
        **_plan(plan),
        "goals": [_goal(item) for item in progress.goals],
        "coaches": [
            {
                "id": coach.pk,
                "username": coach.get_username(),
                "name": getattr(getattr(coach, "person", None), "name", None),
            }
            for coach in coaches
        ],
        "later_cycle": progress.later_cycle_name or None,
        "notes": notes or [],
    }


def _coach_named(username: str) -> Any:
    coach = get_user_model().objects.filter(username=username.strip()).first()
    if coach is None:
        raise HttpError(
            422, f"No login is named “{username.strip()}”: check the spelling, or ask an admin."
        )
    return coach


# -- plans --------------------------------------------------------------------------------


@router.get("/plans", response=list[PlanOut], summary="Coaching plans you may see")
@paginate
def list_plans(request: HttpRequest, params: Query[PlanListParams]):
    shown = plans.plan_list(visibility.visible_plans(request.user))
    if params.status:
        if params.status not in CoachingPlan.Status.values:
            raise HttpError(422, "Filter by draft, active or closed.")
        shown = shown.filter(status=params.status)
    return shown


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="A plan with goals and check-ins")
def get_plan(request: HttpRequest, plan_id: int):
    visibility.plan_or_404(request.user, plan_id)
    return _detail(request.user, plan_id)


@router.post(
    "/plans",
    response={201: PlanDetailOut},
    summary="Draft a plan for a person from their latest gaps (the 3 largest become goals)",
)
def draft_plan(request: HttpRequest, payload: PlanDraftIn):
    person = Person.objects.filter(pk=_sane(payload.person_id)).first()
    if person is None or not org_visibility.can_see_person(request.user, person):
        raise Http404("No such person")
    cycle = None
    if payload.cycle_id is not None:
        cycle = (
            AssessmentCycle.objects.select_related("version__model")
            .filter(pk=_sane(payload.cycle_id))
            .first()
        )
        if cycle is None:
            raise HttpError(422, f"No assessment cycle has the id {payload.cycle_id}.")
    plan = do_draft_plan(request.user, person, cycle=cycle)
    return 201, _detail(request.user, plan.pk, notes=getattr(plan, "notes", []))


@router.post(
    "/plans/{plan_id}/status",
    response=PlanDetailOut,
    summary="Activate, close or reopen a plan",
)
def set_plan_status(request: HttpRequest, plan_id: int, payload: PlanStatusIn):
    plan = visibility.plan_or_404(request.user, plan_id)
    do_set_plan_status(request.user, plan, payload.status)
    return _detail(request.user, plan.pk)


@router.post(
    "/plans/{plan_id}/coaches",
    response={201: PlanDetailOut},
    summary="Name a login as coach: they see this plan only",
)
def add_coach(request: HttpRequest, plan_id: int, payload: PlanCoachIn):
    plan = visibility.plan_or_404(request.user, plan_id)
    do_add_coach(request.user, plan, _coach_named(payload.username))
    return 201, _detail(request.user, plan.pk)


@router.delete(
    "/plans/{plan_id}/coaches/{user_id}",
    response=PlanDetailOut,
    summary="Remove a coach: they no longer see the plan",
)
def remove_coach(request: HttpRequest, plan_id: int, user_id: int):
    plan = visibility.plan_or_404(request.user, plan_id)
    coach = plan.coaches.filter(pk=_sane(user_id)).first()
    if coach is None:
        raise Http404("That login is not a coach of this plan.")
    do_remove_coach(request.user, plan, coach)
    return _detail(request.user, plan.pk)


# -- goals --------------------------------------------------------------------------------


@router.post(
    "/plans/{plan_id}/goals",
    response={201: PlanGoalOut},
    summary="Add a goal by hand (current step, target and practices default as when drafting)",
)
def add_goal(request: HttpRequest, plan_id: int, payload: PlanGoalIn):
    plan = visibility.plan_or_404(request.user, plan_id)
    goal = do_add_goal(
        request.user,
        plan,
        competency_key=payload.competency_key,
        target_step=payload.target_step,
        target_date=payload.target_date,
    )
    return 201, _goal_body(goal)


@router.patch(
    "/goals/{goal_id}", response=PlanGoalOut, summary="Change a goal's targets or practices"
)
def update_goal(request: HttpRequest, goal_id: int, payload: PlanGoalUpdateIn):
    goal = visibility.goal_or_404(request.user, goal_id)
    do_update_goal(
        request.user,
        goal,
        target_step=payload.target_step,
        target_date=payload.target_date,
        practice_ids=payload.practice_ids,
        custom_practice=payload.custom_practice,
    )
    return _goal_body(goal)


@router.post(
    "/goals/{goal_id}/swap",
    response=PlanGoalOut,
    summary="Put another competency of the plan's model in this goal's place",
)
def swap_goal(request: HttpRequest, goal_id: int, payload: PlanSwapIn):
    goal = visibility.goal_or_404(request.user, goal_id)
    new = do_swap_goal(request.user, goal, payload.competency_key)
    return _goal_body(new)


@router.post(
    "/goals/{goal_id}/drop",
    response=PlanGoalOut,
    summary="Drop a goal: it stays in the plan's history",
)
def drop_goal(request: HttpRequest, goal_id: int):
    goal = visibility.goal_or_404(request.user, goal_id)
    do_drop_goal(request.user, goal)
    return _goal_body(goal)


@router.post(
    "/goals/{goal_id}/status", response=PlanGoalOut, summary="Mark achieved or dropped, or reopen"
)
def set_goal_status(request: HttpRequest, goal_id: int, payload: PlanGoalStatusIn):
    goal = visibility.goal_or_404(request.user, goal_id)
    do_set_goal_status(request.user, goal, payload.status)
    return _goal_body(goal)


@router.post(
    "/goals/{goal_id}/check-ins",
    response={201: PlanCheckInOut},
    summary="Record a check-in (422 on a closed goal or plan)",
)
def check_in(request: HttpRequest, goal_id: int, payload: PlanCheckInIn):
    goal = visibility.goal_or_404(request.user, goal_id)
    created = do_check_in(
        request.user,
        goal,
        date=payload.date or timezone.localdate(),
        status=payload.status,
        note=payload.note,
        evidence_url=payload.evidence_url,
    )
    created = CheckIn.objects.select_related("author__person").get(pk=created.pk)
    return 201, _check_in(created)
