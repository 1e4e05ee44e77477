"""A small backlog for the report, item list and API stories, with the named cast.

Six Jira items of the Checkout project: three from sales (two open), one customer need,
one support, one internal. `fake_report` adds a sprint and a shelved item chosen by hand
(CHK-1, back to to-do after 12 days), shaped exactly as `report.build_report`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from productops.backlog.models import Item, Origin, StatusCategory, WorkKind
from productops.backlog.report import (
    BacklogReport,
    MixRow,
    MonthInvestment,
    ShelvedItem,
    ShelvedMonth,
    ShelvedWork,
    SprintSummary,
)

NOW = timezone.now()


def build_backlog() -> list[Item]:
    def item(key: str, title: str, origin: str, kind: str, status: str, **extra: Any) -> Item:
        return Item(
            source="jira",
            key=key,
            title=title,
            project=extra.pop("project", "Checkout"),
            status_category=status,
            origin=origin,
            origin_reasons=[{"text": f"label “{origin}”", "weight": 0.8}],
            kind=kind,
            kind_reasons=["type is Story"],
            framing=extra.pop("framing", "solution"),
            created=NOW - dt.timedelta(days=30),
            **extra,
        )

    return Item.objects.bulk_create(
        [
            item("CHK-1", "Add PDF export for the ACME deal", "sales", "new_value", "todo"),
            item("CHK-2", "Discount field for the Globex deal", "sales", "enhancement", "todo"),
            item("CHK-3", "Custom report for Initech", "sales", "new_value", "done"),
            item(
                "CHK-4",
                "As a shopper I cannot find my past orders",
                "customer",
                "new_value",
                "todo",
                framing="problem",
            ),
            item("CHK-5", "Refund stuck for ticket #881", "support", "support", "in_progress"),
            item(
                "SRCH-1",
                "Upgrade the search cluster",
                "internal",
                "tech_debt",
                "todo",
                project="Search",
            ),
        ]
    )


def _mix(items: list[Item], done: bool) -> list[MixRow]:
    counts: dict[str, int] = {}
    for item in items:
        if (item.status_category == StatusCategory.DONE) == done:
            counts[item.origin] = counts.get(item.origin, 0) + 1
    total = sum(counts.values())
    return [
        MixRow(value, Origin(value).label, count, count / total)
        for value, count in sorted(counts.items(), key=lambda kv: -kv[1])
    ]


def _kinds(**counts: int) -> list[MixRow]:
    total = sum(counts.values())
    return [MixRow(k, WorkKind(k).label, n, n / total) for k, n in counts.items()]


DATA_PERIOD = "2026-07-05 to 2026-10-03, the last 90 days in this export"


def fake_report(*, start=None, end=None, project=None) -> BacklogReport:
    """A `BacklogReport` made of the real dataclasses, with sprint and shelved numbers
    chosen by hand, so the pages are tested against the exact shape of the real one.
    Without dates, its period is the data's own (`DATA_PERIOD`), as the real one's."""
    items = [i for i in Item.objects.all() if not project or i.project == project]
    at = dt.datetime(2026, 10, 3, 12, 0)
    open_mix = _mix(items, done=False)
    pushed = sum(r.count for r in open_mix if r.value in ("sales", "marketing", "support"))
    total_open = sum(r.count for r in open_mix)
    return BacklogReport(
        start=start,
        end=end,
        project=project,
        as_of=at,
        item_count=len(items),
        open_count=total_open,
        done_count=len(items) - total_open,
        origin_mix_open=open_mix,
        origin_mix_done=_mix(items, done=True),
        framing_share=[
            MixRow("solution", "Solution-framed", 4, 0.8),
            MixRow("problem", "Problem-framed", 1, 0.2),
        ],
        investment_by_month=[
            MonthInvestment(dt.date(2026, 9, 1), 3, _kinds(new_value=2, quality=1)),
            MonthInvestment(dt.date(2026, 10, 1), 3, _kinds(enhancement=1, support=2)),
        ]
        if items
        else [],
        sprints=[
            SprintSummary(
                name="Checkout 14",
                source_id="14",
                start=at,
                end=at + dt.timedelta(days=14),
                committed=10,
                added=3,
                removed=1,
                completed=8,
                completed_committed=7,
                carried_over=3,
                churn=0.4,
                accuracy=0.7,
                added_by_origin={"sales": 2, "customer": 1},
            )
        ]
        if items
        else [],
        releases=[],
        shelved=ShelvedWork(
            items=[
                ShelvedItem(
                    item_id=items[0].pk,
                    key=items[0].key,
                    project=items[0].project,
                    origin=items[0].origin,
                    kind=items[0].kind,
                    at=at,
                    from_status="In Progress",
                    to_status="To Do",
                    how="back_to_todo",
                    days_in_progress=12.0,
                )
            ]
            if items
            else [],
            per_month=[ShelvedMonth(dt.date(2026, 10, 1), 1, 1)] if items else [],
        ),
        verdict=[
            f"{round(100 * pushed / total_open)}% of open items come from sales, "
            "marketing or support."
        ]
        if total_open
        else [],
        period_text=f"{start} to {end}" if start or end else DATA_PERIOD,
        period_basis="asked" if start or end else "data",
    )
