"""The schemas of the coaching API's one on ones routes (`coaching/api/one_on_ones.py`)."""

from datetime import date, datetime

from ninja import Field, Schema

from productops.coaching.models import OneOnOneSeries
from productops.org.schemas import PersonRef


class OneOnOneHealthOut(Schema):
    health: str = Field(description="lapsed, overdue, healthy (on cadence) or ended")
    period_start: date = Field(description="Missed 1:1s are counted from this date")
    last_held: date | None
    days_since_last: int | None
    expected: int = Field(description="Planned 1:1s since the period start, past their grace")
    held: int
    missed: int = Field(description="expected − held, never below 0")
    next_due: date = Field(description="One interval after the last held 1:1, or the start")
    next_planned: date | None
    overdue: bool
    lapsed: bool


class OneOnOneSeriesOut(Schema):
    id: int
    lead: PersonRef
    report: PersonRef
    kind: str
    cadence: str
    duration_minutes: int
    start_date: date
    active: bool
    health: OneOnOneHealthOut
    calendar_url: str = Field(description="The series as an iCalendar (.ics) file")


class OneOnOneActionOut(Schema):
    id: int
    series_id: int
    raised_in_id: int | None
    text: str
    owner: PersonRef
    due_date: date | None
    status: str
    overdue: bool


class OneOnOneSeriesDetailOut(OneOnOneSeriesOut):
    open_actions: list[OneOnOneActionOut]


class OneOnOneSeriesIn(Schema):
    lead_id: int | None = Field(None, description="Default: you")
    report_id: int
    kind: str = OneOnOneSeries.Kind.MANAGER.value
    cadence: str = "weekly"
    duration_minutes: int = 30
    start_date: date | None = Field(None, description="Default: today")


class OneOnOneOut(Schema):
    id: int
    series_id: int
    date: date
    status: str
    notes_revision: int


class OneOnOneIn(Schema):
    date: date


class OneOnOneAgendaActionOut(Schema):
    id: int
    text: str
    owner: PersonRef
    status: str
    due_date: date | None
    overdue: bool
    origin: str


class OneOnOneAgendaCheckInOut(Schema):
    id: int
    date: date
    status: str
    note: str


class OneOnOneAgendaGoalOut(Schema):
    goal_id: int
    plan_id: int
    competency: str
    target_step: int
    target_date: date
    due: bool
    due_reason: str
    checked_in_here: OneOnOneAgendaCheckInOut | None


class OneOnOneAgendaChangeOut(Schema):
    kind: str
    text: str
    on: date


class OneOnOneTalkingPointOut(Schema):
    id: int
    text: str
    author: str
    created_at: datetime
    discussed: bool


class OneOnOneAgendaOut(Schema):
    since: date | None = Field(description="The last held 1:1 before this one")
    carried_actions: list[OneOnOneAgendaActionOut]
    goals: list[OneOnOneAgendaGoalOut]
    changes: list[OneOnOneAgendaChangeOut]
    talking_points: list[OneOnOneTalkingPointOut]
    raised_here: list[OneOnOneAgendaActionOut]


class OneOnOneDetailOut(OneOnOneOut):
    series: OneOnOneSeriesOut
    shared_notes: str
    shared_notes_visible_to: str = Field(
        description="Who reads the shared notes, as the page says it: the two people, the "
        "report's management chain and admins, by name"
    )
    agenda: OneOnOneAgendaOut


class OneOnOneTalkingPointIn(Schema):
    text: str


class OneOnOneSharedNotesIn(Schema):
    text: str
    revision: int = Field(description="The notes_revision your text started from")


class OneOnOneSharedNotesOut(Schema):
    text: str
    revision: int


class OneOnOneStaleNotesOut(Schema):
    detail: str
    current_text: str
    current_revision: int


class OneOnOnePrivateNoteOut(Schema):
    text: str
    updated_at: datetime | None
    visible_to: str = Field(description="Who reads it: “Visible to you only.”")


class OneOnOnePrivateNoteIn(Schema):
    text: str


class OneOnOneActionIn(Schema):
    owner_id: int
    text: str
    due_date: date | None = None


class OneOnOneActionStatusIn(Schema):
    status: str = Field(description="done, dropped, or reopen")


class OneOnOneLoadOut(Schema):
    manager: PersonRef
    series_count: int
    hours_per_week: float
    budget_hours: float
    over_budget: bool
    direct_reports: int
    fits: int | None = Field(description="Direct reports a weekly audit-length 1:1 fits")
    too_many_reports: bool
    reports_without_series: list[PersonRef]


class OneOnOneCadenceSeriesOut(OneOnOneHealthOut):
    series_id: int
    lead: PersonRef
    report: PersonRef
    cadence: str
    duration_minutes: int


class OneOnOneCadenceOut(Schema):
    today: date
    since: date | None
    scope: str = Field(description="names, or counts for viewers")
    counts: dict[str, int]
    series: list[OneOnOneCadenceSeriesOut]
    loads: list[OneOnOneLoadOut] = Field(description="Admins: every manager; managers: their chain")


class OneOnOneCadenceParams(Schema):
    since: date | None = Field(None, description="Count missed 1:1s from this date")
