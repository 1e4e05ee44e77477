"""Gap analysis: where each person stands against what their level expects. Pure.

Everything here works on plain facts built by `gap_data` (answers, competencies,
expectations): no Django, no database, no settings, no clock. Each number below can be
checked by hand, and `tests/competencies/test_gaps_arithmetic.py` does.

How the numbers are made, per person and competency, within one assessment cycle:

- **Answers.** Only submitted requests count. A "not observed" answer (no score) is left
  out of every number, including the count of peers who answered.
- **Self score**: the person's own answer. **Manager score**: the mean of the manager
  answers (one, unless the manager changed during the cycle).
- **Peer mean**: the mean of the peer answers, *only when at least 3 peers*
  (`peer_threshold`, the visibility module's `PEER_ANONYMITY_THRESHOLD`) answered that
  competency; the count is always shown. Below the threshold the peer answers are
  dropped altogether: they are not shown and not used in any other number either,
  because a consensus that mixed in one or two peers would let anyone who knows the
  manager's score work a peer's score back out. No output of this module holds a
  single peer's score.
- **Release of peer answers.** Peer answers count only once they are released for the
  person and cycle (the rule is `visibility.peer_releases`: the cycle closed, or every
  requested peer answered and there are at least 3 of them). Until then they are left
  out of every number, as below the threshold, and the row says "pending". Admins (who
  may read each peer's answers anyway) see them as they come in (`live`). Anyone else
  reads a peer count only as "3 or more" or "fewer than 3", never the exact n.
- **Others** = the mean of the manager score and the peer mean, over those present. The
  manager and the peer group weigh the same whatever the number of peers: one sees the
  work up close over time, the other from several sides, and neither should drown the
  other.
- **Consensus** = others when present. The self score does not count when anyone else
  answered: self-ratings carry the familiar over- and under-confidence, and blind spots
  are measured as self against others, so mixing self in would shrink the very
  difference we look for. When nobody else answered (a self-assessment-only cycle) the
  consensus falls back to the self score, marked `basis = "self"`, so a first cycle still
  shows gaps; otherwise there is no consensus.
- **Gap** = expected step for the person's level − consensus. Positive: below what the
  level expects by that many steps; negative: above it. None when the level has no
  expectation for the competency or there is no consensus.
- **Blind spot**: self − others ≥ 1.5 steps. **Hidden strength**: others − self ≥ 1.5.
  Both need a self score and others; a self-only consensus is never compared to itself.
- **Top gaps**: the 3 largest positive gaps, ties broken by the model's order.
- **Change**: consensus now − consensus in the previous cycle (the latest earlier cycle
  the person was assessed in with a version of the same model), competencies matched by
  key. None when either side has no consensus.

For teams and the org:

- **Heatmap**: people × competencies, coloured by gap (rows in name order: it is a map,
  not a ranking).
- **Distribution** of the consensus per competency: each person's consensus rounded to
  the nearest step (halves round up) and clamped to the scale, counted per step, plus
  the median of the unrounded values.
- **Who most needs support**, per manager: their direct reports sorted by *total
  weighted gap* = the sum of the positive gaps, each counting its full size (two steps
  below weighs twice one step below). Surpluses do not offset shortfalls: being strong
  at delivery does not make up for skipping discovery. Ties: more competencies below
  expectation first, then name. People with nothing below expectation are not listed.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

# Rater kinds spelt as their stored values (productops.competencies.models.RaterKind), so
# this module stays free of the ORM; a test checks they match.
SELF = "self"
MANAGER = "manager"
PEER = "peer"

PEER_ANONYMITY_THRESHOLD = 3
SIGNAL_STEPS = 1.5
TOP_GAPS = 3
# Float means (thirds, sixths) must not miss a threshold by a rounding error.
_TOLERANCE = 1e-9

BASIS_LABELS = {
    "manager+peers": "manager and peers",
    "manager": "manager only",
    "peers": "peers only",
    "self": "self only (nobody else answered)",
    "none": "no answers",
}
# The self-only fallback while peer answers wait for their release: somebody else may
# well have answered.
PENDING_SELF_LABEL = "self only (peer results pending)"

# How a result treats peer answers (`PersonGaps.peer_results`).
PEERS_RELEASED = "released"  # released for this person and cycle: they count
PEERS_PENDING = "pending"  # not released yet: left out of every number
PEERS_LIVE = "live"  # an admin's view: every submitted peer answer, released or not

PEERS_PENDING_NOTE = (
    "Peer results for {cycle} are pending. They appear when the cycle closes, or as soon "
    "as every requested peer has answered (at least {threshold} of them), and then stay "
    "as they are. Until then they count nowhere: the consensus comes from the manager "
    "alone."
)
PEERS_LIVE_NOTE = (
    "You see peer answers as they come in. {person} and their managers see peer results "
    "only once they are released: when the cycle closes, or once every requested peer "
    "has answered (at least {threshold} of them)."
)

CONSENSUS_FORMULA = (
    "Consensus is the mean of the manager's score and the peer mean (the peer mean counts "
    "only when at least {threshold} peers answered; below that, peer answers are left out "
    "of every number). Peer answers count only once released: when the cycle closes, or "
    "once every requested peer has answered (at least {threshold}); until then they are "
    "left out, and once released they no longer change. The person's own score is not "
    "part of it when anyone else answered, so that self and others can be compared; when "
    "nobody else answered, the consensus falls "
    "back to the self score. Gap = expected step for the level − consensus: positive "
    "means below expectation. A blind spot is self above others by at least {signal} "
    "steps; a hidden strength, self below others by as much."
)


TABLE_COLUMNS = (
    "Competency",
    "Self",
    "Manager",
    "Peers (n)",
    "Consensus",
    "Expected",
    "Gap",
    "Change",
)


@dataclass(frozen=True)
class PersonFact:
    id: int
    name: str
    level: str = ""
    discipline: str = ""
    manager_id: int | None = None
    manager_name: str = ""


@dataclass(frozen=True)
class CompetencyFact:
    key: str
    name: str
    area: str = ""


@dataclass(frozen=True)
class CycleFact:
    id: int
    name: str
    model: str = ""
    version: int = 0


class Answer(NamedTuple):
    """One submitted rating; score None means "not observed".

    A named tuple rather than a dataclass: an org loads tens of thousands of them.
    """

    kind: str
    competency_key: str
    score: int | None


@dataclass(frozen=True)
class Consensus:
    others: float | None
    value: float | None
    basis: str


@dataclass(frozen=True)
class CompetencyGap:
    key: str
    name: str
    area: str
    position: int
    self_score: float | None
    manager_score: float | None
    peer_count: int
    peer_mean: float | None  # None below the anonymity threshold
    others: float | None
    consensus: float | None
    basis: str
    expected: int | None
    gap: float | None
    previous: float | None
    change: float | None
    signal: str | None  # "blind_spot" | "hidden_strength" | None
    peers_pending: bool = False  # peer answers not released yet: left out of every number
    exact_peer_count: bool = True  # False: the count reads "3 or more" / "fewer than 3"

    @property
    def self_minus_others(self) -> float | None:
        if self.self_score is None or self.others is None:
            return None
        return self.self_score - self.others

    @property
    def basis_label(self) -> str:
        if self.peers_pending and self.basis == "self":
            return PENDING_SELF_LABEL
        return BASIS_LABELS[self.basis]

    def peers_answered(self, threshold: int = PEER_ANONYMITY_THRESHOLD) -> str:
        """How many peers answered, as anyone but an admin may read it."""
        if self.peers_pending:
            return "pending"
        if self.peer_count >= threshold:
            return f"{threshold} or more"
        if self.peer_count:
            return f"fewer than {threshold}"
        return "none"

    def peers_cell(self, threshold: int = PEER_ANONYMITY_THRESHOLD) -> str:
        if self.peers_pending:
            return "pending"
        count = f"n={self.peer_count}" if self.exact_peer_count else self.peers_answered(threshold)
        if self.peer_mean is not None:
            return f"{shown(self.peer_mean)} ({count})"
        if self.peer_count:
            if self.exact_peer_count:
                return f"hidden (n={self.peer_count}, {threshold} needed)"
            return f"hidden ({count} answered, {threshold} needed)"
        return "—"

    def cells(self, threshold: int = PEER_ANONYMITY_THRESHOLD) -> tuple[str, ...]:
        """The row as the page and the command print it, in `TABLE_COLUMNS` order."""
        return (
            self.name,
            shown(self.self_score),
            shown(self.manager_score),
            self.peers_cell(threshold),
            shown(self.consensus),
            shown(self.expected),
            shown(self.gap, signed=True),
            shown(self.change, signed=True),
        )

    def as_dict(self, threshold: int = PEER_ANONYMITY_THRESHOLD) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "area": self.area,
            "self_score": rounded(self.self_score),
            "manager_score": rounded(self.manager_score),
            "peer_count": self.peer_count if self.exact_peer_count else None,
            "peers_answered": self.peers_answered(threshold),
            "peer_mean": rounded(self.peer_mean),
            "others": rounded(self.others),
            "consensus": rounded(self.consensus),
            "basis": self.basis,
            "expected": self.expected,
            "gap": rounded(self.gap),
            "previous": rounded(self.previous),
            "change": rounded(self.change),
            "signal": self.signal,
        }


@dataclass(frozen=True)
class PersonGaps:
    person: PersonFact
    rows: tuple[CompetencyGap, ...]
    top_gaps: tuple[CompetencyGap, ...]
    cycle: CycleFact | None = None
    previous_cycle: CycleFact | None = None
    expected_for: str = ""  # the ladder level the expectations come from
    peer_threshold: int = PEER_ANONYMITY_THRESHOLD
    steps: tuple[int, ...] = ()  # the rating scale of the cycle's model version
    # PEERS_RELEASED, PEERS_PENDING, or PEERS_LIVE (an admin's view of every answer)
    peer_results: str = PEERS_RELEASED
    # Whether the peer answers are released for this person and cycle (what everyone
    # but admins goes by); True when peer_results is PEERS_RELEASED.
    peers_released: bool = True
    exact_peer_counts: bool = True  # False for anyone who may not read each peer's answers

    @property
    def blind_spots(self) -> list[CompetencyGap]:
        return [row for row in self.rows if row.signal == "blind_spot"]

    @property
    def hidden_strengths(self) -> list[CompetencyGap]:
        return [row for row in self.rows if row.signal == "hidden_strength"]

    @property
    def total_gap(self) -> float:
        """The total weighted gap: the sum of the positive gaps."""
        return sum(row.gap for row in self.rows if row.gap is not None and row.gap > 0)

    @property
    def below_count(self) -> int:
        return sum(1 for row in self.rows if row.gap is not None and row.gap > _TOLERANCE)

    @property
    def has_answers(self) -> bool:
        return any(row.basis != "none" for row in self.rows)

    def row(self, key: str) -> CompetencyGap:
        return next(row for row in self.rows if row.key == key)

    def table(self) -> list[tuple[str, ...]]:
        return [row.cells(self.peer_threshold) for row in self.rows]

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": {"id": self.person.id, "name": self.person.name, "level": self.person.level},
            "cycle": cycle_dict(self.cycle),
            "previous_cycle": cycle_dict(self.previous_cycle),
            "expected_for": self.expected_for,
            "peer_threshold": self.peer_threshold,
            "peer_results": self.peer_results,
            "peers_released": self.peers_released,
            "exact_peer_counts": self.exact_peer_counts,
            "steps": list(self.steps),
            "competencies": [row.as_dict(self.peer_threshold) for row in self.rows],
            "blind_spots": [row.key for row in self.blind_spots],
            "hidden_strengths": [row.key for row in self.hidden_strengths],
            "top_gaps": [row.key for row in self.top_gaps],
            "total_gap": rounded(self.total_gap),
        }


def cycle_dict(cycle: CycleFact | None) -> dict[str, Any] | None:
    if cycle is None:
        return None
    return {"id": cycle.id, "name": cycle.name, "model": cycle.model, "version": cycle.version}


def rounded(value: float | None) -> float | None:
    """Two decimals for JSON and display; never -0.0."""
    if value is None:
        return None
    result = round(value, 2)
    return 0.0 if result == 0 else result


@lru_cache(maxsize=4096)  # an org heatmap prints the same few numbers thousands of times
def shown(value: float | None, signed: bool = False) -> str:
    """A number as pages and the command print it: "2.33", "3", "+1.5", "—" for none."""
    result = rounded(value)
    if result is None:
        return "—"
    text = f"{result:.2f}".rstrip("0").rstrip(".")
    return f"+{text}" if signed and result > 0 else text


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


# competency key -> rater kind -> scores, "not observed" already left out
ScoreSheet = Mapping[str, Mapping[str, Sequence[int]]]


def score_sheet(answers: Iterable[Answer] | ScoreSheet) -> ScoreSheet:
    """Answers grouped by competency and rater kind, "not observed" left out.

    A mapping is taken as a sheet already grouped: `gap_data` builds sheets straight from
    the database rows, sparing an object per rating on a large org.
    """
    if isinstance(answers, Mapping):
        return answers
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for answer in answers:
        if answer.score is not None:
            scores[answer.competency_key][answer.kind].append(answer.score)
    return scores


def consensus_of(
    self_scores: Sequence[float],
    manager_scores: Sequence[float],
    peer_scores: Sequence[float],
    peer_threshold: int = PEER_ANONYMITY_THRESHOLD,
) -> Consensus:
    """Others and consensus for one competency, as the module docstring defines them."""
    manager = _mean(manager_scores)
    peers = _mean(peer_scores) if len(peer_scores) >= peer_threshold else None
    parts = [value for value in (manager, peers) if value is not None]
    others = _mean(parts)
    if others is not None:
        basis = (
            "manager+peers" if len(parts) == 2 else ("manager" if manager is not None else "peers")
        )
        return Consensus(others=others, value=others, basis=basis)
    own = _mean(self_scores)
    if own is not None:
        return Consensus(others=None, value=own, basis="self")
    return Consensus(others=None, value=None, basis="none")


def consensus_by_key(
    answers: Iterable[Answer] | ScoreSheet, peer_threshold: int = PEER_ANONYMITY_THRESHOLD
) -> dict[str, float | None]:
    """Competency key -> consensus, for every key that has answers."""
    return {
        key: consensus_of(
            by_kind.get(SELF, []), by_kind.get(MANAGER, []), by_kind.get(PEER, []), peer_threshold
        ).value
        for key, by_kind in score_sheet(answers).items()
    }


def signal_of(
    self_score: float | None, others: float | None, steps: float = SIGNAL_STEPS
) -> str | None:
    if self_score is None or others is None:
        return None
    if self_score - others >= steps - _TOLERANCE:
        return "blind_spot"
    if others - self_score >= steps - _TOLERANCE:
        return "hidden_strength"
    return None


def person_gaps(
    person: PersonFact,
    competencies: Sequence[CompetencyFact],
    answers: Iterable[Answer] | ScoreSheet,
    expected: Mapping[str, int] | None = None,
    previous: Iterable[Answer] | ScoreSheet | None = None,
    *,
    cycle: CycleFact | None = None,
    previous_cycle: CycleFact | None = None,
    expected_for: str = "",
    peer_threshold: int = PEER_ANONYMITY_THRESHOLD,
    steps: Sequence[int] = (),
    peer_results: str = PEERS_RELEASED,
    peers_released: bool | None = None,
    exact_peer_counts: bool = True,
) -> PersonGaps:
    """Every number for one person in one cycle, one row per competency in model order.

    `answers` are the submitted answers (or a `ScoreSheet`); `expected` maps competency
    keys to the step the person's level expects; `previous` holds the answers of the
    previous cycle (same model), for the change. With `peer_results` PEERS_PENDING the
    peer answers are left out of every number (the caller should not pass them at all).
    """
    expected = expected or {}
    scores = score_sheet(answers)
    pending = peer_results == PEERS_PENDING
    if pending:
        scores = without_peers(scores)
    before = consensus_by_key(previous, peer_threshold) if previous is not None else {}
    rows = []
    for position, competency in enumerate(competencies):
        by_kind = scores.get(competency.key, {})
        self_scores = by_kind.get(SELF, [])
        manager_scores = by_kind.get(MANAGER, [])
        peer_scores = by_kind.get(PEER, [])
        agreed = consensus_of(self_scores, manager_scores, peer_scores, peer_threshold)
        shown_peers = len(peer_scores) >= peer_threshold
        own = _mean(self_scores)
        step = expected.get(competency.key)
        then = before.get(competency.key)
        rows.append(
            CompetencyGap(
                key=competency.key,
                name=competency.name,
                area=competency.area,
                position=position,
                self_score=own,
                manager_score=_mean(manager_scores),
                peer_count=len(peer_scores),
                peer_mean=_mean(peer_scores) if shown_peers else None,
                others=agreed.others,
                consensus=agreed.value,
                basis=agreed.basis,
                expected=step,
                gap=None if step is None or agreed.value is None else step - agreed.value,
                previous=then,
                change=None if then is None or agreed.value is None else agreed.value - then,
                signal=signal_of(own, agreed.others),
                peers_pending=pending,
                exact_peer_count=exact_peer_counts,
            )
        )
    return PersonGaps(
        person=person,
        rows=tuple(rows),
        top_gaps=top_gaps(rows),
        cycle=cycle,
        previous_cycle=previous_cycle,
        expected_for=expected_for,
        peer_threshold=peer_threshold,
        steps=tuple(sorted(steps)),
        peer_results=peer_results,
        peers_released=peer_results == PEERS_RELEASED if peers_released is None else peers_released,
        exact_peer_counts=exact_peer_counts,
    )


def without_peers(sheet: ScoreSheet) -> ScoreSheet:
    """The sheet with every peer answer left out: what counts before peers are released."""
    return {
        key: {kind: scores for kind, scores in by_kind.items() if kind != PEER}
        for key, by_kind in sheet.items()
    }


def top_gaps(rows: Iterable[CompetencyGap], count: int = TOP_GAPS) -> tuple[CompetencyGap, ...]:
    """The largest positive gaps, ties in model order."""
    below = [row for row in rows if row.gap is not None and row.gap > _TOLERANCE]
    below.sort(key=lambda row: (-round(row.gap or 0, 9), row.position))
    return tuple(below[:count])


# ---------------------------------------------------------------------------------------
# Teams and the org
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyDistribution:
    key: str
    name: str
    steps: tuple[int, ...]
    counts: tuple[int, ...]  # people per step, aligned with `steps`
    people: int
    median: float | None
    hidden: bool = False  # too few people for this viewer: counts and median withheld
    # The exact median withheld from this viewer: it would be one person's own value in a
    # group the viewer belongs to or knows part of. The counts per step still show.
    median_withheld: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "people": self.people if not self.hidden else None,
            "hidden": self.hidden,
            "counts": {
                str(step): count for step, count in zip(self.steps, self.counts, strict=True)
            },
            "median": rounded(self.median),
            "median_withheld": self.median_withheld,
        }


def step_bucket(value: float, steps: Sequence[int]) -> int:
    """The step a consensus counts under: nearest step, halves up, within the scale."""
    nearest = math.floor(value + 0.5 + _TOLERANCE)
    return min(max(nearest, min(steps)), max(steps))


def distribution(
    results: Iterable[PersonGaps], competencies: Sequence[CompetencyFact], steps: Sequence[int]
) -> list[CompetencyDistribution]:
    """Per competency: how many people sit at each step (by consensus), and the median."""
    ordered = tuple(sorted(steps))
    values: dict[str, list[float]] = defaultdict(list)
    for result in results:
        for row in result.rows:
            if row.consensus is not None:
                values[row.key].append(row.consensus)
    out = []
    for competency in competencies:
        found = values.get(competency.key, [])
        per_step = dict.fromkeys(ordered, 0)
        for value in found:
            per_step[step_bucket(value, ordered)] += 1
        out.append(
            CompetencyDistribution(
                key=competency.key,
                name=competency.name,
                steps=ordered,
                counts=tuple(per_step.values()),
                people=len(found),
                median=statistics.median(found) if found else None,
            )
        )
    return out


@dataclass(frozen=True)
class SupportEntry:
    person_id: int
    name: str
    total_gap: float
    below: int
    top: tuple[str, ...]  # names of the top gaps

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "total_gap": rounded(self.total_gap),
            "below": self.below,
            "top_gaps": list(self.top),
        }


@dataclass(frozen=True)
class SupportGroup:
    manager_id: int
    manager_name: str
    people: tuple[SupportEntry, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "manager_id": self.manager_id,
            "manager_name": self.manager_name,
            "people": [entry.as_dict() for entry in self.people],
        }


def needs_support(
    results: Iterable[PersonGaps], managers: Iterable[int] | None = None
) -> list[SupportGroup]:
    """Per manager, their people with anything below expectation, most in need first.

    `managers` limits the groups to those managers (None: every manager). Groups come in
    manager-name order.
    """
    allowed = None if managers is None else set(managers)
    grouped: dict[int, list[SupportEntry]] = defaultdict(list)
    names: dict[int, str] = {}
    for result in results:
        boss = result.person.manager_id
        if boss is None or (allowed is not None and boss not in allowed):
            continue
        total = result.total_gap
        if total <= _TOLERANCE:
            continue
        names[boss] = result.person.manager_name
        grouped[boss].append(
            SupportEntry(
                person_id=result.person.id,
                name=result.person.name,
                total_gap=total,
                below=result.below_count,
                top=tuple(row.name for row in result.top_gaps),
            )
        )
    groups = []
    for boss, entries in grouped.items():
        entries.sort(
            key=lambda entry: (
                -round(entry.total_gap, 9),
                -entry.below,
                entry.name,
                entry.person_id,
            )
        )
        groups.append(
            SupportGroup(manager_id=boss, manager_name=names[boss], people=tuple(entries))
        )
    groups.sort(key=lambda group: (group.manager_name.casefold(), group.manager_id))
    return groups
