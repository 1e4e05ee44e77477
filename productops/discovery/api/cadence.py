"""Cadence API: every team's weeks with a customer touchpoint, or one team's.

Cadence is an aggregate: every logged-in role reads it for every team, viewers included.
`?start=&end=` pick the period (dates); the default is the last 12 full ISO weeks plus
the current week up to today. A start after the end answers 422.

No `from __future__ import annotations` here: django-ninja reads the annotations.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from productops.discovery import visibility
from productops.discovery.cadence import TeamCadence, load_cadence
from productops.org.models import Team

router = Router(tags=["discovery: cadence"])


class CadenceWeekOut(Schema):
    monday: date
    iso_week: str = Field(description="ISO year and week, e.g. 2020-W53")
    count: int = Field(description="Customer touchpoints by the team in the week")


class CadenceOut(Schema):
    team_id: int
    team_name: str
    start: date
    end: date
    weeks: list[CadenceWeekOut]
    counted_weeks: int
    week_count: int
    weekly_share: float = Field(description="counted_weeks / week_count")
    current_streak: int
    longest_streak: int
    trio_share: float | None = Field(description="Touchpoints with PM, design and engineering")
    touchpoints: int
    customers: int
    last_date: date | None
    silent: bool = Field(description="No customer touchpoint by the team in 28 days up to end")


class CadencePeriod(Schema):
    start: date | None = None
    end: date | None = None


def _load(user: Any, team_ids: list[int] | None, period: CadencePeriod) -> list[TeamCadence]:
    if not visibility.sees_cadence(user):
        raise HttpError(403, "Log in to read discovery cadence.")
    try:
        return load_cadence(team_ids, start=period.start, end=period.end)
    except ValueError as problem:
        raise HttpError(422, str(problem)) from None


@router.get("/cadence", response=list[CadenceOut], summary="Every team's cadence, by name")
def all_cadence(request: HttpRequest, period: Query[CadencePeriod]):
    return [cadence.as_dict() for cadence in _load(request.user, None, period)]


@router.get("/teams/{team_id}/cadence", response=CadenceOut, summary="One team's cadence")
def team_cadence(request: HttpRequest, team_id: int, period: Query[CadencePeriod]):
    if not Team.objects.filter(pk=team_id).exists():
        raise HttpError(404, f"No team has the id {team_id}")
    return _load(request.user, [team_id], period)[0].as_dict()
