"""Schemas of the reporters API: who files the backlog, and an assignment."""

from ninja import Schema


class ReporterOut(Schema):
    source: str
    key: str  # "" for the items that name no reporter
    name: str
    email: str
    items: int
    share: float
    status: str  # matched, assigned, unmatched, none
    person_id: int | None
    person: str
    discipline: str
    assigned_person_id: int | None
    assigned_discipline: str


class ReporterAssignmentIn(Schema):
    source: str
    key: str
    person_id: int | None = None
    discipline: str = ""  # an org discipline (sales, support ...) when no person is named
    name: str = ""


class ReporterAssignmentOut(Schema):
    source: str
    key: str
    person_id: int | None
    discipline: str
    items: int  # the items the reporter filed, reclassified


class ReporterClearIn(Schema):
    source: str
    key: str
