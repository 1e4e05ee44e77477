"""Cadence API: every team's weeks with a customer touchpoint, or one team's.

Cadence is an aggregate: every logged-in role reads it for every team, viewers included.
`?start=&end=` pick the period (dates); the default is the last 12 full ISO weeks plus
the current week up to today. A start after the end answers 422.

No `from __future__ import annotations` here: django-ninja reads the annotations.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router

from productops.accounts.roles import Login
from productops.accounts.visibility import visible_or_404
from productops.discovery import visibility
from productops.discovery.cadence import TeamCadence, load_cadence
from productops.discovery.schemas.cadence import CadenceOut, CadencePeriod
from productops.org.models import Team

router = Router(tags=["discovery: cadence"])


def _load(user: Login, team_ids: list[int] | None, period: CadencePeriod) -> list[TeamCadence]:
    if not visibility.sees_cadence(user):
        raise PermissionDenied("Log in to read discovery cadence.")
    try:
        return load_cadence(team_ids, start=period.start, end=period.end)
    except ValueError as problem:  # the period: the API's 422, like any invalid input
        raise ValidationError(str(problem)) from None


@router.get("/cadence", response=list[CadenceOut], summary="Every team's cadence, by name")
def all_cadence(request: HttpRequest, period: Query[CadencePeriod]) -> list[dict[str, object]]:
    return [cadence.as_dict() for cadence in _load(request.user, None, period)]


@router.get("/teams/{team_id}/cadence", response=CadenceOut, summary="One team's cadence")
def team_cadence(
    request: HttpRequest, team_id: int, period: Query[CadencePeriod]
) -> dict[str, object]:
    visible_or_404(Team.objects.all(), f"No team has the id {team_id}", pk=team_id)
    return _load(request.user, [team_id], period)[0].as_dict()
