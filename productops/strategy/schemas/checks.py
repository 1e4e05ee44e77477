"""The priority check API's schemas. A `Check` prefix keeps their OpenAPI names apart
from the other areas' schemas.

No `from __future__ import annotations`: django-ninja reads the annotations.
"""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from productops.strategy import priority_check


class CheckPriorityOut(Schema):
    id: int
    title: str
    position: int


class CheckParticipantOut(Schema):
    id: int | None = Field(description="The participant's login id; null for viewers")
    username: str | None = Field(description="null for viewers, who see no names")
    name: str | None = Field(description="null for viewers, who see no names")
    submitted: bool


class CheckSummaryOut(Schema):
    id: int
    title: str
    created_at: dt.datetime
    created_by: str | None = Field(
        description="The login who started the check; null for viewers, who see no names"
    )
    closed: bool
    status: str = Field(description="waiting, complete or closed")
    status_label: str = Field(description="E.g. “waiting for 1 of 2”")
    previous_id: int | None = Field(description="The earlier check this one is compared with")

    # the list pages a queryset (from `priority_check.with_counts`); the detail is a dict
    @staticmethod
    def resolve_created_by(check: Any) -> str | None:
        if isinstance(check, dict):
            return check["created_by"]
        if getattr(check, "names_hidden", False) or check.created_by is None:
            return None
        return check.created_by.get_username()

    @staticmethod
    def resolve_status(check: Any) -> str:
        return check["status"] if isinstance(check, dict) else priority_check.status_of(check).key

    @staticmethod
    def resolve_status_label(check: Any) -> str:
        if isinstance(check, dict):
            return check["status_label"]
        return priority_check.status_of(check).label


class CheckPairOut(Schema):
    first: str
    second: str
    tau: float | None = Field(description="Kendall's tau-b; none when undefined")
    reading: str


class CheckDisagreementOut(Schema):
    """Only for who sees every ranking (an admin), from whose rankings it follows."""

    priority_id: int
    title: str
    spread: float = Field(description="Highest rank minus lowest rank (ties share places)")
    pairwise_difference: float = Field(description="Sum of absolute differences of every pair")
    highest_rank: float
    lowest_rank: float


class CheckSpreadChangeOut(Schema):
    title: str
    spread_then: float
    spread_now: float
    change: float


class CheckChangeOut(Schema):
    previous_id: int
    previous_title: str
    tau_then: float | None
    tau_now: float | None
    tau_change: float | None = Field(description="Tau now minus tau then")
    basis: str | None = Field(description="“same people” or “all pairs”; none without data")
    priorities: list[CheckSpreadChangeOut] = Field(
        description="Priorities in both checks: their spread then and now; empty unless "
        "you see every ranking of both checks (an admin)"
    )


class CheckResultsOut(Schema):
    rankings_in: int
    mean_tau: float | None
    reading: str
    pairs: list[CheckPairOut] = Field(
        description="Tau per pair; empty unless you see every ranking (an admin)"
    )
    disagreements: list[CheckDisagreementOut] = Field(
        description="Top 5, largest spread first; empty unless you see every ranking (an "
        "admin): with the agreement, it would let a participant work out the others' ranks"
    )
    change: CheckChangeOut | None


class CheckRankOut(Schema):
    priority_id: int
    rank: int


class CheckRankingOut(Schema):
    author: str = Field(description="The author's login")
    author_name: str
    submitted_at: dt.datetime
    ranks: list[CheckRankOut]


class CheckDetailOut(CheckSummaryOut):
    priorities: list[CheckPriorityOut]
    participants: list[CheckParticipantOut]
    waiting_for_you: bool = Field(description="You take part and have not ranked yet")
    can_submit: bool
    can_close: bool
    results: CheckResultsOut | None = Field(
        description="None until two rankings are in, and for a participant who has not ranked"
    )
    rankings: list[CheckRankingOut] = Field(
        description="Only those you may see: your own; every one for an admin who is not "
        "waiting to rank"
    )


class CheckCreateIn(Schema):
    title: str
    priorities: list[str] = Field(description="3 to 30, each once")
    participants: list[str] = Field(description="Two or more logins (usernames)")
    previous_id: int | None = Field(
        None,
        description="The check to compare with; default: the most recent earlier check "
        "sharing a priority; 0 for none",
    )


class CheckRankIn(Schema):
    priority_id: int
    rank: int = Field(description="1 = most important; ties allowed")


class CheckRankingIn(Schema):
    ranks: list[CheckRankIn]
