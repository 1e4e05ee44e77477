"""The reports API: the org health report as JSON, as the caller may see it.

No `from __future__ import annotations`: django-ninja reads route annotations at import.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from productops.accounts.visibility import visible_or_404
from productops.reports.actions import do_generate_health_report
from productops.reports.health import parse_period, parse_scope
from productops.reports.models import ReportSnapshot
from productops.reports.schemas import HealthReportOut, HealthSnapshotOut
from productops.reports.visibility import visible_snapshots

router = Router(tags=["reports"])


@router.get("/health", response=HealthReportOut)
def health(request: HttpRequest, scope: str = "", start: str = "", end: str = "") -> dict[str, Any]:
    """Generate the org health report for the caller (kept as a snapshot): summary,
    sections with each headline's change since the last one, data and caveats. `start`
    and `end` (YYYY-MM-DD) set the period; `scope` is `org` (the default), `group:<team id>`,
    `team:<team id>` or `project:<KEY>`. A wrong date or an unknown scope answers 422."""
    try:
        low, high = parse_period(start, end)
        parse_scope(request.user, scope)
    except ValueError as problem:
        raise ValidationError(str(problem)) from None
    return do_generate_health_report(request.user, scope=scope or None, start=low, end=high).report


@router.get("/health/snapshots", response=list[HealthSnapshotOut])
@paginate
def health_snapshots(request: HttpRequest) -> QuerySet[ReportSnapshot]:
    """The kept health reports the caller may reopen, newest first (without their bodies:
    open one with `/health/{id}`)."""
    return visible_snapshots(request.user).only(
        "generated_at", "generated_by", "reader_role", "scope", "period_start", "period_end"
    )


@router.get("/health/{id}", response=HealthReportOut)
def health_snapshot(request: HttpRequest, id: int) -> dict[str, Any]:
    """One kept health report, exactly as it was generated; 404 unless the caller may
    reopen it."""
    snapshot = visible_or_404(visible_snapshots(request.user), "No such report", pk=id)
    return {**snapshot.report, "snapshot_id": snapshot.pk}


from productops.reports.api.status import status_router  # noqa: E402

router.add_router("/status", status_router)
