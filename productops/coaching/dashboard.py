"""What the overview page shows each user about coaching: 1:1s and actions they owe.

- **1:1s coming up or overdue**: for each active series the user is in, the next planned
  1:1, or, when none is planned, the date the cadence says the next one is due. A series
  is listed when a 1:1 is planned, when the next one is due within `DUE_SOON_DAYS`, or
  when it is overdue or lapsed (`cadence`); overdue ones first, longest overdue first.
- **Open action items they own**, overdue first, then by due date (undated last).

Three queries at most, however many series and actions there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from productops.accounts.roles import Login, person_id_of
from productops.coaching import visibility
from productops.coaching.cadence import SeriesHealth, load_cadence
from productops.coaching.models import OneOnOneSeries

SHOWN = 8
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class ComingUp:
    health: SeriesHealth
    other_name: str  # the other person in the 1:1
    date: date  # the planned date, or the date the cadence says it is due
    planned_id: int | None

    @property
    def overdue(self) -> bool:
        return self.health.overdue


def coming_up(rows: list[SeriesHealth], me: int, today: date) -> list[ComingUp]:
    """The series worth a line on the dashboard, overdue first, then by date."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    lines = []
    for row in rows:
        fact = row.fact
        if not fact.active:
            continue
        if fact.next_planned is None and not row.overdue and row.next_due > soon:
            continue
        lines.append(
            ComingUp(
                health=row,
                other_name=fact.report_name if fact.lead_id == me else fact.lead_name,
                date=fact.next_planned or row.next_due,
                planned_id=fact.next_planned_id,
            )
        )
    lines.sort(key=lambda line: (not line.overdue, -line.health.overdue_days, line.date))
    return lines


def dashboard_context(user: Login) -> dict[str, Any]:
    me = person_id_of(user)
    if me is None:
        return {}
    today = timezone.localdate()
    mine = OneOnOneSeries.objects.filter(Q(lead_id=me) | Q(report_id=me), active=True)
    lines = coming_up(load_cadence(mine, today=today).series, me, today)
    owed = list(
        visibility.actions_owed_by(user)
        .select_related("series__lead", "series__report")
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")
    )
    return {
        "one_on_ones_coming": lines[:SHOWN],
        "one_on_ones_coming_total": len(lines),
        "one_on_ones_overdue": sum(line.overdue for line in lines),
        "actions_owed": owed[:SHOWN],
        "actions_owed_total": len(owed),
        "actions_overdue": sum(action.is_overdue for action in owed),
    }
