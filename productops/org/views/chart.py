"""The org chart: the reporting tree of the people this user may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from productops.org import visibility
from productops.org.audit import AuditThresholds
from productops.org.chart import ChartRow, build_chart


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    visibility.require_names(request.user)
    rows: list[ChartRow] = list(
        visibility.visible_people(request.user)
        .filter(active=True)
        .values_list("pk", "name", "title", "discipline", "manager_id")
    )
    thresholds = AuditThresholds.from_settings()
    return render(
        request,
        "org/chart.html",
        {"trees": build_chart(rows), "thresholds": thresholds, "people_count": len(rows)},
    )
