"""The overview page: what each role should look at first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from productops.coaching.dashboard import dashboard_context as coaching_dashboard
from productops.competencies.dashboard import dashboard_context
from productops.discovery.dashboard import dashboard_context as discovery_dashboard
from productops.org import visibility
from productops.org.audit import RULES, run_org_audit
from productops.org.headcount import headcount_by_discipline
from productops.org.models import Team
from productops.strategy.dashboard import dashboard_context as strategy_dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Headcounts by discipline are aggregates: every role may see them.
    headcount = headcount_by_discipline()
    people_total = headcount.total
    audit = visibility.visible_audit(request.user, run_org_audit()) if people_total else None
    severities = {"critical": 0, "warning": 0}
    if audit:
        for by_severity in audit["counts"].values():
            for severity in severities:
                severities[severity] += by_severity.get(severity, 0)
    return render(
        request,
        "home.html",
        {
            "people_total": people_total,
            # Teams that build: a group of teams (a team others belong to) is not one more.
            "team_total": Team.objects.filter(subteams__isnull=True).count(),
            "mix": headcount.mix,
            "severities": severities,
            "top_findings": audit["findings"][:5] if audit else [],
            "sees_names": visibility.sees_names(request.user),
            "rules": RULES,
            **dashboard_context(request.user),
            **coaching_dashboard(request.user),
            **discovery_dashboard(request.user),
            **strategy_dashboard(request.user),
        },
    )
