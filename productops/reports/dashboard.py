"""What the overview page shows each user of the org health report: its latest summary.

- **Which report**: the latest org-wide snapshot the user may reopen
  (`visibility.visible_snapshots`: admins every one, anyone else their own), preferring
  one generated for the user's own role (an admin reads an admin's report, with names,
  before a viewer's). Nothing is generated here: a page view never writes a report.
- **The executive summary** as the snapshot kept it (its findings are already trimmed to
  what its reader could see).
- **What changed since last time**: the snapshot's headline numbers whose change since
  the report it was compared with is not zero (a first report has none).

One query, whatever the number of snapshots.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, IntegerField, Value, When

from productops.accounts.roles import Login, role_of
from productops.reports.models import ReportSnapshot
from productops.reports.visibility import visible_snapshots

ORG_SCOPE = "org"


def latest_org_snapshot(user: Login) -> ReportSnapshot | None:
    """The latest org-wide snapshot the user may reopen, their own role's first."""
    role = role_of(user)
    if role is None:
        return None
    own_role_first = Case(
        When(reader_role=str(role), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        visible_snapshots(user)
        .filter(scope=ORG_SCOPE)
        .defer("inputs", "numbers")
        .order_by(own_role_first, "-generated_at", "-pk")
        .first()
    )


def changed_headlines(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's headline numbers that moved since the report it was compared with."""
    changed = []
    for section in report.get("sections", []):
        for headline in section.get("headlines", []):
            change = headline.get("change")
            if isinstance(change, int | float) and not isinstance(change, bool) and change != 0:
                changed.append(
                    {
                        "section": section.get("title") or section.get("key", ""),
                        "name": headline.get("name", ""),
                        "value": headline.get("value"),
                        "unit": headline.get("unit", ""),
                        "change": change,
                        "rose": change > 0,
                    }
                )
    return changed


def _compared_at(report: dict[str, Any]) -> datetime | None:
    compared = report.get("compared_with") or {}
    try:
        return datetime.fromisoformat(compared["generated_at"])
    except (KeyError, TypeError, ValueError):
        return None


def dashboard_context(user: Login) -> dict[str, Any]:
    snapshot = latest_org_snapshot(user)
    if snapshot is None:
        return {"report_shown": True, "report_snapshot": None}
    report = snapshot.report or {}
    return {
        "report_shown": True,
        "report_snapshot": snapshot,
        "report_summary": list(snapshot.summary or []),
        "report_changes": changed_headlines(report),
        "report_compared_at": _compared_at(report),
    }
