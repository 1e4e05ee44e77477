"""The people routes' schemas; `PersonRef` is also how other apps name a person."""

from __future__ import annotations

from datetime import date

from ninja import Schema

from productops.org.models import Discipline


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


class PeopleFilters(Schema):
    q: str = ""
    discipline: Discipline | None = None
    team: int | None = None
    status: str = "active"
