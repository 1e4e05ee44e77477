"""The org audit page, with thresholds the reader may change in the query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from productops.imports.tables import requested_format, table_download
from productops.org import audit_rows, visibility
from productops.org.audit import RULES, AuditThresholds, run_org_audit
from productops.org.forms import AuditThresholdsForm


@login_required
def audit(request: HttpRequest) -> HttpResponseBase:
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
    counts = audit_rows.rule_counts(result["counts"])
    download = requested_format(request)
    if download:
        return _audit_download(download, request.GET.get("table", ""), result, counts)
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


def _audit_download(
    format: str, table: str, result: dict[str, Any], counts: list[dict[str, Any]]
) -> HttpResponseBase:
    """One of the page's tables, as the reader's scope shows it: a summary reader gets
    the counts whatever `table` asks for, since that is all their page shows."""
    if result["scope"] == "summary" or table == "counts":
        rows = audit_rows.count_rows(counts)
        return table_download(format, "org-audit-counts", audit_rows.COUNT_COLUMNS, rows)
    if table == "spans":
        rows = audit_rows.span_rows(result["spans"])
        return table_download(format, "org-audit-spans", audit_rows.SPAN_COLUMNS, rows)
    rows = audit_rows.finding_rows(result["findings"])
    return table_download(format, "org-audit-findings", audit_rows.FINDING_COLUMNS, rows)
