"""The team routes' schemas."""

from __future__ import annotations

from ninja import Schema

from productops.org.schemas.people import PersonRef


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
