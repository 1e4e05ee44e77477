"""Teams: the list with each team's trio, and one team's page."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render

from productops.imports.tables import requested_format, table_download
from productops.org import visibility
from productops.org.audit import RULES, Finding
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


TEAM_COLUMNS = [
    "Team",
    "Product area",
    "Group",
    "Product manager",
    "Design lead",
    "Tech lead",
    "People",
]


def _names(people: list[Person]) -> str:
    # the page shows "missing" for an empty seat; the download leaves the cell empty
    return ", ".join(person.name for person in people)


def _team_row(team: Team) -> list[object]:
    trio = _trio(team.memberships.all())
    return [
        team.name,
        team.product_area,
        team.parent.name if team.parent else "",
        _names(trio["pm"]),
        _names(trio["design"]),
        _names(trio["tech"]),
        team.size,  # type: ignore[attr-defined]
    ]


@login_required
def team_list(request: HttpRequest) -> HttpResponseBase:
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
    download = requested_format(request)
    if download:
        # every team the reader may see, not one page of them
        return table_download(download, "teams", TEAM_COLUMNS, (_team_row(t) for t in teams))
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"team": team, "trio": _trio(team.memberships.all())} for team in page]
    return render(request, "org/team_list.html", {"page": page, "rows": rows})


def _team_detail_download(
    format: str,
    table: str,
    team: Team,
    memberships: list[TeamMembership],
    findings: list[Finding],
) -> HttpResponseBase:
    """The team page's members, or its audit findings (those this reader may read)."""
    if table == "findings":
        header = ["Severity", "Rule", "Concerns", "What we found", "Why it matters"]
        rows: list[list[object]] = [
            [str(f.severity), RULES.get(f.rule, f.rule), f.subject_name, f.message, f.why]
            for f in findings
        ]
        return table_download(format, f"{team.name}-findings", header, rows)
    header = ["Name", "Role in team", "Discipline", "Manager"]
    rows = [
        [
            m.person.name,
            m.get_role_display(),
            m.person.get_discipline_display(),
            m.person.manager.name if m.person.manager else "",
        ]
        for m in memberships
    ]
    return table_download(format, f"{team.name}-members", header, rows)


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    team = get_object_or_404(Team.objects.select_related("parent"), pk=pk)
    if not visibility.can_see_team(request.user, team):
        raise Http404("No such team")
    memberships = list(
        team.memberships.select_related("person", "person__manager").order_by(
            "role", "person__name"
        )
    )
    findings = visibility.audit_findings_about(request.user, "team", team.pk)
    download = requested_format(request)
    if download:
        table = request.GET.get("table", "")
        return _team_detail_download(download, table, team, memberships, findings)
    visible_ids = visibility.visible_person_ids(request.user)
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
