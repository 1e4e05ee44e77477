"""Teams: the list with each team's trio, and one team's page."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from productops.org import visibility
from productops.org.audit import RULES
from productops.org.directory import PAGE_SIZE
from productops.org.models import Person, Team, TeamMembership, TeamRole
from productops.org.team_page import team_sections


def _trio(memberships: Iterable[TeamMembership]) -> dict[str, list[Person]]:
    trio: dict[str, list[Person]] = {"pm": [], "design": [], "tech": []}
    for membership in memberships:
        if membership.role == TeamRole.PRODUCT_MANAGER:
            trio["pm"].append(membership.person)
        elif membership.role == TeamRole.DESIGN_LEAD:
            trio["design"].append(membership.person)
        elif membership.role == TeamRole.TECH_LEAD:
            trio["tech"].append(membership.person)
    return trio


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    visibility.require_names(request.user)
    teams = (
        visibility.visible_teams(request.user)
        .select_related("parent")
        .annotate(size=Count("memberships", distinct=True))
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("person"))
        )
        .order_by("parent__name", "name")
    )
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"team": team, "trio": _trio(team.memberships.all())} for team in page]
    return render(request, "org/team_list.html", {"page": page, "rows": rows})


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(Team.objects.select_related("parent"), pk=pk)
    if not visibility.can_see_team(request.user, team):
        raise Http404("No such team")
    memberships = list(
        team.memberships.select_related("person", "person__manager").order_by(
            "role", "person__name"
        )
    )
    visible_ids = visibility.visible_person_ids(request.user)
    findings = visibility.audit_findings_about(request.user, "team", team.pk)
    return render(
        request,
        "org/team_detail.html",
        {
            "team": team,
            "memberships": memberships,
            "visible_ids": visible_ids,
            "trio": _trio(memberships),
            "subteams": visibility.visible_teams(request.user).filter(parent=team),
            "findings": findings,
            "rules": RULES,
            **team_sections(request.user, team),
        },
    )
