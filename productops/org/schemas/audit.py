"""The org audit route's schemas: its query and its answer."""

from __future__ import annotations

from ninja import Field, Schema


class AuditParams(Schema):
    span_warn: int | None = Field(None, ge=1)
    span_critical: int | None = Field(None, ge=1)
    max_chain_depth: int | None = Field(None, ge=1)
    max_teams_per_pm: int | None = Field(None, ge=1)


class FindingOut(Schema):
    rule: str
    rule_title: str
    severity: str
    subject_kind: str
    subject_id: int | None
    subject_name: str
    message: str
    why: str


class SpanOut(Schema):
    manager_id: int
    name: str
    direct: int
    total: int
    severity: str | None


class AuditOut(Schema):
    scope: str
    thresholds: dict[str, float]
    counts: dict[str, dict[str, int]]
    findings: list[FindingOut]
    spans: list[SpanOut]
