"""The schemas of the competencies API's gaps routes."""

from ninja import Schema


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
    peer_count: int
    peer_mean: float | None
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
    median: float | None


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
