"""A small backlog and Q1 2026 objectives whose alignment is worked out by hand.

Objectives of Q1 2026: the company objective "Grow repeat purchases" (Hana), served by
the product objectives "Faster checkout" (Priya: epic SHOP-1 mapped by hand, label rule
"checkout") and "Better search" (Paul: epic rule SRCH-1, not serving anything). "Loyalty
programme" (product, Q1) has no work. "Old cleanup" (Q4 2025) maps SHOP-30 by hand but
does not overlap Q1.

Items (Jira unless told):

| key | state | mapping | counts |
| --- | --- | --- | --- |
| SHOP-1 | in progress, epic | by hand to Faster checkout | aligned |
| SHOP-2 | in progress, epic SHOP-1 | child of a hand-mapped epic | aligned |
| SHOP-3 | done 2026-02-10, epic SHOP-1, label "Checkout" | hand (child) and label | aligned |
| SHOP-4 | done 2026-03-31 23:00, label checkout | label | aligned |
| SHOP-5 | done 2026-04-01, label checkout | out of the period | — |
| SHOP-6 | done 2026-02-01 as Won't Do, label checkout | won't do | — |
| SHOP-7 | in progress | none | unaligned |
| SHOP-8 | to do, label checkout | not started | — |
| SHOP-9 (GitHub) | in progress, epic SHOP-1 | another source's epic | unaligned |
| SHOP-30 | in progress | only to Old cleanup | unaligned |
| SRCH-1 | in progress, epic | epic rule (the epic itself) | aligned |
| SRCH-2 | done 2026-01-15, epic SRCH-1 | epic rule | aligned |
| SRCH-3 | done 2026-01-20 | none | unaligned |

In progress: 6, aligned 3 (50%). Done in Q1: 4, aligned 3 (75%).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from productops.backlog.models import Item
from productops.strategy.models import AlignmentRule, Objective, ObjectiveLink
from tests.cast import Cast

Q1 = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=dt.UTC)


def item(key: str, category: str, **fields: Any) -> Item:
    fields.setdefault("source", "jira")
    fields.setdefault("project", "Search" if key.startswith("SRCH") else "Shop")
    fields.setdefault(
        "status", {"in_progress": "In Progress", "done": "Done"}.get(category, "To Do")
    )
    return Item.objects.create(key=key, title=f"Work on {key}", status_category=category, **fields)


@dataclass
class Story:
    company: Objective
    checkout: Objective
    search: Objective
    loyalty: Objective
    old: Objective
    items: dict[str, Item]


def build_story(cast: Cast) -> Story:
    start, end = Q1
    company = Objective.objects.create(
        level="company",
        title="Grow repeat purchases",
        period_start=start,
        period_end=end,
        owner=cast.hana,
    )
    checkout = Objective.objects.create(
        level="product",
        title="Faster checkout",
        period_start=start,
        period_end=end,
        owner=cast.priya,
        parent=company,
    )
    search = Objective.objects.create(
        level="product",
        title="Better search",
        period_start=start,
        period_end=end,
        owner=cast.paul,
    )
    loyalty = Objective.objects.create(
        level="product", title="Loyalty programme", period_start=start, period_end=end
    )
    old = Objective.objects.create(
        level="company",
        title="Old cleanup",
        period_start=dt.date(2025, 10, 1),
        period_end=dt.date(2025, 12, 31),
    )
    items = {
        "SHOP-1": item("SHOP-1", "in_progress", type="epic"),
        "SHOP-2": item("SHOP-2", "in_progress", epic_key="SHOP-1"),
        "SHOP-3": item(
            "SHOP-3",
            "done",
            epic_key="SHOP-1",
            labels=["Checkout"],
            resolved=at("2026-02-10"),
            resolution="Done",
        ),
        "SHOP-4": item(
            "SHOP-4", "done", labels=["checkout"], resolved=at("2026-03-31", 23), resolution="Done"
        ),
        "SHOP-5": item("SHOP-5", "done", labels=["checkout"], resolved=at("2026-04-01", 0)),
        "SHOP-6": item(
            "SHOP-6", "done", labels=["checkout"], resolved=at("2026-02-01"), resolution="Won't Do"
        ),
        "SHOP-7": item("SHOP-7", "in_progress"),
        "SHOP-8": item("SHOP-8", "todo", labels=["checkout"]),
        "SHOP-9": item("SHOP-9", "in_progress", source="github", epic_key="SHOP-1"),
        "SHOP-30": item("SHOP-30", "in_progress"),
        "SRCH-1": item("SRCH-1", "in_progress", type="epic"),
        "SRCH-2": item("SRCH-2", "done", epic_key="SRCH-1", resolved=at("2026-01-15")),
        "SRCH-3": item("SRCH-3", "done", resolved=at("2026-01-20")),
    }
    ObjectiveLink.objects.create(objective=checkout, item=items["SHOP-1"])
    ObjectiveLink.objects.create(objective=old, item=items["SHOP-30"])
    AlignmentRule.objects.create(objective=checkout, kind="label", value="checkout")
    AlignmentRule.objects.create(objective=search, kind="epic", value="SRCH-1")
    return Story(company, checkout, search, loyalty, old, items)
