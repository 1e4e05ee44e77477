"""Organization API: the same domain calls and visibility rules as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters (`Query[...]`) at import time and needs them evaluated.
"""

from dataclasses import asdict

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from productops.org import visibility
from productops.org.audit import RULES, AuditThresholds, run_org_audit
from productops.org.directory import filter_people
from productops.org.models import Discipline, Person, Team, TeamMembership
from productops.org.schemas import AuditOut, PersonOut, TeamDetailOut, TeamOut

router = Router(tags=["organization"])

AGGREGATES_ONLY = "Your role sees aggregates only; this route lists people by name."


def _require_names(request: HttpRequest) -> None:
    if not visibility.sees_names(request.user):
        raise HttpError(403, AGGREGATES_ONLY)


class PeopleFilters(Schema):
    q: str = ""
    discipline: Discipline | None = None
    team: int | None = None
    status: str = "active"


class AuditParams(Schema):
    span_warn: int | None = Field(None, ge=1)
    span_critical: int | None = Field(None, ge=1)
    max_chain_depth: int | None = Field(None, ge=1)
    max_teams_per_pm: int | None = Field(None, ge=1)


class Pages(PageNumberPagination):
    page_size = 50


@router.get("/people", response=list[PersonOut], summary="People you may see")
@paginate(Pages)
def list_people(request: HttpRequest, filters: Query[PeopleFilters]):
    _require_names(request)
    people = filter_people(
        visibility.visible_people(request.user),
        q=filters.q,
        discipline=filters.discipline.value if filters.discipline else "",
        team_id=filters.team,
        status=filters.status,
    )
    return people.select_related("manager").order_by("name", "pk")


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int):
    person = get_object_or_404(Person.objects.select_related("manager"), pk=person_id)
    if not visibility.can_see_person(request.user, person):
        raise HttpError(404, "No such person")
    return person


@router.get("/teams", response=list[TeamOut], summary="Teams you may see")
@paginate(Pages)
def list_teams(request: HttpRequest):
    _require_names(request)
    return visibility.visible_teams(request.user).select_related("parent").order_by("name")


@router.get("/teams/{team_id}", response=TeamDetailOut)
def get_team(request: HttpRequest, team_id: int):
    memberships = TeamMembership.objects.select_related("person").order_by("person__name")
    team = get_object_or_404(
        Team.objects.select_related("parent").prefetch_related(
            Prefetch("memberships", memberships)
        ),
        pk=team_id,
    )
    if not visibility.can_see_team(request.user, team):
        raise HttpError(404, "No such team")
    return {
        "id": team.pk,
        "name": team.name,
        "mission": team.mission,
        "product_area": team.product_area,
        "parent": team.parent,
        "members": [{"person": m.person, "role": m.role} for m in team.memberships.all()],
    }


@router.get("/audit", response=AuditOut, summary="The org audit, as far as your role may see")
def org_audit(request: HttpRequest, params: Query[AuditParams]):
    try:
        thresholds = AuditThresholds.from_settings(**params.dict())
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    seen = visibility.visible_audit(request.user, run_org_audit(thresholds))
    return {
        "scope": seen["scope"],
        "thresholds": asdict(thresholds),
        "counts": seen["counts"],
        "findings": [
            {**asdict(f), "severity": str(f.severity), "rule_title": RULES.get(f.rule, f.rule)}
            for f in seen["findings"]
        ],
        "spans": [
            {**asdict(s), "severity": str(s.severity) if s.severity else None}
            for s in seen["spans"]
        ],
    }
