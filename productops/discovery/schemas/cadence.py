"""Schemas of the cadence API (`discovery/api/cadence.py`)."""

from datetime import date

from ninja import Field, Schema


class CadenceWeekOut(Schema):
    monday: date
    iso_week: str = Field(description="ISO year and week, e.g. 2020-W53")
    count: int = Field(description="Touchpoints by the team in the week that count as discovery")
    shadowing: int = Field(description="Sales- and support-call shadowing in the week")


class KindMixOut(Schema):
    kind: str
    label: str
    count: int = Field(description="The team's touchpoints of this kind in the period")
    share: float | None = Field(description="count / touchpoints; none without touchpoints")
    counts_as_discovery: bool = Field(description="This kind makes a week count")
    shadowing: bool = Field(description="Sales- or support-call shadowing")


class TrioPartsOut(Schema):
    product: int = Field(description="Touchpoints a product manager of the team took part in")
    design: int = Field(description="Touchpoints a designer or design lead took part in")
    engineering: int = Field(description="Touchpoints an engineer or tech lead took part in")


class TrioFindingOut(Schema):
    key: str = Field(description="never_joined, incomplete or never_together")
    sentence: str
    try_next: str
    absent: list[str] = Field(description="Parts of the trio the team has that never took part")
    missing: list[str] = Field(description="Parts of the trio the team has nobody for")


class CadenceOut(Schema):
    team_id: int
    team_name: str
    start: date
    end: date
    weeks: list[CadenceWeekOut]
    counted_weeks: int
    week_count: int
    weekly_share: float = Field(description="counted_weeks / week_count")
    current_streak: int
    longest_streak: int
    trio_share: float | None = Field(description="Touchpoints with PM, design and engineering")
    touchpoints: int
    customers: int
    last_date: date | None
    silent: bool = Field(description="No counting touchpoint by the team in 28 days up to end")
    discovery_kinds: list[str] = Field(description="The kinds that make a week count")
    shadowing: int = Field(description="Sales- and support-call shadowing in the period")
    shadowing_only_weeks: int = Field(description="Weeks with shadowing and nothing that counts")
    kind_mix: list[KindMixOut] = Field(description="Every kind, in the model's order")
    trio_parts: TrioPartsOut
    trio_finding: TrioFindingOut | None = Field(
        description="Set when the team's trio does not take part in its touchpoints"
    )


class CadencePeriod(Schema):
    start: date | None = None
    end: date | None = None
