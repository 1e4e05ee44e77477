"""The team status API: the same domain calls and actions as the pages.

No `from __future__ import annotations`: django-ninja reads route annotations at import.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.pagination import paginate

from productops.accounts.roles import Login
from productops.accounts.visibility import visible_or_404
from productops.org.models import Team
from productops.reports import visibility
from productops.reports.actions_status import (
    do_edit_status,
    do_generate_objective_status,
    do_generate_status,
    do_share_status,
)
from productops.reports.models import StatusUpdate
from productops.reports.schemas.status import (
    StatusEditIn,
    StatusGenerateIn,
    StatusObjectiveRowOut,
    StatusRowOut,
    StatusUpdateOut,
)
from productops.reports.status import (
    last_complete_week,
    leader_rows,
    objective_rows,
    parse_week,
    status_markdown,
    update_as_dict,
)
from productops.reports.visibility import visible_objective_updates
from productops.strategy import visibility as strategy_visibility
from productops.strategy.models import Objective

status_router = Router(tags=["reports"])


def _reader(request: HttpRequest) -> Login:
    if not visibility.sees_status(request.user):
        raise PermissionDenied("Sign in to see the teams' status updates.")
    return request.user


def _out(user: Login, update: StatusUpdate) -> dict[str, Any]:
    data = update_as_dict(update, with_items=visibility.sees_items_in_status(user))
    data["markdown"] = status_markdown(data)
    return data


@status_router.get("", response=list[StatusRowOut])
def latest(request: HttpRequest) -> list[dict[str, Any]]:
    """Every team that builds with its latest update (as the leader's page), stale flagged."""
    user = _reader(request)
    rows = leader_rows(visibility.visible_status_updates(user), timezone.localdate())
    return [
        {
            "team": {"id": row["team"].pk, "name": row["team"].name},
            "health": row["health"],
            "stale": row["stale"],
            "update": _out(user, row["update"]) if row["update"] else None,
        }
        for row in rows
    ]


@status_router.get("/team/{team_id}", response=list[StatusUpdateOut])
@paginate
def team_history(request: HttpRequest, team_id: int) -> list[dict[str, Any]]:
    """A team's updates, newest first."""
    user = _reader(request)
    team = visible_or_404(Team.objects.all(), "No such team", pk=team_id)
    updates = visibility.visible_status_updates(user).filter(team=team).select_related("team")
    return [_out(user, update) for update in updates.order_by("-week_start", "-pk")]


@status_router.post("/team/{team_id}/generate", response=StatusUpdateOut)
def generate(request: HttpRequest, team_id: int, payload: StatusGenerateIn) -> dict[str, Any]:
    """Generate (or refresh) the team's draft for `week` (default: the last complete week)."""
    user = _reader(request)
    team = visible_or_404(Team.objects.all(), "No such team", pk=team_id)
    try:
        monday = parse_week(payload.week) if payload.week.strip() else None
    except ValueError as problem:
        raise ValidationError({"week": str(problem)}) from None
    update = do_generate_status(user, team, monday or last_complete_week(timezone.localdate()))
    return _out(user, update)


def _objective(user: Login, objective_id: int) -> Objective:
    if not strategy_visibility.sees_strategy(user):
        raise PermissionDenied("Sign in to see the objectives' status updates.")
    return visible_or_404(Objective.objects.all(), "No such objective", pk=objective_id)


def _visible(user: Login) -> QuerySet[StatusUpdate]:
    both = visibility.visible_status_updates(user) | visible_objective_updates(user)
    return both.select_related("team", "objective")


def _week(text: str) -> date:
    try:
        monday = parse_week(text) if text.strip() else None
    except ValueError as problem:
        raise ValidationError({"week": str(problem)}) from None
    return monday or last_complete_week(timezone.localdate())


@status_router.get("/objectives", response=list[StatusObjectiveRowOut])
def latest_per_objective(request: HttpRequest) -> list[dict[str, Any]]:
    """Every objective of the last complete week (or with an update), its latest update."""
    user = _reader(request)
    if not strategy_visibility.sees_strategy(user):
        return []
    rows = objective_rows(
        visible_objective_updates(user),
        timezone.localdate(),
        with_owner=strategy_visibility.sees_names(user),
    )
    return [
        {
            "objective": {"id": row["objective"].pk, "title": row["objective"].title},
            "owner": row["owner"] or None,
            "health": row["health"],
            "stale": row["stale"],
            "update": _out(user, row["update"]) if row["update"] else None,
        }
        for row in rows
    ]


@status_router.get("/objective/{objective_id}", response=list[StatusUpdateOut])
@paginate
def objective_history(request: HttpRequest, objective_id: int) -> list[dict[str, Any]]:
    """An objective's updates, newest first."""
    user = _reader(request)
    objective = _objective(user, objective_id)
    updates = visible_objective_updates(user).filter(objective=objective)
    return [
        _out(user, update)
        for update in updates.select_related("objective").order_by("-week_start", "-pk")
    ]


@status_router.post("/objective/{objective_id}/generate", response=StatusUpdateOut)
def generate_objective(
    request: HttpRequest, objective_id: int, payload: StatusGenerateIn
) -> dict[str, Any]:
    """Generate (or refresh) the objective's draft for `week` (default: the last complete)."""
    user = _reader(request)
    objective = _objective(user, objective_id)
    update = do_generate_objective_status(user, objective, _week(payload.week))
    return _out(user, update)


@status_router.get("/{update_id}", response=StatusUpdateOut)
def detail(request: HttpRequest, update_id: int) -> dict[str, Any]:
    """One update, with its Markdown."""
    user = _reader(request)
    update = visible_or_404(_visible(user), "No such status update", pk=update_id)
    return _out(user, update)


@status_router.post("/{update_id}", response=StatusUpdateOut)
def edit(request: HttpRequest, update_id: int, payload: StatusEditIn) -> dict[str, Any]:
    """The PM's paragraph and corrected health (with its reason); `share` shares it."""
    user = _reader(request)
    update = visible_or_404(_visible(user), "No such status update", pk=update_id)
    do_edit_status(
        user,
        update,
        note=update.note if payload.note is None else payload.note,
        corrected_health=(
            update.corrected_health
            if payload.corrected_health is None
            else payload.corrected_health
        ),
        correction_reason=(
            update.correction_reason
            if payload.correction_reason is None
            else payload.correction_reason
        ),
    )
    if payload.share:
        do_share_status(user, update)
    return _out(user, update)
