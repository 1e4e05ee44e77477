"""The reports API's schemas."""

from datetime import date, datetime
from typing import Any

from ninja import Schema


class HealthReportOut(Schema):
    reader: str
    role: str
    scope: str
    scope_label: str = ""
    period: dict[str, str | None]
    summary: list[dict[str, Any]]
    summary_short: bool
    sections: list[dict[str, Any]]
    caveats: list[str]
    inputs: list[dict[str, Any]] = []
    generated_at: str = ""
    snapshot_id: int
    compared_with: dict[str, Any] | None


class HealthSnapshotOut(Schema):
    """One kept health report in the list: who generated it, for what, when."""

    id: int
    generated_at: datetime
    generated_by: str
    reader_role: str
    scope: str
    period_start: date | None
    period_end: date | None
