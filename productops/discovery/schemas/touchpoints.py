"""Schemas of the touchpoints API (`discovery/api/touchpoints.py`), `Touchpoint` prefixed."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from productops.discovery.models import Touchpoint
from productops.org.schemas import PersonRef


class TouchpointOut(Schema):
    id: int
    team: PersonRef = Field(description="id and name of the team")
    date: dt.date
    kind: str
    kind_label: str
    participants: list[PersonRef]
    segment: str
    customers: int
    notes: str
    insights: str
    created_at: dt.datetime

    @staticmethod
    def resolve_kind_label(touchpoint: Touchpoint) -> str:
        return str(touchpoint.get_kind_display())

    @staticmethod
    def resolve_participants(touchpoint: Touchpoint) -> list[dict[str, Any]]:
        people = sorted(touchpoint.participants.all(), key=lambda person: (person.name, person.pk))
        return [{"id": person.pk, "name": person.name} for person in people]


class TouchpointIn(Schema):
    team_id: int
    date: dt.date | None = Field(None, description="Default: today")
    kind: str = Field(description="interview, usability_test, prototype_test, ...")
    participant_ids: list[int] = Field(default_factory=list, description="Members of the team")
    segment: str = ""
    customers: int = 1
    notes: str = ""
    insights: str = ""


class TouchpointFilter(Schema):
    team_id: int | None = Field(None, description="Only this team's touchpoints")
