"""Touchpoints API: list, log, read and delete a team's customer touchpoints.

The same `discovery.visibility` rules and touchpoint actions as the pages: viewers get
403 (touchpoints hold notes; the cadence routes are theirs), a touchpoint or team the
user may not see 404, a refusal 403 with the action's sentence, invalid input 422 (the
handlers in `productops/api.py`).

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. The schemas are in `discovery/schemas/touchpoints.py`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import PageNumberPagination, paginate

from productops.accounts.models import Role
from productops.accounts.roles import Login, role_of
from productops.accounts.visibility import visible_or_404
from productops.discovery import visibility
from productops.discovery.actions import TouchpointInput, do_delete_touchpoint, do_log_touchpoint
from productops.discovery.models import Touchpoint
from productops.discovery.schemas.touchpoints import TouchpointFilter, TouchpointIn, TouchpointOut
from productops.org.models import Team

router = Router(tags=["discovery: touchpoints"])

NOT_FOR_VIEWERS = (
    "Touchpoints hold the team's notes from customers; your role sees the cadence only "
    "(GET /api/discovery/cadence)."
)
PAGE_SIZE = 50


def _require_details(request: HttpRequest) -> None:
    if role_of(request.user) in (None, Role.VIEWER):
        raise PermissionDenied(NOT_FOR_VIEWERS)


def _touchpoint(user: Login, touchpoint_id: int) -> Touchpoint:
    return visible_or_404(
        visibility.visible_touchpoints(user)
        .select_related("team")
        .prefetch_related("participants"),
        "No such touchpoint",
        pk=touchpoint_id,
    )


@router.get(
    "/touchpoints",
    response=list[TouchpointOut],
    summary="The touchpoints you may see, newest first",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_touchpoints(
    request: HttpRequest, filters: Query[TouchpointFilter]
) -> QuerySet[Touchpoint]:
    _require_details(request)
    touchpoints = visibility.visible_touchpoints(request.user)
    if filters.team_id is not None:
        touchpoints = touchpoints.filter(team_id=filters.team_id)
    return (
        touchpoints.select_related("team").prefetch_related("participants").order_by("-date", "-pk")
    )


@router.post("/touchpoints", response={201: TouchpointOut}, summary="Log a touchpoint")
def create_touchpoint(request: HttpRequest, payload: TouchpointIn) -> tuple[int, Touchpoint]:
    _require_details(request)
    team = visible_or_404(
        Team.objects.all(), f"No team has the id {payload.team_id}", pk=payload.team_id
    )
    data = TouchpointInput(
        date=payload.date or timezone.localdate(),
        kind=payload.kind,
        participant_ids=frozenset(payload.participant_ids),
        segment=payload.segment,
        customers=payload.customers,
        notes=payload.notes,
        insights=payload.insights,
    )
    touchpoint = do_log_touchpoint(request.user, team, data)
    if visibility.sees_touchpoints_of(request.user, team):
        return 201, _touchpoint(request.user, touchpoint.pk)
    return 201, touchpoint


@router.get("/touchpoints/{touchpoint_id}", response=TouchpointOut, summary="One touchpoint")
def get_touchpoint(request: HttpRequest, touchpoint_id: int) -> Touchpoint:
    _require_details(request)
    return _touchpoint(request.user, touchpoint_id)


@router.delete("/touchpoints/{touchpoint_id}", response={204: None}, summary="Delete a touchpoint")
def delete_touchpoint(request: HttpRequest, touchpoint_id: int) -> tuple[int, None]:
    _require_details(request)
    do_delete_touchpoint(request.user, _touchpoint(request.user, touchpoint_id))
    return 204, None
