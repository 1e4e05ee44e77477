from __future__ import annotations

from datetime import date

from ninja import Schema


class PersonRef(Schema):
    id: int
    name: str


class PersonOut(Schema):
    id: int
    name: str
    email: str
    discipline: str
    title: str
    level: str
    manager: PersonRef | None
    start_date: date | None
    active: bool


class MembershipOut(Schema):
    person: PersonRef
    role: str


class TeamOut(Schema):
    id: int
    name: str
    mission: str
    product_area: str
    parent: PersonRef | None  # id + name of the group team


class TeamDetailOut(TeamOut):
    members: list[MembershipOut]


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
