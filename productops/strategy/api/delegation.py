"""Delegation board API: the board with recommendations and findings; levels; areas.

The same actions, formula and `strategy.visibility` rules as the pages: every logged-in
role reads the board; admins and managers set levels (`PUT`, `DELETE` on a cell); admins
add, change and remove decision areas. Others get 403 with the action's sentence,
invalid input 422 with a sentence per field, unknown teams and areas 404.

A team's competence number is `null` with `hidden: true` for a user who may not see the
assessment results of the team's PMs, and so is all that follows from it: maturity,
recommended level, distance and finding are `null`, with `recommendation_withheld: true`.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. The schemas live in
`strategy.schemas.delegation`; refusals (403), invalid input (422) and unknown records (404)
are answered by the shared handlers of `productops/api.py`, but for the writes
whose 422 names each field (`api.rejected`).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

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
from productops.strategy.api.rejected import rejected
from productops.strategy.delegation import Board, Cell, load_board
from productops.strategy.models import DELEGATION_LEVELS, DecisionArea
from productops.strategy.schemas.delegation import (
    DelegationAreaChange,
    DelegationAreaIn,
    DelegationAreaOut,
    DelegationBoardOut,
    DelegationCellOut,
    DelegationLevelIn,
    DelegationRejectedOut,
)

router = Router(tags=["strategy: delegation"])


# -- helpers ------------------------------------------------------------------------------


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "team_id": cell.team.pk,
        "area_id": cell.area.pk,
        "level": cell.chosen,
        "recommended": cell.recommended,
        "recommendation_withheld": cell.recommendation_withheld,
        "distance": cell.distance,
        "finding": cell.finding,
        "maturity": cell.maturity_value,
        "parts": cell.why,
    }


def _board(board: Board) -> dict[str, Any]:
    return {
        "levels": [
            {"number": number, "name": name, "meaning": meaning}
            for number, (name, meaning) in DELEGATION_LEVELS.items()
        ],
        "areas": board.areas,
        "teams": [{"id": row.team.pk, "name": row.team.name} for row in board.rows],
        "cells": [_cell(cell) for row in board.rows for cell in row.cells],
        "findings": [_cell(cell) for cell in board.findings],
    }


def _load(request: HttpRequest, teams: list[Team] | None = None) -> Board:
    return load_board(teams, competence_visible=visibility.pm_competence_shown(request.user))


def _require_setter(request: HttpRequest) -> None:
    if not visibility.can_set_delegation(request.user):
        raise PermissionDenied(DELEGATION_REFUSED)


def _require_area_manager(request: HttpRequest) -> None:
    if not visibility.can_manage_areas(request.user):
        raise PermissionDenied(AREAS_REFUSED)


def _require_viewer(request: HttpRequest) -> None:
    if not visibility.sees_strategy(request.user):
        raise PermissionDenied("Your login has no role yet: ask an admin to give you one.")


# -- routes -------------------------------------------------------------------------------


@router.get(
    "/delegation",
    response=DelegationBoardOut,
    summary="The delegation board: levels, recommendations with their parts, findings",
)
def get_board(request: HttpRequest):
    _require_viewer(request)
    return _board(_load(request))


@router.put(
    "/delegation/teams/{team_id}/areas/{area_id}",
    response={200: DelegationCellOut, 422: DelegationRejectedOut},
    summary="Set a team's level in a decision area (admins, managers)",
)
def put_level(request: HttpRequest, team_id: int, area_id: int, payload: DelegationLevelIn):
    _require_setter(request)
    team = get_object_or_404(Team, pk=team_id)
    area = get_object_or_404(DecisionArea, pk=area_id)
    try:
        do_set_delegation(request.user, team, area, payload.level, note=payload.note)
    except ValidationError as problem:
        return 422, rejected(problem)
    return 200, _cell(_load(request, [team]).cell(team.pk, area.pk))


@router.delete(
    "/delegation/teams/{team_id}/areas/{area_id}",
    response={204: None},
    summary="Clear a team's level in a decision area (admins, managers)",
)
def delete_level(request: HttpRequest, team_id: int, area_id: int):
    _require_setter(request)
    team = get_object_or_404(Team, pk=team_id)
    area = get_object_or_404(DecisionArea, pk=area_id)
    do_clear_delegation(request.user, team, area)
    return 204, None


@router.get("/delegation/areas", response=list[DelegationAreaOut], summary="Decision areas")
def list_areas(request: HttpRequest):
    _require_viewer(request)
    return DecisionArea.objects.order_by("name", "pk")


@router.post(
    "/delegation/areas/suggested",
    response={201: list[DelegationAreaOut]},
    summary="Add the suggested decision areas the board does not have yet (admins)",
)
def add_suggested_areas(request: HttpRequest):
    _require_area_manager(request)
    return 201, do_add_suggested_areas(request.user)


@router.get("/delegation/areas/{area_id}", response=DelegationAreaOut, summary="One decision area")
def get_area(request: HttpRequest, area_id: int):
    _require_viewer(request)
    return get_object_or_404(DecisionArea, pk=area_id)


@router.post(
    "/delegation/areas",
    response={201: DelegationAreaOut, 422: DelegationRejectedOut},
    summary="Add a decision area (admins)",
)
def add_area(request: HttpRequest, payload: DelegationAreaIn):
    _require_area_manager(request)
    try:
        area = do_save_area(request.user, None, **payload.model_dump())
    except ValidationError as problem:
        return 422, rejected(problem)
    return 201, area


@router.put(
    "/delegation/areas/{area_id}",
    response={200: DelegationAreaOut, 422: DelegationRejectedOut},
    summary="Change a decision area (admins); fields left out keep their value",
)
def change_area(request: HttpRequest, area_id: int, payload: DelegationAreaChange):
    _require_area_manager(request)
    area = get_object_or_404(DecisionArea, pk=area_id)
    fields = {
        "name": area.name,
        "description": area.description,
        "difficulty": area.difficulty,
        **{key: value for key, value in payload.model_dump().items() if value is not None},
    }
    try:
        area = do_save_area(request.user, area, **fields)
    except ValidationError as problem:
        return 422, rejected(problem)
    return 200, area


@router.delete(
    "/delegation/areas/{area_id}",
    response={204: None},
    summary="Remove a decision area and every team's level in it (admins)",
)
def delete_area(request: HttpRequest, area_id: int):
    _require_area_manager(request)
    do_delete_area(request.user, get_object_or_404(DecisionArea, pk=area_id))
    return 204, None
