"""The reports API: the org health report as JSON, as the caller may see it.

No `from __future__ import annotations`: django-ninja reads route annotations at import.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from productops.reports.actions import do_generate_health_report
from productops.reports.schemas import HealthReportOut

router = Router(tags=["reports"])


@router.get("/health", response=HealthReportOut)
def health(request: HttpRequest, scope: str = "") -> dict[str, Any]:
    """Generate the org health report for the caller (kept as a snapshot): summary,
    sections with each headline's change since the last one, data and caveats."""
    return do_generate_health_report(request.user, scope=scope or None).report
