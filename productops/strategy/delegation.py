"""The delegation board: the level a team's maturity suggests, and where the chosen one is off.

The formula (pure: plain numbers in, plain numbers out; `docs/discovery-and-strategy.md`
says the same in plain words):

- **Team maturity** M in [0, 1] is a weighted mean of three parts, each in [0, 1]:
  - *competence* (weight 0.5): the team's product manager's latest assessment. For each
    PM, the mean consensus over the competencies that have one (`competencies.gaps`),
    placed on the model's rating scale: (mean − lowest step) / (highest step − lowest
    step). With several PMs, the mean of those who have an assessment.
  - *trio* (weight 0.25): (product present + design present + engineering present) / 3,
    from the team's active members' roles: a product manager; a design lead or designer;
    a tech lead or engineer.
  - *cadence* (weight 0.25): the team's weekly share of discovery over the last 12
    complete ISO weeks (`discovery.cadence`).
  A part that cannot be known (no PM with an assessment; no cadence for the team) is left
  out and the weights of the others are scaled up to sum to 1. With no part at all there
  is no maturity and no recommendation.
- **Recommended level** = clamp(round half up(1 + 6·M + offset), 1, 7), offset +1 for a
  low-difficulty decision area, 0 for medium, −1 for high.
- **Findings**: chosen − recommended ≥ 2 is *over-delegation* (the team decides more than
  its maturity supports); ≤ −2 is *micromanagement* (the leader keeps decisions the team
  is ready for).
- **Withheld**: for a user who may not see a team's competence (`competence_visible`),
  the team's maturity, recommendations, distances and findings are left out too: with
  trio and cadence shown, one recommended level puts a lone PM's competence in a band
  a sixth of the scale wide.

The loader (`load_board`) reads teams, areas, levels and the three parts in a fixed number
of queries whatever the number of teams.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from productops.competencies import gap_data, gaps
from productops.competencies.models import AssessmentRequest
from productops.competencies.visibility import PEER_ANONYMITY_THRESHOLD
from productops.org.models import Team, TeamMembership, TeamRole
from productops.strategy.models import (
    DELEGATION_LEVELS,
    DecisionArea,
    Delegation,
    Difficulty,
)

WEIGHTS = {"competence": 0.5, "trio": 0.25, "cadence": 0.25}
DIFFICULTY_OFFSET = {Difficulty.LOW.value: 1, Difficulty.MEDIUM.value: 0, Difficulty.HIGH.value: -1}
FINDING_DISTANCE = 2
CADENCE_WEEKS = 12
MIN_LEVEL = min(DELEGATION_LEVELS)
MAX_LEVEL = max(DELEGATION_LEVELS)

OVER_DELEGATION = "over-delegation"
MICROMANAGEMENT = "micromanagement"
FINDING_MEANINGS = {
    OVER_DELEGATION: "the team decides more than its maturity supports",
    MICROMANAGEMENT: "the leader keeps decisions the team is ready for",
}

PART_LABELS = {
    "competence": "PM competence",
    "trio": "Trio completeness",
    "cadence": "Discovery cadence",
}

PRODUCT_ROLES = frozenset({TeamRole.PRODUCT_MANAGER.value})
DESIGN_ROLES = frozenset({TeamRole.DESIGN_LEAD.value, TeamRole.DESIGNER.value})
ENGINEERING_ROLES = frozenset({TeamRole.TECH_LEAD.value, TeamRole.ENGINEER.value})

# Float sums (thirds, quarters of thirds) must not miss a .5 by a rounding error.
_TOLERANCE = 1e-9

# Decision areas offered on an empty board, in our words.
SUGGESTED_AREAS: tuple[tuple[str, str, str], ...] = (
    (
        "What to build next quarter",
        "Which outcomes and bets the team takes on for the coming quarter.",
        Difficulty.HIGH,
    ),
    ("Pricing", "Prices, plans and discounts of what the team builds.", Difficulty.HIGH),
    (
        "Hiring a designer",
        "Whether to hire, who to hire, and how the interviews run.",
        Difficulty.MEDIUM,
    ),
    (
        "Changing the team's process",
        "Rituals, board, definition of done, how work flows through the team.",
        Difficulty.MEDIUM,
    ),
    (
        "Which discovery method",
        "Interviews, prototype tests, data reviews: how the team learns this time.",
        Difficulty.LOW,
    ),
    (
        "The order of the sprint backlog",
        "What the team picks up first within the agreed goals.",
        Difficulty.LOW,
    ),
    (
        "Tools the team uses",
        "Which tools the team adopts for its own daily work.",
        Difficulty.LOW,
    ),
)


# ---------------------------------------------------------------------------------------
# The formula: plain numbers
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaturityParts:
    """The three parts of a team's maturity, each in [0, 1], None when unknown."""

    competence: float | None = None
    trio: float | None = None
    cadence: float | None = None

    def known(self) -> dict[str, float]:
        return {
            name: value
            for name, value in (
                ("competence", self.competence),
                ("trio", self.trio),
                ("cadence", self.cadence),
            )
            if value is not None
        }


def _unit(value: float) -> float:
    return min(1.0, max(0.0, value))


def maturity(parts: MaturityParts) -> float | None:
    """The weighted mean of the known parts, weights renormalized; None with no part."""
    known = parts.known()
    if not known:
        return None
    total_weight = sum(WEIGHTS[name] for name in known)
    return sum(WEIGHTS[name] * _unit(value) for name, value in known.items()) / total_weight


def round_half_up(value: float) -> int:
    """2.5 -> 3, 3.5 -> 4, -0.5 -> 0 (not Python's banker's rounding)."""
    return math.floor(value + 0.5 + _TOLERANCE)


def difficulty_offset(difficulty: str) -> int:
    try:
        return DIFFICULTY_OFFSET[str(difficulty)]
    except KeyError:
        raise ValueError(f"unknown difficulty {difficulty!r}") from None


def level_for(team_maturity: float | None, difficulty: str) -> int | None:
    """clamp(round_half_up(1 + 6·M + offset), 1, 7); None without a maturity."""
    if team_maturity is None:
        return None
    raw = 1 + 6 * _unit(team_maturity) + difficulty_offset(difficulty)
    return min(MAX_LEVEL, max(MIN_LEVEL, round_half_up(raw)))


def recommended_level(parts: MaturityParts, difficulty: str) -> int | None:
    return level_for(maturity(parts), difficulty)


def finding(chosen: int | None, recommended: int | None) -> str | None:
    """ "over-delegation", "micromanagement" or None (also when either level is missing)."""
    if chosen is None or recommended is None:
        return None
    if chosen - recommended >= FINDING_DISTANCE:
        return OVER_DELEGATION
    if chosen - recommended <= -FINDING_DISTANCE:
        return MICROMANAGEMENT
    return None


def competence_score(
    consensus_values: Iterable[float | None], steps: Sequence[int]
) -> float | None:
    """The mean consensus over the competencies that have one, placed on the scale [0, 1].

    None with no consensus at all or a scale of fewer than two steps.
    """
    values = [value for value in consensus_values if value is not None]
    if not values or len(steps) < 2:
        return None
    low, high = min(steps), max(steps)
    if high == low:
        return None
    return _unit((sum(values) / len(values) - low) / (high - low))


def team_competence(pm_scores: Iterable[float | None]) -> float | None:
    """The mean over the team's PMs who have a competence score."""
    scores = [score for score in pm_scores if score is not None]
    return sum(scores) / len(scores) if scores else None


def trio_completeness(roles: Iterable[str]) -> float:
    present = {str(role) for role in roles}
    return (
        sum(1 for wanted in (PRODUCT_ROLES, DESIGN_ROLES, ENGINEERING_ROLES) if present & wanted)
        / 3
    )


def cadence_part(weekly_share: float | None) -> float | None:
    return None if weekly_share is None else _unit(float(weekly_share))


# ---------------------------------------------------------------------------------------
# The board: teams × areas, with recommendations and findings
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMaturity:
    team_id: int
    parts: MaturityParts
    competence_shown: bool = True  # False: the user may not see the PM's assessment

    @property
    def value(self) -> float | None:
        return maturity(self.parts)

    @property
    def withheld(self) -> bool:
        """The competence is known but may not be shown: then nothing that follows from
        it is shown either (maturity, recommendation, distance, finding), since with the
        other two parts a recommended level puts the PM's competence in a narrow band."""
        return self.parts.competence is not None and not self.competence_shown

    def explained(self) -> list[dict[str, Any]]:
        """The parts as the page and the API show them: label, weight, value (or why not)."""
        known = self.parts.known()
        total = sum(WEIGHTS[name] for name in known) or 1.0
        rows = []
        for name in ("competence", "trio", "cadence"):
            value = getattr(self.parts, name)
            hidden = name == "competence" and value is not None and not self.competence_shown
            rows.append(
                {
                    "part": name,
                    "label": PART_LABELS[name],
                    "weight": round(WEIGHTS[name] / total, 4) if value is not None else 0.0,
                    "value": None if value is None or hidden else round(value, 4),
                    "known": value is not None,
                    "hidden": hidden,
                }
            )
        return rows


@dataclass(frozen=True)
class Cell:
    team: Team
    area: DecisionArea
    chosen: int | None
    recommended: int | None
    maturity: TeamMaturity

    @property
    def distance(self) -> int | None:
        if self.chosen is None or self.recommended is None:
            return None
        return self.chosen - self.recommended

    @property
    def finding(self) -> str | None:
        return finding(self.chosen, self.recommended)

    @property
    def tone(self) -> str:
        """CSS suffix: unset, unknown, match, near-over, near-under, over, under."""
        if self.chosen is None:
            return "unset"
        distance = self.distance
        if distance is None:
            return "unknown"
        if distance == 0:
            return "match"
        if self.finding == OVER_DELEGATION:
            return "over"
        if self.finding == MICROMANAGEMENT:
            return "under"
        return "near-over" if distance > 0 else "near-under"

    @property
    def chosen_name(self) -> str:
        return DELEGATION_LEVELS[self.chosen][0] if self.chosen else ""

    @property
    def recommended_name(self) -> str:
        return DELEGATION_LEVELS[self.recommended][0] if self.recommended else ""

    @property
    def recommendation_withheld(self) -> bool:
        return self.maturity.withheld

    @property
    def maturity_value(self) -> float | None:
        """M, or None when it is unknown or would give the hidden competence away."""
        if self.maturity.withheld:
            return None
        value = self.maturity.value
        return None if value is None else round(value, 4)

    @property
    def why(self) -> list[dict[str, Any]]:
        return self.maturity.explained()

    @property
    def finding_meaning(self) -> str:
        return FINDING_MEANINGS.get(self.finding or "", "")


@dataclass
class Row:
    team: Team
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Board:
    areas: list[DecisionArea]
    rows: list[Row]
    # set when `rows` is one page of the board: the findings over every team
    all_findings: list[Cell] | None = None

    @property
    def findings(self) -> list[Cell]:
        if self.all_findings is not None:
            return self.all_findings
        return [cell for row in self.rows for cell in row.cells if cell.finding]

    def cell(self, team_id: int, area_id: int) -> Cell:
        for row in self.rows:
            if row.team.pk == team_id:
                return next(cell for cell in row.cells if cell.area.pk == area_id)
        raise LookupError(f"no cell for team {team_id} and area {area_id}")


def build_board(
    teams: Sequence[Team],
    areas: Sequence[DecisionArea],
    levels: Mapping[tuple[int, int], int],
    maturities: Mapping[int, TeamMaturity],
) -> Board:
    """The grid from plain facts: `levels` maps (team id, area id) to the chosen level."""
    rows = []
    for team in teams:
        team_maturity = maturities.get(team.pk) or TeamMaturity(team.pk, MaturityParts())
        row = Row(team=team)
        for area in areas:
            row.cells.append(
                Cell(
                    team=team,
                    area=area,
                    chosen=levels.get((team.pk, area.pk)),
                    recommended=None
                    if team_maturity.withheld
                    else level_for(team_maturity.value, area.difficulty),
                    maturity=team_maturity,
                )
            )
        rows.append(row)
    return Board(areas=list(areas), rows=rows)


# ---------------------------------------------------------------------------------------
# Loading the facts
# ---------------------------------------------------------------------------------------

SUBMITTED = AssessmentRequest.Status.SUBMITTED


def cadence_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """The last 12 complete ISO weeks before `today`'s week: Monday to Sunday."""
    this_monday = today - dt.timedelta(days=today.weekday())
    return this_monday - dt.timedelta(weeks=CADENCE_WEEKS), this_monday - dt.timedelta(days=1)


def _memberships(team_ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[int]]]:
    """Team id -> roles of its active members, and team id -> its active PMs (one query)."""
    roles: dict[int, list[str]] = defaultdict(list)
    pms: dict[int, list[int]] = defaultdict(list)
    for team_id, person_id, role in (
        TeamMembership.objects.filter(team_id__in=team_ids, person__active=True)
        .order_by()
        .values_list("team_id", "person_id", "role")
    ):
        roles[team_id].append(role)
        if role in PRODUCT_ROLES:
            pms[team_id].append(person_id)
    return roles, pms


def pm_competence(person_ids: Iterable[int]) -> dict[int, float]:
    """Person id -> competence score from their latest assessment cycle (two queries).

    The latest cycle and its submitted ratings come from
    `competencies.gap_data.latest_rating_sheets`, as the gap pages pick them; the consensus
    per competency is `gaps.consensus_of` with the same peer threshold as the gap pages.
    """
    latest, sheets = gap_data.latest_rating_sheets(person_ids)
    scores: dict[int, float] = {}
    for person_id, cycle in latest.items():
        steps = sorted(int(entry["step"]) for entry in cycle.version.scale)
        consensus = gaps.consensus_by_key(sheets.get(person_id, {}), PEER_ANONYMITY_THRESHOLD)
        score = competence_score(consensus.values(), steps)
        if score is not None:
            scores[person_id] = score
    return scores


def board_teams() -> QuerySet[Team]:
    """The teams on the board, by name: the teams that build, and any team with levels set.

    A group that holds other teams is left out unless someone set levels for it.
    """
    from django.db.models import Exists, OuterRef

    from productops.org.models import builds_product

    return Team.objects.filter(
        builds_product() | Exists(Delegation.objects.filter(team=OuterRef("pk")))
    ).order_by("name", "pk")


def team_cadence(team_ids: list[int], today: dt.date) -> dict[int, float]:
    """Team id -> weekly share of discovery over the last 12 complete weeks.

    Empty when nobody in the org logs touchpoints at all: then productops does not know
    the teams' discovery, rather than knowing it is nil, and the part is left out.
    """
    from productops.discovery.cadence import load_cadence
    from productops.discovery.models import Touchpoint

    if not Touchpoint.objects.exists():
        return {}
    start, end = cadence_window(today)
    return {
        entry.team_id: float(entry.weekly_share)
        for entry in load_cadence(team_ids=team_ids, start=start, end=end)
        if entry.weekly_share is not None
    }


def team_maturities(
    team_ids: list[int],
    today: dt.date,
    competence_visible: Callable[[Sequence[int]], bool] | None = None,
) -> dict[int, TeamMaturity]:
    """Team id -> its maturity parts. `competence_visible(pm_ids) -> bool` decides whether
    the competence number may be shown (None: always)."""
    roles, pms = _memberships(team_ids)
    competence = pm_competence(pid for ids in pms.values() for pid in ids)
    cadence = team_cadence(team_ids, today) if team_ids else {}
    result = {}
    for team_id in team_ids:
        pm_ids = pms.get(team_id, [])
        parts = MaturityParts(
            competence=team_competence(competence.get(pid) for pid in pm_ids),
            trio=trio_completeness(roles.get(team_id, [])),
            cadence=cadence_part(cadence.get(team_id)),
        )
        shown = True if competence_visible is None else bool(competence_visible(pm_ids))
        result[team_id] = TeamMaturity(team_id=team_id, parts=parts, competence_shown=shown)
    return result


def load_board(
    teams: Sequence[Team] | None = None,
    *,
    today: dt.date | None = None,
    competence_visible: Callable[[Sequence[int]], bool] | None = None,
) -> Board:
    """The board for `teams` (`board_teams()` when None) and every decision area."""
    if teams is None:
        teams = list(board_teams())
    teams = list(teams)
    team_ids = [team.pk for team in teams]
    areas = list(DecisionArea.objects.order_by("name", "pk"))
    levels = {
        (team_id, area_id): level
        for team_id, area_id, level in Delegation.objects.filter(team_id__in=team_ids)
        .order_by()
        .values_list("team_id", "area_id", "level")
    }
    maturities = team_maturities(
        team_ids, today or timezone.localdate(), competence_visible=competence_visible
    )
    return build_board(teams, areas, levels, maturities)
