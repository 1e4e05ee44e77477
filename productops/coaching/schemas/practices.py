"""The schemas of the coaching API's practices routes (`coaching/api/practices.py`)."""

from ninja import Field, Schema

from productops.coaching.models import Effort, PracticeKind


class PracticeOut(Schema):
    id: int
    competency_key: str
    title: str
    description: str
    kind: str = Field(description=f"One of {', '.join(PracticeKind.values)}")
    effort: str = Field(description=f"One of {', '.join(Effort.values)}")
    built_in: bool = Field(description="Shipped with productops (and perhaps edited since)")
    active: bool


class PracticeFilters(Schema):
    competency_key: str | None = None
    model: str | None = Field(
        None, description="A competency model's slug: practices of its latest version's keys"
    )
    kind: str | None = None
    effort: str | None = None
    include_inactive: bool = Field(False, description="Admins only: deactivated practices too")


class PracticeIn(Schema):
    competency_key: str
    title: str
    description: str = ""
    kind: str
    effort: str = Effort.MEDIUM.value


class PracticeChange(Schema):
    """Only the fields given change."""

    competency_key: str | None = None
    title: str | None = None
    description: str | None = None
    kind: str | None = None
    effort: str | None = None
    active: bool | None = None


class PracticeRejectedOut(Schema):
    detail: str
    errors: dict[str, str] = Field(description="Field name -> what to fix")
