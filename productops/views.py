"""The overview page: what each role should look at first.

Every block comes from an app's `dashboard` module, through that app's visibility:

- **The latest org health report** (`reports.dashboard`): its executive summary and what
  changed since the report before it. For admins (the head of product) always, with a
  link to generate a new one and an empty state; for everyone else when they generated
  one (a viewer's holds aggregates only). The page never generates a report itself.
- **For the CEO**: there is no CEO role. The CEO takes part in the CEO/CPO check (the demo
  gives the CEO a manager login that ranks in it), so the block (the newest check's
  public result and the quarter's alignment, under the report's summary) is shown to
  admins and to any login asked to rank in a check (`strategy.dashboard`).
- **Your people**, for managers and admins who manage anyone: each direct report's top
  gaps, coaching plan, 1:1 health and what is overdue (`coaching.dashboard`).
- **You**, for members: their plan goals, their next 1:1, and per team they are on, its
  status update page and its discovery cadence.
- **For viewers**, aggregates only: 1:1 health counts next to the org's numbers.
- Then what every role owes (assessments, 1:1s, CEO/CPO rankings, discovery) and the org's
  numbers. Team counts count teams that build, not groups of teams.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from productops.accounts.models import Role
from productops.accounts.roles import Login, SignedInRequest, role_of
from productops.coaching import dashboard as coaching
from productops.competencies.dashboard import dashboard_context
from productops.discovery import dashboard as discovery
from productops.org import visibility
from productops.org.audit import RULES, run_org_audit
from productops.org.dashboard import own_teams, people_managed
from productops.org.headcount import headcount_by_discipline
from productops.org.models import Team
from productops.reports import dashboard as reports
from productops.strategy import dashboard as strategy

PEOPLE_SHOWN = 12


def team_status_url(team: Team) -> str:
    """The team's status update page."""
    return reverse("reports:status_team", args=[team.pk])


def _report_block(user: Login, role: Role | None, ceo: bool) -> dict[str, Any]:
    context = reports.dashboard_context(user)
    if role is Role.ADMIN or role is Role.VIEWER or ceo or context.get("report_snapshot"):
        return context
    return {}


def _people_block(user: Login) -> dict[str, Any]:
    rows = coaching.people_overview(user, list(people_managed(user)))
    if not rows:
        return {}
    return {
        "my_people_shown": True,
        "my_people": rows[:PEOPLE_SHOWN],
        "my_people_total": len(rows),
        "my_people_overdue": sum(1 for row in rows if row.overdue),
    }


def _own_block(user: Login) -> dict[str, Any]:
    teams = own_teams(user)
    cadences = {c.team_id: c for c in discovery.team_cadences(user, [t.pk for t in teams])}
    return {
        "me_shown": True,
        "my_silent_days": discovery.SILENT_DAYS,
        "my_plan": coaching.own_plan(user),
        "my_next_one_on_one": coaching.next_one_on_one(user),
        "my_teams": [
            {"team": team, "status_url": team_status_url(team), "cadence": cadences.get(team.pk)}
            for team in teams
        ],
    }


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = role_of(user)
    # Headcounts by discipline are aggregates: every role may see them.
    headcount = headcount_by_discipline()
    people_total = headcount.total
    audit = visibility.visible_audit(user, run_org_audit()) if people_total else None
    severities = {"critical": 0, "warning": 0}
    if audit:
        for by_severity in audit["counts"].values():
            for severity in severities:
                severities[severity] += by_severity.get(severity, 0)
    ceo = role is Role.ADMIN or strategy.takes_part_in_checks(user)
    context: dict[str, Any] = {
        "people_total": people_total,
        # Teams that build: a group of teams (a team others belong to) is not one more.
        "team_total": Team.objects.filter(subteams__isnull=True).count(),
        "mix": headcount.mix,
        "severities": severities,
        "top_findings": audit["findings"][:5] if audit else [],
        "sees_names": visibility.sees_names(user),
        "rules": RULES,
        **dashboard_context(user),
        **coaching.dashboard_context(user),
        **discovery.dashboard_context(user),
        **strategy.dashboard_context(user),
        **_report_block(user, role, ceo),
    }
    if ceo:
        context["ceo_shown"] = True
        context["ceo_check"] = strategy.latest_check(user)
    if role in (Role.ADMIN, Role.MANAGER):
        context |= _people_block(user)
    if role is Role.MEMBER:
        context |= _own_block(user)
    if role is Role.VIEWER:
        context["cadence_counts"] = coaching.cadence_counts()
    return render(request, "home.html", context)


@login_required
def account_tokens_download(request: SignedInRequest) -> HttpResponseBase:
    """The account page's token table as CSV or XLSX (`?format=`, CSV by default).

    It lives here, not in the accounts app: the download plumbing (`imports.tables`) is a
    sibling of accounts in the layers, and only the site may join the two. The rows come
    from `accounts.token_rows`: one's own tokens, never their secret, hash or hint."""
    from productops.accounts.models import AccessToken
    from productops.accounts.token_rows import TOKEN_COLUMNS, token_rows
    from productops.imports.tables import requested_format, table_download

    tokens = AccessToken.objects.filter(user=request.user)
    return table_download(
        requested_format(request) or "csv", "access-tokens", TOKEN_COLUMNS, token_rows(tokens)
    )
