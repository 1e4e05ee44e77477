"""The schemas of the coaching API's plans routes (`coaching/api/plans.py`)."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from productops.org.schemas import PersonRef


class PlanCycleRef(Schema):
    id: int
    name: str


class PlanPracticeOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    effort: str


class PlanCheckInOut(Schema):
    id: int
    goal_id: int
    date: dt.date
    status: str
    note: str
    evidence_url: str
    author: str | None = Field(description="The name (or login) of who recorded it")
    one_on_one_id: int | None
    created_at: dt.datetime


class PlanOutcomeOut(Schema):
    state: str = Field(
        description="closed, narrowed, unchanged, widened, not_reassessed or no_baseline"
    )
    label: str
    cycle: str | None = Field(description="The later cycle the goal is measured against")
    before: float | None
    after: float | None
    target: int | None
    sentence: str


class PlanGoalOut(Schema):
    id: int
    plan_id: int
    competency_key: str
    competency_name: str
    current_step: float | None
    target_step: int
    target_date: dt.date
    status: str
    position: int
    closed_at: dt.datetime | None
    practices: list[PlanPracticeOut]
    custom_practice: str
    due_reason: str = Field(description="Why a check-in is due; empty when it is not")
    outcome: PlanOutcomeOut | None = Field(
        description="Whether the gap closed, from a later cycle; none for a draft plan"
    )
    check_ins: list[PlanCheckInOut] = Field(description="Newest first")


class PlanCoachOut(Schema):
    id: int
    username: str
    name: str | None


class PlanOut(Schema):
    id: int
    title: str
    status: str
    person: PersonRef
    manager: PersonRef | None
    source_cycle: PlanCycleRef | None
    model: str = Field(description="The competency model's slug; goals come from it")
    created_at: dt.datetime
    goal_total: int
    open_goals: int
    last_check_in: dt.date | None

    @staticmethod
    def resolve_model(plan: Any) -> str:
        return plan["model"] if isinstance(plan, dict) else plan.model_slug


class PlanDetailOut(PlanOut):
    goals: list[PlanGoalOut] = Field(description="Open goals first, then achieved and dropped")
    coaches: list[PlanCoachOut]
    later_cycle: str | None
    notes: list[str] = Field(
        default_factory=list, description="After drafting: why the plan holds fewer goals"
    )


class PlanListParams(Schema):
    status: str | None = Field(None, description="draft, active or closed")


class PlanDraftIn(Schema):
    person_id: int
    cycle_id: int | None = Field(None, description="Default: their latest cycle with answers")


class PlanStatusIn(Schema):
    status: str = Field(description="draft, active or closed")


class PlanGoalIn(Schema):
    competency_key: str
    target_step: int | None = None
    target_date: dt.date | None = None


class PlanGoalUpdateIn(Schema):
    target_step: int | None = None
    target_date: dt.date | None = None
    practice_ids: list[int] | None = None
    custom_practice: str | None = None


class PlanSwapIn(Schema):
    competency_key: str


class PlanGoalStatusIn(Schema):
    status: str = Field(description="achieved, dropped or reopen")


class PlanCheckInIn(Schema):
    date: dt.date | None = Field(None, description="Default: today")
    status: str = Field(description="on_track, at_risk or off_track")
    note: str = ""
    evidence_url: str = ""


class PlanCoachIn(Schema):
    username: str
