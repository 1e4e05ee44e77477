"""The reports API's schemas."""

from typing import Any

from ninja import Schema


class HealthReportOut(Schema):
    reader: str
    role: str
    scope: str
    period: dict[str, str | None]
    summary: list[dict[str, Any]]
    summary_short: bool
    sections: list[dict[str, Any]]
    caveats: list[str]
    snapshot_id: int
    compared_with: dict[str, Any] | None
