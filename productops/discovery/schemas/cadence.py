"""Schemas of the cadence API (`discovery/api/cadence.py`)."""

from datetime import date

from ninja import Field, Schema


class CadenceWeekOut(Schema):
    monday: date
    iso_week: str = Field(description="ISO year and week, e.g. 2020-W53")
    count: int = Field(description="Customer touchpoints by the team in the week")


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
    silent: bool = Field(description="No customer touchpoint by the team in 28 days up to end")


class CadencePeriod(Schema):
    start: date | None = None
    end: date | None = None
