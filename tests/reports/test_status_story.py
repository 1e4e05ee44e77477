"""A hand-built week of the Checkout team for the status update stories (no tests here).

ISO week 2026-W47 (Monday 16 November). Checkout's sprints: "Checkout 0" (19–30 Oct),
"Checkout 1" (2–13 Nov) and "Checkout 2" (16–20 Nov, ending in the week).

- CHK-A1..A3: in all three sprints and still in progress: carried over three times;
- CHK-B1, B2: committed to Checkout 2 and done in the week; CHK-B3 committed, still to do;
- CHK-C1, C2: sales asks created mid-sprint into Checkout 2 (C2 done in the week);
- CHK-D1: moved to in progress in the week (started); CHK-E1, E2: put back to to-do
  after work had started (shelved);
- SRCH-1 (Search) done in the week: never counted for Checkout.
- Discovery: one interview on 4 November (W45): W46 and W47 without one.
- Strategy: "Faster checkout" served by CHK-A1 (in progress), "Fewer refunds" by CHK-B1
  (done in the week): one of two objectives moved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from productops.backlog.models import Change, Item, Sprint
from productops.discovery.models import Touchpoint
from productops.org.models import Team
from productops.strategy.models import Objective, ObjectiveLevel, ObjectiveLink

WEEK = "2026-W47"
MONDAY = dt.date(2026, 11, 16)
UTC = dt.UTC


def at(month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def build_week(checkout: Team) -> dict[str, Item]:
    for source_id, name, start, end in (
        ("10", "Checkout 0", at(10, 19, 9), at(10, 30, 17)),
        ("11", "Checkout 1", at(11, 2, 9), at(11, 13, 17)),
        ("12", "Checkout 2", at(11, 16, 9), at(11, 20, 17)),
    ):
        Sprint.objects.create(
            source="jira",
            source_id=source_id,
            name=name,
            state="closed",
            start=start,
            planned_end=end,
            completed=end,
        )

    def item(key: str, status: str, **extra: Any) -> Item:
        category = {"To Do": "todo", "In Progress": "in_progress", "Done": "done"}[status]
        return Item.objects.create(
            source="jira",
            key=key,
            title=f"Title of {key}",
            project=extra.pop("project", "Checkout"),
            status=status,
            status_category=category,
            resolution="Done" if category == "done" else "",
            origin=extra.pop("origin", "internal"),
            created=extra.pop("created", at(10, 1)),
            **extra,
        )

    items = {
        **{
            key: item(key, "In Progress", sprints=["10", "11", "12"])
            for key in ("CHK-A1", "CHK-A2", "CHK-A3")
        },
        "CHK-B1": item("CHK-B1", "Done", sprints=["12"], resolved=at(11, 19)),
        "CHK-B2": item("CHK-B2", "Done", sprints=["12"], resolved=at(11, 18)),
        "CHK-B3": item("CHK-B3", "To Do", sprints=["12"]),
        "CHK-C1": item("CHK-C1", "To Do", sprints=["12"], origin="sales", created=at(11, 17)),
        "CHK-C2": item(
            "CHK-C2",
            "Done",
            sprints=["12"],
            origin="sales",
            created=at(11, 18),
            resolved=at(11, 20, 10),
        ),
        "CHK-D1": item("CHK-D1", "In Progress"),
        "CHK-E1": item("CHK-E1", "To Do"),
        "CHK-E2": item("CHK-E2", "To Do"),
        "SRCH-1": item("SRCH-1", "Done", project="Search", resolved=at(11, 18)),
    }
    change = Change.objects.create
    change(
        item=items["CHK-D1"],
        change_id="d1",
        at=at(11, 17),
        field="status",
        from_value="To Do",
        to_value="In Progress",
    )
    for key, day in (("CHK-E1", 18), ("CHK-E2", 19)):
        change(
            item=items[key],
            change_id=f"{key}-1",
            at=at(11, 3),
            field="status",
            from_value="To Do",
            to_value="In Progress",
        )
        change(
            item=items[key],
            change_id=f"{key}-2",
            at=at(11, day),
            field="status",
            from_value="In Progress",
            to_value="To Do",
        )
    interview = Touchpoint.objects.create(
        team=checkout, date=dt.date(2026, 11, 4), kind="interview"
    )
    interview.participants.add(checkout.memberships.get(role="product_manager").person)
    for title, key in (("Faster checkout", "CHK-A1"), ("Fewer refunds", "CHK-B1")):
        objective = Objective.objects.create(
            level=ObjectiveLevel.PRODUCT,
            title=title,
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 12, 31),
        )
        ObjectiveLink.objects.create(objective=objective, item=items[key])
    return items
