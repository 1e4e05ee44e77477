"""Coaching plan pages: the list, drafting from gaps, a plan with its goals and check-ins.

Thin: parse the request, ask `coaching.visibility`, call the actions, render what
`coaching.plans` works out. A plan or goal the user may not see answers 404 (not
confirming it exists); an edit the user's role may not make answers 403 with the
action's sentence; bad input comes back as a message on the plan page. Check-ins are
added with htmx: the goal's history is swapped in without a reload.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from productops.coaching import plans, visibility
from productops.coaching.actions import (
    check_edit_goals,
    check_manage_plan,
    do_add_coach,
    do_add_goal,
    do_check_in,
    do_draft_plan,
    do_remove_coach,
    do_set_goal_status,
    do_set_plan_status,
    do_swap_goal,
    do_update_goal,
)
from productops.coaching.forms.plans import (
    CheckInForm,
    DraftPlanForm,
    GoalAddForm,
    GoalStatusForm,
    GoalSwapForm,
    GoalUpdateForm,
    PlanFilterForm,
    PlanStatusForm,
    step_choices,
)
from productops.coaching.models import CoachingPlan, Goal
from productops.competencies import gap_data
from productops.competencies.models import AssessmentCycle
from productops.imports.tables import requested_format, table_download
from productops.org import visibility as org_visibility
from productops.org.models import Person

PAGE_SIZE = 50
PLAN_COLUMNS = [
    "Person",
    "Plan",
    "Status",
    "Open goals",
    "Goals",
    "Last check-in",
    "Manager",
]


# -- helpers ------------------------------------------------------------------------------


def _id(raw: str | None) -> int:
    """A posted id, or 0 (which matches nothing) when it is not a sensible whole number."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) <= 12 else 0


def _plan_url(plan_id: int, goal_id: int | None = None) -> str:
    url = reverse("coaching:plan_detail", args=[plan_id])
    return f"{url}#goal-{goal_id}" if goal_id else url


def _form_problems(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label or name.replace('_', ' ').capitalize()}: {problem}"
        if name != "__all__"
        else str(problem)
        for name, problems in form.errors.items()
        for problem in problems
    ]


def _report(request: HttpRequest, error: ValidationError) -> None:
    for sentence in error.messages:
        messages.error(request, sentence)


def _competency_choices(plan: CoachingPlan, taken: set[str]) -> list[tuple[str, str]]:
    return [(c.key, c.name) for c in plans.plan_competencies(plan) if c.key not in taken]


def _open_keys(plan: CoachingPlan) -> set[str]:
    return set(plan.goals.filter(status=Goal.Status.OPEN).values_list("competency_key", flat=True))


def _check_in_form(goal: Goal, data: Any = None) -> CheckInForm:
    return CheckInForm(data, prefix=f"check-in-{goal.pk}", initial={"date": timezone.localdate()})


# -- the list and drafting ----------------------------------------------------------------


def _plan_row(plan: CoachingPlan) -> list[object]:
    return [
        plan.person.name,
        plan.title,
        plan.get_status_display(),
        plan.open_goals,  # type: ignore[attr-defined]
        plan.goal_total,  # type: ignore[attr-defined]
        plan.last_check_in,  # type: ignore[attr-defined]
        plan.manager.name if plan.manager else "",
    ]


@login_required
def plan_list(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    form = PlanFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    shown = plans.plan_list(visibility.visible_plans(user))
    if status:
        shown = shown.filter(status=status)
    download = requested_format(request)
    if download:
        # every plan the filter keeps, not one page of them
        return table_download(download, "coaching-plans", PLAN_COLUMNS, map(_plan_row, shown))
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    people = visibility.people_to_draft_for(user)
    return render(
        request,
        "coaching/plan_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "status": status,
            "draft_form": DraftPlanForm(people=people) if people.exists() else None,
        },
    )


@login_required
@require_POST
def plan_draft(request: HttpRequest) -> HttpResponse:
    """Draft a plan for a person (`person`: an id; `cycle`: an id, default the latest)."""
    person = Person.objects.filter(pk=_id(request.POST.get("person"))).first()
    if person is None or not org_visibility.can_see_person(request.user, person):
        raise Http404("No such person")
    cycle = None
    if request.POST.get("cycle"):
        cycle = (
            AssessmentCycle.objects.select_related("version__model")
            .filter(pk=_id(request.POST["cycle"]))
            .first()
        )
        if cycle is None:
            raise Http404("No such cycle")
    try:
        plan = do_draft_plan(request.user, person, cycle=cycle)
    except ValidationError as error:
        _report(request, error)
        existing = (
            visibility.visible_plans(request.user)
            .filter(
                person=person, status__in=[CoachingPlan.Status.DRAFT, CoachingPlan.Status.ACTIVE]
            )
            .first()
        )
        return redirect(_plan_url(existing.pk) if existing else reverse("coaching:plans"))
    count = plan.goals.count()
    messages.success(
        request,
        f"Drafted a plan for {person.name} with {count} goal{'s' if count != 1 else ''}. "
        "Review the goals, then activate the plan.",
    )
    for note in getattr(plan, "notes", []):
        messages.info(request, note)
    return redirect(_plan_url(plan.pk))


# -- one plan -----------------------------------------------------------------------------


def _goal_rows(
    progress: plans.PlanProgress, choices: list[tuple[str, str]], steps: list[int]
) -> list[dict[str, Any]]:
    """Each goal with the forms its card shows (only rendered for users who may use them)."""
    rows = []
    for item in progress.goals:
        goal = item.goal
        rows.append(
            {
                "progress": item,
                "goal": goal,
                "check_in_form": _check_in_form(goal),
                "update_form": GoalUpdateForm(
                    steps=step_choices(steps, goal.current_step),
                    initial={
                        "target_step": goal.target_step,
                        "target_date": goal.target_date,
                        "custom_practice": goal.custom_practice,
                    },
                    prefix=f"goal-{goal.pk}",
                ),
                "swap_form": GoalSwapForm(competencies=choices, prefix=f"swap-{goal.pk}"),
            }
        )
    return rows


def _plan_context(request: HttpRequest, plan: CoachingPlan) -> dict[str, Any]:
    user = request.user
    today = timezone.localdate()
    progress = plans.load_plan_progress(plan, on=today)
    can_edit = visibility.can_edit_plan(user, plan) and plan.status != CoachingPlan.Status.CLOSED
    steps: list[int] = []
    choices: list[tuple[str, str]] = []
    has_model = True
    if can_edit:
        version = plans.plan_version(plan)
        has_model = version is not None
        if version is not None:
            steps = sorted(version.steps)
            taken = {item.goal.competency_key for item in progress.open_goals}
            choices = [
                (c.key, c.name) for c in gap_data.competency_facts(version.pk) if c.key not in taken
            ]
    rows = _goal_rows(progress, choices, steps)
    return {
        "plan": plan,
        "progress": progress,
        "open_rows": [row for row in rows if not row["goal"].is_closed],
        "closed_rows": [row for row in rows if row["goal"].is_closed],
        "can_edit": can_edit,
        "can_manage": visibility.can_manage_plan(user, plan),
        "can_check_in": visibility.can_check_in(user, plan)
        and plan.status == CoachingPlan.Status.ACTIVE,
        "coaches": list(plan.coaches.select_related("person").order_by("username")),
        "add_form": GoalAddForm(competencies=choices, steps=steps) if choices else None,
        "has_model": has_model,
        "today": today,
    }


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visibility.plan_or_404(request.user, pk)
    return render(request, "coaching/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visibility.plan_or_404(request.user, pk)
    check_manage_plan(request.user, plan)
    form = PlanStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose draft, active or closed.")
        return redirect(_plan_url(plan.pk))
    try:
        do_set_plan_status(request.user, plan, form.cleaned_data["status"])
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, f"The plan is now {plan.get_status_display().lower()}.")
    return redirect(_plan_url(plan.pk))


@login_required
@require_POST
def plan_coaches(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a coach by login name (`username`), or remove one (`remove`: a user id)."""
    plan = visibility.plan_or_404(request.user, pk)
    check_manage_plan(request.user, plan)
    try:
        if "remove" in request.POST:
            coach = plan.coaches.filter(pk=_id(request.POST["remove"])).first()
            if coach is None:
                raise ValidationError("That login is not a coach of this plan.")
            do_remove_coach(request.user, plan, coach)
            messages.success(request, f"{coach.get_username()} no longer coaches this plan.")
        else:
            coach = _login_named(request.POST.get("username", ""))
            do_add_coach(request.user, plan, coach)
            messages.success(
                request, f"{coach.get_username()} now coaches this plan, and sees this plan only."
            )
    except ValidationError as error:
        _report(request, error)
    return redirect(reverse("coaching:plan_detail", args=[plan.pk]) + "#coaches")


def _login_named(raw: str) -> Any:
    name = raw.strip()
    if not name:
        raise ValidationError("Give the login name of the coach.")
    coach = get_user_model().objects.filter(username=name).first()
    if coach is None:
        raise ValidationError(
            f"No login is named “{name}”: check the spelling, or ask an admin to create one."
        )
    return coach


# -- goals --------------------------------------------------------------------------------


def _edit_or_report(request: HttpRequest, plan: CoachingPlan) -> bool:
    """True when the user may change the plan's goals now; else a message (or a 403)."""
    try:
        check_edit_goals(request.user, plan)
    except ValidationError as error:
        _report(request, error)
        return False
    return True


@login_required
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visibility.plan_or_404(request.user, pk)
    if not _edit_or_report(request, plan):
        return redirect(_plan_url(plan.pk))
    version = plans.plan_version(plan)
    form = GoalAddForm(
        request.POST,
        competencies=_competency_choices(plan, _open_keys(plan)),
        steps=sorted(version.steps) if version else [],
    )
    if not form.is_valid():
        for problem in _form_problems(form):
            messages.error(request, problem)
        return redirect(_plan_url(plan.pk))
    try:
        goal = do_add_goal(
            request.user,
            plan,
            competency_key=form.cleaned_data["competency"],
            target_step=form.cleaned_data["target_step"],
            target_date=form.cleaned_data["target_date"],
        )
    except ValidationError as error:
        _report(request, error)
        return redirect(_plan_url(plan.pk))
    messages.success(request, f"Added the goal {goal.competency_name}.")
    return redirect(_plan_url(plan.pk, goal.pk))


@login_required
@require_POST
def goal_swap(request: HttpRequest, pk: int) -> HttpResponse:
    goal = visibility.goal_or_404(request.user, pk)
    plan = goal.plan
    if not _edit_or_report(request, plan):
        return redirect(_plan_url(plan.pk, goal.pk))
    form = GoalSwapForm(
        request.POST,
        competencies=_competency_choices(plan, _open_keys(plan)),
        prefix=f"swap-{goal.pk}",
    )
    if not form.is_valid():
        messages.error(request, "Choose a competency of the plan's model that is not a goal yet.")
        return redirect(_plan_url(plan.pk, goal.pk))
    before = goal.competency_name
    try:
        new = do_swap_goal(request.user, goal, form.cleaned_data["competency"])
    except ValidationError as error:
        _report(request, error)
        return redirect(_plan_url(plan.pk, goal.pk))
    kept = " The old goal stays in the history with its check-ins." if new.pk != goal.pk else ""
    messages.success(request, f"Swapped {before} for {new.competency_name}.{kept}")
    return redirect(_plan_url(plan.pk, new.pk))


@login_required
@require_POST
def goal_update(request: HttpRequest, pk: int) -> HttpResponse:
    goal = visibility.goal_or_404(request.user, pk)
    plan = goal.plan
    if not _edit_or_report(request, plan):
        return redirect(_plan_url(plan.pk, goal.pk))
    version = plans.plan_version(plan)
    form = GoalUpdateForm(
        request.POST,
        steps=step_choices(sorted(version.steps) if version else [], goal.current_step),
        prefix=f"goal-{goal.pk}",
    )
    if not form.is_valid():
        for problem in _form_problems(form):
            messages.error(request, problem)
        return redirect(_plan_url(plan.pk, goal.pk))
    try:
        do_update_goal(
            request.user,
            goal,
            target_step=form.cleaned_data["target_step"],
            target_date=form.cleaned_data["target_date"],
            custom_practice=form.cleaned_data["custom_practice"],
        )
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, f"Saved the goal {goal.competency_name}.")
    return redirect(_plan_url(plan.pk, goal.pk))


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int) -> HttpResponse:
    goal = visibility.goal_or_404(request.user, pk)
    plan = goal.plan
    if not _edit_or_report(request, plan):
        return redirect(_plan_url(plan.pk, goal.pk))
    form = GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose achieved, dropped, or reopen.")
        return redirect(_plan_url(plan.pk, goal.pk))
    try:
        do_set_goal_status(request.user, goal, form.cleaned_data["status"])
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request, f"{goal.competency_name} is now {goal.get_status_display().lower()}."
        )
    return redirect(_plan_url(plan.pk, goal.pk))


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a check-in. With htmx, answer with the goal's history; else go back to the plan."""
    goal = visibility.goal_or_404(request.user, pk)
    plan = goal.plan
    form = _check_in_form(goal, request.POST)
    problems: list[str] = []
    if form.is_valid():
        try:
            do_check_in(
                request.user,
                goal,
                date=form.cleaned_data["date"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                evidence_url=form.cleaned_data["evidence_url"],
            )
        except ValidationError as error:
            problems = list(error.messages)
        else:
            form = _check_in_form(goal)
    else:
        problems = _form_problems(form)
    if not request.headers.get("HX-Request"):
        if problems:
            for problem in problems:
                messages.error(request, problem)
        else:
            messages.success(request, f"Checked in on {goal.competency_name}.")
        return redirect(_plan_url(plan.pk, goal.pk))
    history = plans.goals_with_history(Goal.objects.filter(pk=goal.pk))
    fresh = history.get()
    fresh.plan = plan
    return render(
        request,
        "coaching/plan_detail.html#goal_check_ins",
        {
            "plan": plan,
            "row": {
                "goal": fresh,
                "progress": plans.goal_progress(fresh, on=timezone.localdate()),
                "check_in_form": form,
            },
            "can_check_in": visibility.can_check_in(request.user, plan)
            and plan.status == CoachingPlan.Status.ACTIVE,
            "problems": problems,
            "saved": not problems,
        },
    )
