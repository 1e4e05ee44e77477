"""The overview page: what each role should look at first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from productops.coaching.dashboard import dashboard_context as coaching_dashboard
from productops.competencies.dashboard import dashboard_context
from productops.discovery.dashboard import dashboard_context as discovery_dashboard
from productops.org import visibility
from productops.org.audit import RULES, run_org_audit
from productops.org.models import Discipline, Person, Team
from productops.strategy.dashboard import dashboard_context as strategy_dashboard


@login_required
def home(request: HttpRequest) -> HttpResponse:
    # Headcounts by discipline are aggregates: every role may see them.
    by_discipline = dict(
        Person.objects.filter(active=True).values_list("discipline").annotate(n=Count("pk"))
    )
    people_total = sum(by_discipline.values())
    mix = [
        {
            "label": label,
            "count": by_discipline.get(value, 0),
            "percent": round(100 * by_discipline.get(value, 0) / people_total)
            if people_total
            else 0,
        }
        for value, label in Discipline.choices
        if by_discipline.get(value)
    ]
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
            "team_total": Team.objects.count(),
            "mix": mix,
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
