"""Touchpoints API: list, log, read and delete a team's customer touchpoints.

The same `discovery.visibility` rules and touchpoint actions as the pages: viewers get
403 (touchpoints hold notes; the cadence routes are theirs), a touchpoint or team the
user may not see 404, a refusal 403 with the action's sentence, invalid input 422.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. Schemas carry a `Touchpoint` prefix.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from productops.accounts.models import Role
from productops.accounts.roles import role_of
from productops.discovery import visibility
from productops.discovery.actions import TouchpointInput, do_delete_touchpoint, do_log_touchpoint
from productops.discovery.models import Touchpoint
from productops.org.models import Team
from productops.org.schemas import PersonRef

router = Router(tags=["discovery: touchpoints"])

NOT_FOR_VIEWERS = (
    "Touchpoints hold the team's notes from customers; your role sees the cadence only "
    "(GET /api/discovery/cadence)."
)


PAGE_SIZE = 50


class TouchpointOut(Schema):
    id: int
    team: PersonRef = Field(description="id and name of the team")
    date: dt.date
    kind: str
    kind_label: str
    participants: list[PersonRef]
    segment: str
    customers: int
    notes: str
    insights: str
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(touchpoint: Touchpoint) -> str:
        return str(touchpoint.get_kind_display())

    @staticmethod
    def resolve_participants(touchpoint: Touchpoint) -> list[dict[str, Any]]:
        people = sorted(touchpoint.participants.all(), key=lambda person: (person.name, person.pk))
        return [{"id": person.pk, "name": person.name} for person in people]


class TouchpointIn(Schema):
    team_id: int
    date: dt.date | None = Field(None, description="Default: today")
    kind: str = Field(description="interview, usability_test, prototype_test, ...")
    participant_ids: list[int] = Field(default_factory=list, description="Members of the team")
    segment: str = ""
    customers: int = 1
    notes: str = ""
    insights: str = ""


class TouchpointFilter(Schema):
    team_id: int | None = Field(None, description="Only this team's touchpoints")


def _require_details(request: HttpRequest) -> None:
    if role_of(request.user) in (None, Role.VIEWER):
        raise HttpError(403, NOT_FOR_VIEWERS)


def _touchpoint_or_404(user: Any, touchpoint_id: int) -> Touchpoint:
    touchpoint = (
        visibility.visible_touchpoints(user)
        .select_related("team")
        .prefetch_related("participants")
        .filter(pk=touchpoint_id)
        .first()
    )
    if touchpoint is None:
        raise HttpError(404, "No such touchpoint")
    return touchpoint


@router.get(
    "/touchpoints",
    response=list[TouchpointOut],
    summary="The touchpoints you may see, newest first",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE)
def list_touchpoints(request: HttpRequest, filters: Query[TouchpointFilter]):
    _require_details(request)
    touchpoints = visibility.visible_touchpoints(request.user)
    if filters.team_id is not None:
        touchpoints = touchpoints.filter(team_id=filters.team_id)
    return (
        touchpoints.select_related("team").prefetch_related("participants").order_by("-date", "-pk")
    )


@router.post("/touchpoints", response={201: TouchpointOut}, summary="Log a touchpoint")
def create_touchpoint(request: HttpRequest, payload: TouchpointIn):
    _require_details(request)
    team = Team.objects.filter(pk=payload.team_id).first()
    if team is None:
        raise HttpError(404, f"No team has the id {payload.team_id}")
    data = TouchpointInput(
        date=payload.date or timezone.localdate(),
        kind=payload.kind,
        participant_ids=frozenset(payload.participant_ids),
        segment=payload.segment,
        customers=payload.customers,
        notes=payload.notes,
        insights=payload.insights,
    )
    try:
        touchpoint = do_log_touchpoint(request.user, team, data)
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal)) from None
    except ValidationError as problem:
        raise HttpError(422, " ".join(problem.messages)) from None
    return 201, _touchpoint_or_404(request.user, touchpoint.pk) if visibility.sees_touchpoints_of(
        request.user, team
    ) else touchpoint


@router.get("/touchpoints/{touchpoint_id}", response=TouchpointOut, summary="One touchpoint")
def get_touchpoint(request: HttpRequest, touchpoint_id: int):
    _require_details(request)
    return _touchpoint_or_404(request.user, touchpoint_id)


@router.delete("/touchpoints/{touchpoint_id}", response={204: None}, summary="Delete a touchpoint")
def delete_touchpoint(request: HttpRequest, touchpoint_id: int):
    _require_details(request)
    touchpoint = _touchpoint_or_404(request.user, touchpoint_id)
    try:
        do_delete_touchpoint(request.user, touchpoint)
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal)) from None
    return 204, None
