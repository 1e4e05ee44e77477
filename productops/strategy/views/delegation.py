"""The delegation board: teams × decision areas, the chosen level, the recommended one.

Thin: `strategy.visibility` decides, `strategy.delegation` computes, the actions write.
Every logged-in user sees the board; admins and managers set levels in place (an htmx
select that saves on change, or the cell's Save button without JavaScript); admins
manage the decision areas. The board costs a fixed number of queries per page of teams.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from productops.imports.tables import requested_format, table_download
from productops.org.models import Team
from productops.strategy import visibility
from productops.strategy.actions import (
    AREAS_REFUSED,
    DELEGATION_REFUSED,
    do_add_suggested_areas,
    do_clear_delegation,
    do_delete_area,
    do_save_area,
    do_set_delegation,
)
from productops.strategy.delegation import (
    FINDING_MEANINGS,
    SUGGESTED_AREAS,
    Board,
    board_teams,
    load_board,
)
from productops.strategy.forms import LEVEL_CHOICES, AreaForm, LevelForm, add_errors
from productops.strategy.models import DELEGATION_LEVELS, DecisionArea, Delegation

PAGE_SIZE = 50


def _levels() -> list[dict[str, Any]]:
    return [
        {"number": number, "name": name, "meaning": meaning}
        for number, (name, meaning) in DELEGATION_LEVELS.items()
    ]


def _page_of_teams(request: HttpRequest) -> Page:
    teams = board_teams()
    return Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page") or request.POST.get("page"))


def _board(request: HttpRequest, page: Page) -> Board:
    """The rows of this page of teams; the findings (`all_findings`) over every team."""
    every = load_board(
        list(board_teams()), competence_visible=visibility.pm_competence_shown(request.user)
    )
    on_page = {team.pk for team in page.object_list}
    shown = Board(areas=every.areas, rows=[row for row in every.rows if row.team.pk in on_page])
    shown.all_findings = every.findings
    return shown


def _context(request: HttpRequest, page: Page, board: Board) -> dict[str, Any]:
    return {
        "board": board,
        "page": page,
        "levels": _levels(),
        "level_choices": LEVEL_CHOICES,
        "can_set": visibility.can_set_delegation(request.user),
        "can_manage_areas": visibility.can_manage_areas(request.user),
        "suggested": SUGGESTED_AREAS,
        "meanings": FINDING_MEANINGS,
        "levels_set": Delegation.objects.exists(),
    }


def _board_download(format: str, table: str, board: Board) -> HttpResponseBase:
    """The grid (a row per team, the chosen and the recommended level per area), or its
    findings. A recommendation the page withholds (it would tell a PM's competence) is
    an empty cell here too."""
    if table == "findings":
        header = ["Team", "Decision area", "Chosen", "Recommended", "Finding", "Meaning"]
        findings = [
            [
                cell.team.name,
                cell.area.name,
                cell.chosen,
                cell.recommended,
                cell.finding or "",
                cell.finding_meaning,
            ]
            for cell in board.findings
        ]
        return table_download(format, "delegation-findings", header, findings)
    header = ["Team"]
    for area in board.areas:
        header += [f"{area.name}: chosen", f"{area.name}: recommended"]
    rows = []
    for row in board.rows:
        cells: list[Any] = [row.team.name]
        for cell in row.cells:
            cells += [cell.chosen, cell.recommended]
        rows.append(cells)
    return table_download(format, "delegation-board", header, rows)


@login_required
def board(request: HttpRequest) -> HttpResponseBase:
    if not visibility.sees_strategy(request.user):
        raise PermissionDenied("Your login has no role yet: ask an admin to give you one.")
    download = requested_format(request)
    if download:
        # every team on the board, not one page of them
        every = load_board(
            list(board_teams()), competence_visible=visibility.pm_competence_shown(request.user)
        )
        return _board_download(download, request.GET.get("table", ""), every)
    page = _page_of_teams(request)
    return render(
        request, "strategy/delegation_board.html", _context(request, page, _board(request, page))
    )


@login_required
@require_POST
def set_level(request: HttpRequest, team_id: int, area_id: int) -> HttpResponse:
    if not visibility.can_set_delegation(request.user):
        raise PermissionDenied(DELEGATION_REFUSED)
    team = get_object_or_404(Team, pk=team_id)
    area = get_object_or_404(DecisionArea, pk=area_id)
    form = LevelForm(request.POST)
    error = ""
    if not form.is_valid():
        error = (
            f"“{request.POST.get('level', '')}” is not a delegation level: choose one "
            "from 1 (Tell) to 7 (Delegate), or “Not set”."
        )
    else:
        try:
            if form.cleaned_data["level"]:
                do_set_delegation(request.user, team, area, form.cleaned_data["level"])
            else:
                do_clear_delegation(request.user, team, area)
        except ValidationError as problem:
            error = " ".join(problem.messages)
    htmx = bool(request.headers.get("HX-Request"))
    if not htmx:
        if error:
            messages.error(request, f"{team} / {area}: {error}")
        else:
            messages.success(request, f"Saved the level of {team} in “{area}”.")
        back = request.POST.get("page")
        url = reverse("strategy:delegation")
        return redirect(f"{url}?page={back}" if back else url)
    page = _page_of_teams(request)
    context = _context(request, page, _board(request, page))
    context["cell"] = context["board"].cell(team.pk, area.pk)
    context["error"] = error
    return render(
        request, "strategy/delegation_board.html#cell_update", context, status=422 if error else 200
    )


# -- decision areas (admins) --------------------------------------------------------------


def _require_area_manager(request: HttpRequest) -> None:
    if not visibility.can_manage_areas(request.user):
        raise PermissionDenied(AREAS_REFUSED)


def _area_form(request: HttpRequest, area: DecisionArea | None) -> HttpResponse:
    _require_area_manager(request)
    initial = (
        {"name": area.name, "description": area.description, "difficulty": area.difficulty}
        if area
        else {}
    )
    form = AreaForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            saved = do_save_area(request.user, area, **form.cleaned_data)
        except ValidationError as problem:
            add_errors(form, problem)
        else:
            verb = "Added" if area is None else "Saved"
            messages.success(request, f"{verb} the decision area “{saved.name}”.")
            return redirect("strategy:delegation_areas")
    return render(request, "strategy/delegation_area_form.html", {"form": form, "area": area})


@login_required
def areas(request: HttpRequest) -> HttpResponseBase:
    _require_area_manager(request)
    listed = DecisionArea.objects.order_by("name", "pk")
    download = requested_format(request)
    if download:
        header = ["Name", "Difficulty", "Description"]
        rows = ([a.name, a.get_difficulty_display(), a.description] for a in listed)
        return table_download(download, "decision-areas", header, rows)
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    have = {name.casefold() for name in DecisionArea.objects.values_list("name", flat=True)}
    missing = [entry for entry in SUGGESTED_AREAS if entry[0].casefold() not in have]
    return render(
        request,
        "strategy/delegation_areas.html",
        {"page": page, "suggested": missing, "form": AreaForm()},
    )


@login_required
def area_new(request: HttpRequest) -> HttpResponse:
    return _area_form(request, None)


@login_required
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_area_manager(request)
    return _area_form(request, get_object_or_404(DecisionArea, pk=pk))


@login_required
def area_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_area_manager(request)
    area = get_object_or_404(DecisionArea, pk=pk)
    if request.method == "POST":
        removed = do_delete_area(request.user, area)
        messages.success(
            request,
            f"Removed “{area.name}” and the {removed} team level{'s' if removed != 1 else ''} "
            "set in it.",
        )
        return redirect("strategy:delegation_areas")
    return render(
        request,
        "strategy/delegation_area_delete.html",
        {"area": area, "levels": area.delegations.count()},
    )


@login_required
@require_POST
def add_suggested(request: HttpRequest) -> HttpResponse:
    _require_area_manager(request)
    added = do_add_suggested_areas(request.user)
    if added:
        messages.success(
            request,
            f"Added {len(added)} suggested decision area{'s' if len(added) != 1 else ''}: "
            "rename, change or remove them to fit your organization.",
        )
    else:
        messages.info(request, "Every suggested decision area is on the board already.")
    back = "areas" if request.POST.get("next") == "areas" else ""
    return redirect(f"strategy:delegation_{back}" if back else "strategy:delegation")
