"""The demo's health report history: one report from a month ago, so the trend shows."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from productops.reports.actions import do_generate_health_report
from productops.reports.models import ReportSnapshot

DEMO_READER = "admin"


def has_reports_demo() -> bool:
    return ReportSnapshot.objects.exists()


def build_reports_demo() -> list[str]:
    """Keep an admin's health report dated 30 days ago (once); the stories it tells."""
    reader = get_user_model().objects.filter(username=DEMO_READER).first()
    if reader is None or has_reports_demo():
        return []
    snapshot = do_generate_health_report(reader, now=timezone.now() - timedelta(days=30))
    return [
        f"a health report from {snapshot.generated_at:%Y-%m-%d} is kept, so /reports/health/ "
        "shows each number's change since then"
    ]
