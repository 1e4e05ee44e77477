"""The team status API's schemas.

No `from __future__ import annotations`: django-ninja reads the annotations at import.
"""

from typing import Any

from ninja import Schema


class StatusTeamOut(Schema):
    id: int
    name: str


class StatusObjectiveOut(Schema):
    id: int
    title: str


class StatusUpdateOut(Schema):
    """A team's update (`team` set) or an objective's (`objective` set)."""

    id: int
    team: StatusTeamOut | None
    objective: StatusObjectiveOut | None
    subject: str
    week: str
    week_start: str
    state: str
    health: str
    health_label: str
    generated_health: str
    corrected: bool
    correction_reason: str
    reasons: list[dict[str, Any]]
    note: str
    written_by: str
    generated_at: str
    shared_at: str | None
    shared_by: str
    replaces: int | None
    change: dict[str, Any]
    change_lines: list[str]
    generated: dict[str, Any]
    with_items: bool
    markdown: str


class StatusRowOut(Schema):
    team: StatusTeamOut
    health: str | None
    stale: bool
    update: StatusUpdateOut | None


class StatusObjectiveRowOut(Schema):
    objective: StatusObjectiveOut
    owner: str | None  # null for viewers, who see no names
    health: str | None
    stale: bool
    update: StatusUpdateOut | None


class StatusGenerateIn(Schema):
    week: str = ""


class StatusEditIn(Schema):
    """Fields left out keep their value; `corrected_health` "" drops a correction."""

    note: str | None = None
    corrected_health: str | None = None
    correction_reason: str | None = None
    share: bool = False
