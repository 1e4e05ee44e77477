"""The schemas of the competencies API's gaps routes."""

from typing import Literal

from ninja import Field, Schema


class CycleOut(Schema):
    id: int
    name: str
    model: str
    version: int


class PersonRefOut(Schema):
    id: int
    name: str
    level: str


class CompetencyGapOut(Schema):
    key: str
    name: str
    area: str
    self_score: float | None
    manager_score: float | None
    peer_count: int | None = Field(
        description=(
            "How many peers gave a score, exactly: only for those who may read each peer's "
            "answers (admins); null for everyone else, who read `peers_answered`"
        )
    )
    peers_answered: Literal["pending", "none", "fewer than 3", "3 or more"] = Field(
        description=(
            "How many peers gave a score, as everyone may read it; 'pending' while the peer "
            "results are not released"
        )
    )
    peer_mean: float | None = Field(
        description="The peer mean: null below 3 answers, and until the peer results are released"
    )
    others: float | None
    consensus: float | None
    basis: str
    expected: int | None
    gap: float | None
    previous: float | None
    change: float | None
    signal: str | None


class PersonGapsOut(Schema):
    person: PersonRefOut
    cycle: CycleOut | None
    previous_cycle: CycleOut | None
    expected_for: str
    peer_threshold: int
    peer_results: Literal["released", "pending", "live"] = Field(
        description=(
            "'released': peer answers count (the cycle closed, or every requested peer "
            "answered, at least 3); 'pending': not released yet, so peer answers count "
            "nowhere; 'live': an admin's view of every submitted peer answer"
        )
    )
    peers_released: bool = Field(
        description="Whether the peer results are released for this person and cycle"
    )
    exact_peer_counts: bool = Field(
        description="Whether `peer_count` holds exact counts (admins only)"
    )
    steps: list[int]
    competencies: list[CompetencyGapOut]
    blind_spots: list[str]
    hidden_strengths: list[str]
    top_gaps: list[str]
    total_gap: float | None


class CompetencyOut(Schema):
    key: str
    name: str
    area: str


class DistributionOut(Schema):
    key: str
    name: str
    people: int | None
    hidden: bool
    counts: dict[str, int]
    median: float | None = Field(
        description=(
            "Median consensus; null when withheld (`hidden`, or `median_withheld`: it would "
            "be one person's score in a group you are part of or know part of)"
        )
    )
    median_withheld: bool


class SupportPersonOut(Schema):
    person_id: int
    name: str
    total_gap: float | None
    below: int
    top_gaps: list[str]


class SupportOut(Schema):
    manager_id: int
    manager_name: str
    people: list[SupportPersonOut]


class HeatmapRowOut(Schema):
    person: PersonRefOut
    total_gap: float | None
    cells: list[CompetencyGapOut]


class GroupGapsOut(Schema):
    scope: str
    cycle: CycleOut | None
    cycles: list[CycleOut]
    competencies: list[CompetencyOut]
    steps: list[int]
    people_assessed: int
    heatmap: list[HeatmapRowOut]
    distribution: list[DistributionOut]
    support: list[SupportOut]


class DistributionOnlyOut(Schema):
    cycle: CycleOut | None
    competencies: list[CompetencyOut]
    steps: list[int]
    people_assessed: int
    distribution: list[DistributionOut]


class PersonParams(Schema):
    cycle: int | None = None


class GroupParams(Schema):
    cycle: int | None = None
    model: str | None = None


class OrgParams(GroupParams):
    manager: int | None = None


class DistributionParams(OrgParams):
    team: int | None = None
