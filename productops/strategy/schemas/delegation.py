"""The delegation board API's schemas. A `Delegation` prefix keeps their OpenAPI names
apart from the other areas' schemas.

No `from __future__ import annotations`: django-ninja reads the annotations.
"""

from typing import Any

from ninja import Field, Schema

from productops.strategy.models import Difficulty


class DelegationLevelOut(Schema):
    number: int
    name: str
    meaning: str


class DelegationAreaOut(Schema):
    id: int
    name: str
    description: str
    difficulty: str = Field(description=f"One of {', '.join(Difficulty.values)}")


class DelegationTeamOut(Schema):
    id: int
    name: str


class DelegationPartOut(Schema):
    part: str = Field(description="competence, trio or cadence")
    label: str
    weight: float = Field(description="Its weight after leaving out unknown parts (0 if unknown)")
    value: float | None = Field(description="In [0, 1]; null when unknown or hidden")
    known: bool
    hidden: bool = Field(description="Known but not shown: an assessment the user may not see")


class DelegationCellOut(Schema):
    team_id: int
    area_id: int
    level: int | None = Field(description="The chosen level, 1..7; null when not set")
    recommended: int | None = Field(
        description="null when no part of maturity is known, or when withheld"
    )
    recommendation_withheld: bool = Field(
        description="True when the team's PM competence is one you may not see: then "
        "recommended, distance, finding and maturity are null, as they follow from it"
    )
    distance: int | None = Field(description="level − recommended")
    finding: str | None = Field(description="over-delegation, micromanagement or null")
    maturity: float | None = Field(description="Team maturity in [0, 1]; null if unknown/hidden")
    parts: list[DelegationPartOut]


class DelegationBoardOut(Schema):
    levels: list[DelegationLevelOut]
    areas: list[DelegationAreaOut]
    teams: list[DelegationTeamOut]
    cells: list[DelegationCellOut] = Field(description="One per team and area")
    findings: list[DelegationCellOut]


class DelegationLevelIn(Schema):
    level: Any = Field(description="A whole number from 1 (Tell) to 7 (Delegate)")
    note: str | None = Field(None, description="Why this level; left out keeps the note")


class DelegationAreaIn(Schema):
    name: str
    description: str = ""
    difficulty: str = Difficulty.MEDIUM.value


class DelegationAreaChange(Schema):
    """Only the fields given change."""

    name: str | None = None
    description: str | None = None
    difficulty: str | None = None


class DelegationRejectedOut(Schema):
    detail: str
    errors: dict[str, str] = Field(description="Field name -> what to fix")
