"""The CEO/CPO check: how far two or more leaders rank the same priorities alike.

The first part is pure (rankings in, numbers out) and is tested without a database:

- Each ranking maps a priority to its rank (1 = most important; ties share a rank).
  Ranks are first put on one scale, `shared_ranks`: tied priorities get the average of
  the places they take, so 1, 1, 3 and 1, 1, 2 both read 1.5, 1.5, 3.
- Agreement between two rankings is Kendall's tau-b (`scipy.stats.kendalltau`, which
  corrects for ties): 1 for the same order, -1 for the reverse. With more than two
  rankings, every pair and the mean of the pairs.
- Disagreement on one priority is its spread (highest rank minus lowest rank given to
  it); among equal spreads, the larger sum of absolute differences between every pair
  of ranks comes first.
- The change since an earlier check: tau now minus tau then (between the same people
  when both checks have the same pairs, else the means of all pairs), and for priorities
  in both checks (matched by title, ignoring case and spacing) the spread now minus then.

What is public and what is not (`strategy.visibility` decides who sees which):

- **Public** (`public_result`): the number of rankings, the mean tau with its reading,
  and the mean tau of the earlier check. Knowing one's own ranking, a participant learns
  from it only what any statement of agreement tells: with two rankings a tau of 1 (or
  -1) says the other ranked in the same (or the reverse) order; otherwise several
  rankings give the same tau, and no single rank follows (tested by reconstruction in
  `tests/strategy/test_check_inference.py`). From three rankings up the mean mixes
  every pair, the participant's own and the others'.
- **Not public**: anything per priority or per pair. With two rankings one's own rank
  plus a priority's highest and lowest rank is the other's rank, and a spread is the
  distance to it. Even the bare list of the priorities ranked furthest apart, shown
  beside the agreement, pins down some of the other's ranks in a large share of
  checks (for 6 priorities and two people, about one ranking in four), because a
  near agreement leaves the unlisted priorities nowhere else to be. Per-pair taus do
  the same from three rankings up. Only who sees every ranking sees these.

The second part (`load_results`) reads a check's rankings from the database and hands
them to the first.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from scipy.stats import kendalltau, rankdata

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from productops.accounts.roles import Login
    from productops.strategy.models import PriorityCheck

TOP_DISAGREEMENTS = 5
MIN_RANKINGS_FOR_RESULTS = 2

# The plain-language reading of tau: the lowest tau each reading starts at, best first.
READINGS: tuple[tuple[float, str], ...] = (
    (0.7, "strong agreement"),
    (0.4, "moderate agreement"),
    (0.1, "weak agreement"),
)
NO_AGREEMENT = "no agreement or opposite views"
NO_TAU = "cannot be computed: a ranking puts every priority on the same rank"

P = TypeVar("P", bound=Hashable)  # what names a priority: its id, or a title in the tests
A = TypeVar("A", bound=Hashable)  # what names a ranking's author: the user id

Ranks = Mapping[P, float]  # one person's ranks: priority -> rank (1 = most important)


# -- pure computation ---------------------------------------------------------------------


def title_key(title: str) -> str:
    """How priorities are matched across checks and duplicates found: case and spacing aside."""
    return " ".join(title.split()).casefold()


def shared_ranks(ranks: Ranks[P]) -> dict[P, float]:
    """The ranks on one scale: tied priorities share the average of the places they take."""
    keys = list(ranks)
    if not keys:
        return {}
    averaged = rankdata([ranks[key] for key in keys], method="average")
    return {key: float(value) for key, value in zip(keys, averaged, strict=True)}


def kendall_tau(first: Ranks[P], second: Ranks[P]) -> float | None:
    """Kendall's tau-b over the priorities both rank; None when it is undefined.

    Undefined with fewer than two common priorities, or when one ranking puts every
    common priority on the same rank (there is no order to compare).
    """
    common = [key for key in first if key in second]
    if len(common) < 2:
        return None
    tau = kendalltau([first[key] for key in common], [second[key] for key in common]).statistic
    if tau is None or math.isnan(tau):
        return None
    return float(tau)


def reading(tau: float | None) -> str:
    """Tau in plain words."""
    if tau is None:
        return NO_TAU
    for lowest, words in READINGS:
        if tau >= lowest - 1e-9:
            return words
    return NO_AGREEMENT


@dataclass(frozen=True)
class PairAgreement(Generic[A]):
    first: A
    second: A
    tau: float | None

    @property
    def pair(self) -> frozenset[A]:
        return frozenset((self.first, self.second))

    @property
    def reading(self) -> str:
        return reading(self.tau)


def pair_agreements(rankings: Mapping[A, Ranks[P]]) -> list[PairAgreement[A]]:
    """Tau for every pair of rankings, in the order the rankings come."""
    return [
        PairAgreement(first, second, kendall_tau(rankings[first], rankings[second]))
        for first, second in itertools.combinations(rankings, 2)
    ]


def mean_tau(pairs: Iterable[PairAgreement[Any]]) -> float | None:
    """The mean of the pairs' taus, leaving out the undefined ones; None when none is defined."""
    taus = [pair.tau for pair in pairs if pair.tau is not None]
    return sum(taus) / len(taus) if taus else None


@dataclass(frozen=True)
class Disagreement(Generic[P]):
    priority: P
    spread: float
    pairwise_difference: float
    highest_rank: float  # the best (smallest) shared rank anyone gave
    lowest_rank: float


def _ranks_per_priority(rankings: Mapping[A, Ranks[P]]) -> dict[P, list[float]]:
    per_priority: dict[P, list[float]] = {}
    for ranks in rankings.values():
        for key, rank in shared_ranks(ranks).items():
            per_priority.setdefault(key, []).append(rank)
    return per_priority


def _disagreement(key: P, ranks: Sequence[float]) -> Disagreement[P]:
    difference = sum(abs(a - b) for a, b in itertools.combinations(ranks, 2))
    return Disagreement(key, max(ranks) - min(ranks), difference, min(ranks), max(ranks))


def spreads(rankings: Mapping[A, Ranks[P]]) -> dict[P, Disagreement[P]]:
    """Every priority ranked by at least two, with its spread and pairwise difference."""
    return {
        key: _disagreement(key, ranks)
        for key, ranks in _ranks_per_priority(rankings).items()
        if len(ranks) >= 2
    }


def disagreements(
    rankings: Mapping[A, Ranks[P]],
    order: Sequence[P] = (),
    limit: int = TOP_DISAGREEMENTS,
) -> list[Disagreement[P]]:
    """The priorities ranked least alike, largest spread first; none with a spread of 0.

    Equal spreads: the larger pairwise difference first, then the priorities' own order
    (`order`, e.g. their position in the check).
    """
    place = {key: index for index, key in enumerate(order)}
    found = [d for d in spreads(rankings).values() if d.spread > 0]
    found.sort(key=lambda d: (-d.spread, -d.pairwise_difference, place.get(d.priority, len(place))))
    return found[:limit]


@dataclass(frozen=True)
class AgreementChange:
    tau_then: float | None
    tau_now: float | None
    basis: str  # "same people" or "all pairs"

    @property
    def change(self) -> float | None:
        if self.tau_then is None or self.tau_now is None:
            return None
        return self.tau_now - self.tau_then


def agreement_change(
    now: Sequence[PairAgreement[A]], then: Sequence[PairAgreement[A]]
) -> AgreementChange:
    """Tau now minus tau then.

    When the same people ranked both checks, it is between the same people (with two
    people, the one pair); otherwise the mean of all pairs now is compared with the mean
    of all pairs then. Never a subset of the pairs: from three rankings up, that would
    give a pair's tau away, which is not public.
    """
    then_by_pair = {pair.pair: pair for pair in then}
    if now and {pair.pair for pair in now} == set(then_by_pair):
        return AgreementChange(
            tau_then=mean_tau(then_by_pair[pair.pair] for pair in now),
            tau_now=mean_tau(now),
            basis="same people",
        )
    return AgreementChange(tau_then=mean_tau(then), tau_now=mean_tau(now), basis="all pairs")


@dataclass(frozen=True)
class SpreadChange:
    title: str
    spread_then: float
    spread_now: float

    @property
    def change(self) -> float:
        return self.spread_now - self.spread_then


def spread_changes(
    now: Mapping[str, Disagreement[Any] | float], then: Mapping[str, Disagreement[Any] | float]
) -> list[SpreadChange]:
    """For each priority in both checks (keyed by title): its spread then and now.

    The largest change (either way) first; equal changes in the order of `now`.
    """

    def spread(value: Disagreement[Any] | float) -> float:
        return value.spread if isinstance(value, Disagreement) else float(value)

    changes = [
        SpreadChange(title, spread(then[title]), spread(value))
        for title, value in now.items()
        if title in then
    ]
    changes.sort(key=lambda change: -abs(change.change))
    return changes


@dataclass(frozen=True)
class CheckStatus:
    key: str  # "waiting", "complete" or "closed"
    label: str


def check_status(*, closed: bool, participants: int, rankings: int) -> CheckStatus:
    """Closed; complete once every participant ranked; else waiting for N of M."""
    if closed:
        return CheckStatus("closed", "closed")
    waiting = max(participants - rankings, 0)
    if waiting == 0:
        return CheckStatus("complete", "complete")
    return CheckStatus("waiting", f"waiting for {waiting} of {participants}")


# -- reading a check from the database ----------------------------------------------------


def with_counts(checks: Any) -> Any:
    """Checks with `participant_total` and `ranking_total`, for their status in one query."""
    from django.db.models import Count

    return checks.annotate(
        participant_total=Count("participants", distinct=True),
        ranking_total=Count("rankings", distinct=True),
    )


def status_of(check: Any) -> CheckStatus:
    """The status of a check from `with_counts`."""
    return check_status(
        closed=check.closed,
        participants=check.participant_total,
        rankings=check.ranking_total,
    )


@dataclass
class RankedPriority:
    """A priority with the rank one person gave it."""

    id: int
    title: str
    rank: int


@dataclass
class Change:
    previous_id: int
    previous_title: str
    agreement: AgreementChange | None  # None when the earlier check has fewer than 2 rankings
    priorities: list[SpreadChange] = field(default_factory=list)  # only when `detailed`
    detailed: bool = True


@dataclass
class Results:
    """A check's results. `pairs`, `disagreements` and the change's `priorities` are
    filled only for who sees every ranking (`detailed`); the rest is the public result."""

    rankings_in: int
    pairs: list[PairAgreement[int]]  # first/second are user ids
    mean_tau: float | None
    disagreements: list[Disagreement[int]]  # priority is the Priority's id
    change: Change | None = None
    detailed: bool = True

    @property
    def reading(self) -> str:
        return reading(self.mean_tau)


def load_rankings(check: Any) -> dict[int, dict[int, int]]:
    """Every ranking of a check: author id -> {priority id: rank}, oldest submission first."""
    from productops.strategy.models import RankEntry

    rankings: dict[int, dict[int, int]] = {}
    entries = (
        RankEntry.objects.filter(ranking__priority_check=check)
        .order_by("ranking__submitted_at", "ranking_id", "priority_id")
        .values_list("ranking__author_id", "priority_id", "rank")
    )
    for author_id, priority_id, rank in entries:
        rankings.setdefault(author_id, {})[priority_id] = rank
    return rankings


def _by_title(check: Any, rankings: Mapping[int, Ranks[int]]) -> dict[str, Disagreement[int]]:
    titles = {p.pk: title_key(p.title) for p in check.priorities.all()}
    return {titles[key]: value for key, value in spreads(rankings).items() if key in titles}


def load_change(
    check: Any,
    rankings: Mapping[int, Ranks[int]],
    pairs: list[PairAgreement[int]],
    *,
    detailed: bool = True,
) -> Change:
    previous = check.previous
    then_rankings = load_rankings(previous)
    if len(then_rankings) < MIN_RANKINGS_FOR_RESULTS:
        return Change(previous.pk, previous.title, None)
    agreement = agreement_change(pairs, pair_agreements(then_rankings))
    if not detailed:
        return Change(previous.pk, previous.title, agreement, detailed=False)
    order = [title_key(p.title) for p in check.priorities.all()]
    now_spreads = _by_title(check, rankings)
    now_in_order = {title: now_spreads[title] for title in order if title in now_spreads}
    titles = {title_key(p.title): p.title for p in check.priorities.all()}
    changes = [
        SpreadChange(titles[c.title], c.spread_then, c.spread_now)
        for c in spread_changes(now_in_order, _by_title(previous, then_rankings))
    ]
    return Change(previous.pk, previous.title, agreement, changes)


def public_result(rankings: Mapping[A, Ranks[P]]) -> tuple[int, float | None, str] | None:
    """What everyone who sees a check's results sees of them: the number of rankings, the
    mean tau and its reading; None below two rankings. Pure, so a test can try every
    ranking another participant might have given against it."""
    if len(rankings) < MIN_RANKINGS_FOR_RESULTS:
        return None
    tau = mean_tau(pair_agreements(rankings))
    return len(rankings), tau, reading(tau)


def load_results(
    check: Any,
    *,
    with_change: bool = True,
    rankings: Mapping[int, Ranks[int]] | None = None,
    detailed: bool = True,
    detailed_change: bool | None = None,
) -> Results | None:
    """The results of a check, or None until at least two rankings are in. Without
    `detailed`, only the public result: no pair, no priority (`detailed_change`, by
    default the same, says it of the change since the earlier check)."""
    if rankings is None:
        rankings = load_rankings(check)
    if len(rankings) < MIN_RANKINGS_FOR_RESULTS:
        return None
    pairs = pair_agreements(rankings)
    order = [p.pk for p in check.priorities.all()]
    results = Results(
        rankings_in=len(rankings),
        pairs=pairs if detailed else [],
        mean_tau=mean_tau(pairs),
        disagreements=disagreements(rankings, order) if detailed else [],
        detailed=detailed,
    )
    if with_change and check.previous_id is not None:
        results.change = load_change(
            check,
            rankings,
            pairs,
            detailed=detailed if detailed_change is None else detailed_change,
        )
    return results


# -- what one person sees of a check ------------------------------------------------------


def display_name(user: Login) -> str:
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


@dataclass
class Participant:
    """A participant; id, username and name are None for who sees no names (viewers)."""

    id: int | None
    username: str | None
    name: str | None
    submitted: bool


@dataclass
class RankingColumn:
    """One ranking, for those who may see it: its author's ranks by priority id."""

    author_id: int
    author_name: str
    submitted_at: Any
    ranks: dict[int, int]


@dataclass
class CheckView:
    check: Any
    status: CheckStatus
    priorities: list[Any]
    participants: list[Participant]
    waiting: bool  # takes part and has not ranked yet: sees nothing of the others
    can_submit: bool
    can_close: bool
    my_ranking: list[RankedPriority] | None
    sees_results: bool
    results: Results | None  # None when not seen, or fewer than two rankings are in
    rankings: list[RankingColumn]  # the rankings this person may see, their own included
    names: dict[int, str]  # empty for who sees no names
    sees_names: bool = True
    created_by: str | None = None  # the creator's name; None for who sees no names

    def title_of(self, priority_id: int) -> str:
        return next((p.title for p in self.priorities if p.pk == priority_id), "")


def checks_loaded() -> QuerySet[PriorityCheck]:
    """Checks with their priorities and participants (and the participants' people)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Prefetch

    from productops.strategy.models import PriorityCheck

    return PriorityCheck.objects.select_related("previous", "created_by").prefetch_related(
        "priorities",
        Prefetch(
            "participants",
            queryset=get_user_model().objects.select_related("person").order_by("username"),
        ),
    )


def load_check(pk: int) -> PriorityCheck | None:
    """A check with its priorities and participants, or None."""
    return checks_loaded().filter(pk=pk).first()


def view_for(user: Login, check: Any) -> CheckView:
    """What `user` may see of `check`, as `strategy.visibility` decides."""
    from productops.strategy import visibility
    from productops.strategy.models import Ranking

    rankings = load_rankings(check)
    ranking_rows = list(
        Ranking.objects.filter(priority_check=check)
        .select_related("author__person")
        .order_by("submitted_at", "pk")
    )
    for row in ranking_rows:
        row.priority_check = check
    priorities = list(check.priorities.all())
    participants = list(check.participants.all())
    names = {u.pk: display_name(u) for u in participants}
    names.update({row.author_id: display_name(row.author) for row in ranking_rows})
    submitted = set(rankings)
    waiting = visibility.waiting_to_submit(user, check)
    mine = rankings.get(user.pk) if user.pk is not None else None
    my_ranking = None
    if mine is not None:
        my_ranking = [RankedPriority(p.pk, p.title, mine[p.pk]) for p in priorities if p.pk in mine]
        my_ranking.sort(key=lambda entry: entry.rank)
    sees_results = not waiting and visibility.sees_check_results(user, check)
    results = None
    if sees_results:
        previous = check.previous
        with_change = previous is not None and visibility.sees_check_results(user, previous)
        results = load_results(
            check,
            with_change=with_change,
            rankings=rankings,
            detailed=visibility.sees_every_ranking(user, check),
            detailed_change=with_change and visibility.sees_every_ranking(user, previous),
        )
    columns = [
        RankingColumn(
            row.author_id, names[row.author_id], row.submitted_at, rankings[row.author_id]
        )
        for row in ranking_rows
        if row.author_id in rankings and visibility.can_see_ranking(user, row)
    ]
    named = visibility.sees_names(user)
    creator = check.created_by
    return CheckView(
        check=check,
        status=check_status(
            closed=check.closed, participants=len(participants), rankings=len(submitted)
        ),
        priorities=priorities,
        participants=[
            Participant(u.pk, u.get_username(), names[u.pk], u.pk in submitted)
            if named
            else Participant(None, None, None, u.pk in submitted)
            for u in participants
        ],
        waiting=waiting,
        can_submit=visibility.can_submit_ranking(user, check),
        can_close=not check.closed and visibility.can_close_check(user, check),
        my_ranking=my_ranking,
        sees_results=sees_results,
        results=results,
        rankings=columns,
        names=names if named else {},
        sees_names=named,
        created_by=display_name(creator) if named and creator is not None else None,
    )


# -- the page's tables, as rows ------------------------------------------------------------


@dataclass(frozen=True)
class CheckTable:
    """One table of a check's page: its download name, its header and its rows."""

    key: str
    title: str
    header: list[str]
    rows: list[list[Any]]


def _tau_shown(tau: float | None) -> float | None:
    """Tau as the page prints it (two decimals); None where the page prints a dash."""
    return None if tau is None else round(tau, 2)


def check_tables(seen: CheckView) -> list[CheckTable]:
    """The tables the check's page shows to whoever `seen` was made for, in page order,
    and only those: nothing of the others while one still has to rank; pairs, spreads and
    everyone's ranks only where `view_for` filled them in (who sees every ranking)."""
    if seen.waiting:
        return []
    tables: list[CheckTable] = []
    if seen.my_ranking:
        tables.append(
            CheckTable(
                "mine",
                "Your ranking",
                ["Rank", "Priority"],
                [[entry.rank, entry.title] for entry in seen.my_ranking],
            )
        )
    results = seen.results
    if results is not None:
        if len(results.pairs) > 1:
            tables.append(
                CheckTable(
                    "pairs",
                    "Agreement per pair",
                    ["Between", "Tau", "Reading"],
                    [
                        [
                            f"{seen.names.get(pair.first, '?')} and "
                            f"{seen.names.get(pair.second, '?')}",
                            _tau_shown(pair.tau),
                            pair.reading,
                        ]
                        for pair in results.pairs
                    ],
                )
            )
        if results.detailed and results.disagreements:
            tables.append(
                CheckTable(
                    "differences",
                    "Where the rankings differ most",
                    ["Priority", "Spread", "Highest rank", "Lowest rank"],
                    [
                        [
                            seen.title_of(found.priority),
                            found.spread,
                            found.highest_rank,
                            found.lowest_rank,
                        ]
                        for found in results.disagreements
                    ],
                )
            )
        change = results.change
        if (
            change is not None
            and change.agreement is not None
            and change.detailed
            and change.priorities
        ):
            tables.append(
                CheckTable(
                    "changes",
                    f"Since {change.previous_title}",
                    ["Priority in both checks", "Spread then", "Spread now", "Change"],
                    [
                        [row.title, row.spread_then, row.spread_now, row.change]
                        for row in change.priorities
                    ],
                )
            )
    if len(seen.rankings) > 1:
        tables.append(
            CheckTable(
                "rankings",
                "Every ranking",
                ["Priority", *(column.author_name for column in seen.rankings)],
                [
                    [priority.title, *(column.ranks.get(priority.pk) for column in seen.rankings)]
                    for priority in seen.priorities
                ],
            )
        )
    return tables
