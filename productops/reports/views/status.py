"""The team status pages: thin over `reports.status` and `reports.actions_status`.

/reports/status/ is the leader's page (every team's and every objective's latest update,
stale ones flagged), team/<id>/ a team's history, objective/<id>/ an objective's, <pk>/ one
update with its writer's form and `?format=md`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from productops.accounts.visibility import visible_or_404
from productops.org.models import Team
from productops.reports import visibility
from productops.reports.actions_status import (
    do_edit_status,
    do_generate_objective_status,
    do_generate_status,
    do_share_status,
)
from productops.reports.forms import StatusNoteForm, StatusWeekForm
from productops.reports.status import (
    last_complete_week,
    leader_rows,
    objective_rows,
    status_markdown,
    update_as_dict,
    week_label,
)
from productops.reports.visibility import (
    can_edit_objective_status,
    can_edit_update,
    visible_objective_updates,
)
from productops.strategy import visibility as strategy_visibility
from productops.strategy.models import Objective

PER_PAGE = 12


def _require_reader(request: HttpRequest) -> None:
    if not visibility.sees_status(request.user):
        raise PermissionDenied("Sign in to see the teams' status updates.")


@login_required
def status(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    today = timezone.localdate()
    rows = leader_rows(visibility.visible_status_updates(request.user), today)
    objectives = (
        objective_rows(
            visible_objective_updates(request.user),
            today,
            with_owner=strategy_visibility.sees_names(request.user),
        )
        if strategy_visibility.sees_strategy(request.user)
        else []
    )
    return render(
        request,
        "reports/status_leader.html",
        {
            "rows": rows,
            "objective_rows": objectives,
            "objectives_stale": sum(1 for row in objectives if row["stale"]),
            "last_week": week_label(last_complete_week(today)),
            "stale": sum(1 for row in rows if row["stale"]),
            "editable": visibility.editable_team_ids(request.user),
        },
    )


@login_required
def status_team(request: HttpRequest, team_id: int) -> HttpResponse:
    _require_reader(request)
    team = visible_or_404(Team.objects.all(), "No such team", pk=team_id)
    updates = visibility.visible_status_updates(request.user).filter(team=team)
    page = Paginator(updates.order_by("-week_start", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/status_team.html",
        {
            "team": team,
            "page": page,
            "can_edit": visibility.can_edit_status(request.user, team),
            "week_form": StatusWeekForm(),
            "last_week": week_label(last_complete_week(timezone.localdate())),
        },
    )


@login_required
@require_POST
def status_generate(request: HttpRequest, team_id: int) -> HttpResponse:
    team = visible_or_404(Team.objects.all(), "No such team", pk=team_id)
    form = StatusWeekForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["week"]))
        return redirect("reports:status_team", team.pk)
    monday = form.cleaned_data["week"] or last_complete_week(timezone.localdate())
    try:
        update = do_generate_status(request.user, team, monday)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("reports:status_team", team.pk)
    return redirect("reports:status_detail", update.pk)


def _objective_or_404(request: HttpRequest, objective_id: int) -> Objective:
    if not strategy_visibility.sees_strategy(request.user):
        raise PermissionDenied("Sign in to see the objectives' status updates.")
    return visible_or_404(
        Objective.objects.select_related("owner"), "No such objective", pk=objective_id
    )


@login_required
def status_objective(request: HttpRequest, objective_id: int) -> HttpResponse:
    _require_reader(request)
    objective = _objective_or_404(request, objective_id)
    updates = visible_objective_updates(request.user).filter(objective=objective)
    page = Paginator(updates.order_by("-week_start", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/status_objective.html",
        {
            "objective": objective,
            "owner": objective.owner.name
            if objective.owner and strategy_visibility.sees_names(request.user)
            else "",
            "page": page,
            "can_edit": can_edit_objective_status(request.user, objective),
            "week_form": StatusWeekForm(),
            "last_week": week_label(last_complete_week(timezone.localdate())),
        },
    )


@login_required
@require_POST
def status_objective_generate(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = _objective_or_404(request, objective_id)
    form = StatusWeekForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["week"]))
        return redirect("reports:status_objective", objective.pk)
    monday = form.cleaned_data["week"] or last_complete_week(timezone.localdate())
    try:
        update = do_generate_objective_status(request.user, objective, monday)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("reports:status_objective", objective.pk)
    return redirect("reports:status_detail", update.pk)


@login_required
def status_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    update = visible_or_404(
        (
            visibility.visible_status_updates(request.user)
            | visible_objective_updates(request.user)
        ).select_related("team", "objective"),
        "No such status update, or not one you may see",
        pk=pk,
    )
    can_edit = can_edit_update(request.user, update) and not update.is_shared
    form = StatusNoteForm(
        initial={
            "note": update.note,
            "corrected_health": update.corrected_health,
            "correction_reason": update.correction_reason,
        }
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(
                "This update is shared or not yours to edit: generate a new draft to change it."
            )
        form = StatusNoteForm(request.POST)
        if form.is_valid():
            try:
                if request.POST.get("share"):
                    do_edit_status(request.user, update, **form.cleaned_data)
                    do_share_status(request.user, update)
                    messages.success(request, "Shared: the update is now part of the history.")
                else:
                    do_edit_status(request.user, update, **form.cleaned_data)
                    messages.success(request, "Saved. Share it when it is ready.")
                return redirect("reports:status_detail", update.pk)
            except ValidationError as problem:
                form.add_error(None, problem)
    data = update_as_dict(update, with_items=visibility.sees_items_in_status(request.user))
    if request.GET.get("format") == "md":
        response = HttpResponse(status_markdown(data), content_type="text/markdown; charset=utf-8")
        name = f"status-{update.subject_name}-{update.week}.md".replace(" ", "-").lower()
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "reports/status_objective_detail.html"
        if update.objective_id
        else "reports/status_detail.html",
        {
            "update": update,
            "data": data,
            "form": form,
            "can_edit": can_edit,
            "replaced_by": (
                visibility.visible_status_updates(request.user)
                | visible_objective_updates(request.user)
            )
            .filter(replaces=update)
            .order_by("-pk")
            .first(),
        },
    )
