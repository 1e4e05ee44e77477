"""The alignment page's tables as download rows: the objectives and the unaligned work.

The objectives table holds the page's columns only, never an owner, whose name the page
does not show to every role; the unaligned work goes only to a reader who sees item lists
(the view and the diagnosis workbook ask `visibility` before they call these).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from productops.strategy.alignment import ObjectiveAlignment, UnalignedItem

OBJECTIVE_COLUMNS = ("Objective", "In progress", "Done", "By hand", "By label", "By epic")
UNALIGNED_COLUMNS = ("Key", "Title", "Status", "Project")


def objective_rows(objectives: Iterable[ObjectiveAlignment]) -> list[list[Any]]:
    """An objective a row: its work in progress and done, and how that work traced to it."""
    return [[o.title, o.in_progress, o.done, o.by_hand, o.by_label, o.by_epic] for o in objectives]


def unaligned_rows(items: Iterable[UnalignedItem]) -> list[list[Any]]:
    """The work that traces to no objective, in the page's order."""
    return [[i.key, i.title, i.status, i.project] for i in items]
