"""The schemas of the coaching API's communities routes (`coaching/api/communities.py`)."""

from datetime import date

from ninja import Field, Schema

from productops.coaching.models import Community
from productops.org.schemas import PersonRef


class CommunityOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    book: str
    organizer: PersonRef | None = Field(description="Empty for viewers")
    sessions: int
    people: int = Field(description="Distinct people who attended any session")
    last_session: date | None


class CommunityIn(Schema):
    name: str
    kind: str = Community.Kind.COMMUNITY.value
    description: str = ""
    book: str = Field("", description="Required for a book club")
    organizer_id: int | None = None


class CommunitySessionOut(Schema):
    id: int
    community_id: int
    date: date
    topic: str
    facilitator: PersonRef | None = Field(description="Empty for viewers")
    attendees: int


class CommunitySessionIn(Schema):
    date: date
    topic: str
    facilitator_id: int | None = None


class CommunityAttendeeOut(Schema):
    id: int
    name: str
    discipline: str


class CommunitySessionDetailOut(CommunitySessionOut):
    by_discipline: dict[str, int]
    people: list[CommunityAttendeeOut] = Field(description="Empty for viewers")


class CommunityAttendanceIn(Schema):
    person_ids: list[int] = Field(description="Everyone who attended: replaces the list")


class CommunityPeriodIn(Schema):
    days: int | None = Field(None, description="The last N days, today included (default 90)")
    start: date | None = Field(None, description="First day; wins over days")
    end: date | None = Field(None, description="Last day (default today)")


class CommunityDisciplineOut(Schema):
    discipline: str
    label: str
    people: int
    sessions: int
    attendances: int
    share: float | None
    by_community: dict[int, int]


class CommunityParticipationRowOut(Schema):
    id: int
    name: str
    kind: str
    sessions: int
    people: int
    attendances: int
    outside_product: int
    outside_product_share: float | None
    by_discipline: dict[str, int]


class CommunityParticipationOut(Schema):
    start: date | None
    end: date | None
    sessions: int
    participants: int
    attendances: int
    outside_product: int
    outside_product_share: float | None
    disciplines: list[CommunityDisciplineOut]
    communities: list[CommunityParticipationRowOut]
