"""Teams API: the teams you may see, and one team with its members and their roles.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time and needs them evaluated.
"""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from productops.accounts.visibility import visible_or_404
from productops.org import visibility
from productops.org.models import Team, TeamMembership
from productops.org.schemas.teams import TeamDetailOut, TeamOut

router = Router()


@router.get("/teams", response=list[TeamOut], summary="Teams you may see")
@paginate
def list_teams(request: HttpRequest) -> QuerySet[Team]:
    visibility.require_names(request.user, visibility.AGGREGATES_ONLY_ROUTE)
    return visibility.visible_teams(request.user).select_related("parent").order_by("name")


@router.get("/teams/{team_id}", response=TeamDetailOut)
def get_team(request: HttpRequest, team_id: int) -> dict[str, Any]:
    memberships = TeamMembership.objects.select_related("person").order_by("person__name")
    team = visible_or_404(
        visibility.visible_teams(request.user)
        .select_related("parent")
        .prefetch_related(Prefetch("memberships", memberships)),
        "No such team",
        pk=team_id,
    )
    return {
        "id": team.pk,
        "name": team.name,
        "mission": team.mission,
        "product_area": team.product_area,
        "parent": team.parent,
        "members": [{"person": m.person, "role": m.role} for m in team.memberships.all()],
    }
