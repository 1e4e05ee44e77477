"""The org audit page, with thresholds the reader may change in the query."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from productops.org import visibility
from productops.org.audit import RULES, AuditThresholds, run_org_audit
from productops.org.forms import AuditThresholdsForm


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditThresholdsForm(request.GET or None)
    overrides = form.cleaned_data if form.is_valid() else {}
    try:
        thresholds = AuditThresholds.from_settings(**overrides)
    except ValueError as error:
        form.add_error(None, f"{error}. The defaults were used instead.")
        thresholds = AuditThresholds.from_settings()
    result = visibility.visible_audit(request.user, run_org_audit(thresholds))
    severities = {"critical": 0, "warning": 0, "info": 0}
    for by_severity in result["counts"].values():
        for severity, count in by_severity.items():
            severities[severity] = severities.get(severity, 0) + count
    counts = [
        {"rule": rule, "title": RULES.get(rule, rule), **result["counts"][rule]}
        for rule in RULES
        if rule in result["counts"]
    ]
    return render(
        request,
        "org/audit.html",
        {
            "form": form,
            "thresholds": thresholds,
            "scope": result["scope"],
            "findings": result["findings"],
            "spans": result["spans"][:25],
            "counts": counts,
            "severities": severities,
            "rules": RULES,
        },
    )
