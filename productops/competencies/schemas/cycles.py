"""The schemas of the competencies API's cycles routes."""

from datetime import date, datetime

from ninja import Field, Schema

from productops.competencies.models import (
    RaterKind,
)
from productops.org.schemas import PersonRef


class AssessmentCompletionOut(Schema):
    submitted: int
    total: int
    percent: int


class AssessmentCycleOut(Schema):
    id: int
    name: str
    model: str = Field(description="The competency model's slug")
    version: int = Field(description="The model version the cycle rates against")
    due_date: date
    status: str
    rater_kinds: list[str]
    opened_at: datetime
    completion: AssessmentCompletionOut = Field(
        description="Submitted of owed requests, over the subjects you may see"
    )


class AssessmentSubjectProgressOut(Schema):
    subject: PersonRef
    completion: AssessmentCompletionOut
    by_kind: dict[str, AssessmentCompletionOut]
    missing_manager_rating: bool


class AssessmentRequestOut(Schema):
    id: int
    cycle_id: int
    cycle: str
    subject: PersonRef
    rater: PersonRef
    kind: str
    status: str
    due_date: date
    overdue: bool
    submitted_at: datetime | None


class AssessmentCycleDetailOut(AssessmentCycleOut):
    by_kind: dict[str, AssessmentCompletionOut]
    subjects: list[AssessmentSubjectProgressOut]
    overdue: list[AssessmentRequestOut]
    nominations: list[AssessmentRequestOut] = Field(
        description="Peer nominations awaiting a decision you may take"
    )


class AssessmentCycleIn(Schema):
    name: str
    model: str = Field(description="Slug of the competency model; its latest version is used")
    subject_ids: list[int]
    due_date: date
    rater_kinds: list[str] = Field(default_factory=lambda: list(RaterKind.values))


class AssessmentCycleOpenedOut(AssessmentCycleOut):
    notes: list[str]


class AssessmentRatingIO(Schema):
    competency_key: str
    score: int | None = None
    not_observed: bool = False
    evidence: str = ""


class AssessmentRatingsOut(Schema):
    request: AssessmentRequestOut
    ratings: list[AssessmentRatingIO]


class AssessmentRatingsIn(Schema):
    ratings: list[AssessmentRatingIO]


class AssessmentReopenIn(Schema):
    reason: str


class AssessmentNominationIn(Schema):
    subject_id: int
    peer_id: int


class AssessmentDecisionIn(Schema):
    approve: bool
