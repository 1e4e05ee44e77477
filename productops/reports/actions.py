"""Generating a health report writes its snapshot (the record of who generated it)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from productops.accounts.roles import Login
from productops.reports.health import health_report_for
from productops.reports.models import ReportSnapshot


def numbers_of(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["key"]: {h["name"]: h["value"] for h in s["headlines"]} for s in report["sections"]}


def with_trend(report: dict[str, Any], previous: ReportSnapshot | None) -> dict[str, Any]:
    """Each numeric headline gets `change` since `previous` (None when there is none)."""
    before = previous.numbers if previous else {}
    for section in report["sections"]:
        old = before.get(section["key"], {})
        for headline in section["headlines"]:
            was = old.get(headline["name"])
            value = headline["value"]
            numeric = isinstance(value, int | float) and isinstance(was, int | float)
            headline["change"] = value - was if numeric else None
    report["compared_with"] = (
        {"id": previous.pk, "generated_at": previous.generated_at.isoformat()} if previous else None
    )
    return report


def do_generate_health_report(
    user: Login,
    scope: str | None = None,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> ReportSnapshot:
    """Build the report for `user`, compare it with the previous one of the same scope and
    reader role (a viewer's report compares with a viewer's), and keep it as a snapshot."""
    report = health_report_for(user, scope=scope, start=start, end=end)
    generated_at = now or timezone.now()
    report["generated_at"] = generated_at.isoformat()
    with transaction.atomic():
        previous = ReportSnapshot.objects.filter(
            scope=report["scope"], reader_role=report["role"], generated_at__lt=generated_at
        ).first()
        with_trend(report, previous)
        snapshot = ReportSnapshot.objects.create(
            generated_at=generated_at,
            generated_by=user.get_username(),
            reader_role=report["role"],
            scope=report["scope"],
            period_start=start,
            period_end=end,
            numbers=numbers_of(report),
            inputs={"caveats": report["caveats"], "sources": report["inputs"]},
            summary=report["summary"],
            report=report,
        )
    report["snapshot_id"] = snapshot.pk
    snapshot.report = report
    snapshot.save(update_fields=["report"])
    return snapshot
