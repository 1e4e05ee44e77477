"""Discovery cadence: does each team meet customers every week?

The arithmetic is pure (plain facts and dates in, no database, no clock): `team_cadence`
computes one team's cadence over a period. `load_cadence` reads what it needs in four
queries, whatever the number of teams, and hands the facts to it. The pages, the API,
the `cadence` command and the delegation board all call `load_cadence`.

The rules (docs/discovery-and-strategy.md, "Discovery cadence", says the same in words):

- **Weeks are ISO weeks**: Monday to Sunday, as `date.isocalendar()` numbers them, so a
  week may straddle two years (week 1 of 2025 starts on Monday 30 December 2024). The
  period [start, end] covers every ISO week from the one containing `start` through the
  one containing `end`.
- **A touchpoint counts** for the weekly minimum when its kind counts as discovery
  (`kinds.discovery_kinds()`: by default an interview, a usability test or a prototype
  test; the setting `PRODUCTOPS_DISCOVERY_KINDS` names others) and at least one
  participant is a member of the team: the team itself talked to customers.
- **Shadowing** (sales-call and support-call shadowing, `models.SHADOWING_KINDS`) is
  counted apart: the period's shadowing touchpoints, each week's, and the
  **shadowing-only weeks**, which held shadowing but no counting touchpoint. Shadowing
  does not make a week count unless the setting names its kind.
- **A week counts** when it holds at least one counting touchpoint dated within the
  period. Its count is the number of counting touchpoints in it.
- **Weekly share** = counted weeks / ISO weeks in the period.
- **Current streak**: consecutive counted weeks ending at the period's last week. When
  that last week is the one still running (it contains today) and has none yet, the
  streak counts from the week before: the week is not over.
- **Longest streak**: the longest run of consecutive counted weeks in the period.
- **Trio participation** = the share of the team's touchpoints in the period (every
  kind) with a product manager, a designer (design lead or designer) and an engineer
  (tech lead or engineer) of the team among the participants; none without touchpoints.
- **Touchpoints, customers, last date**: the team's touchpoints in the period (every
  kind), the sum of their customer numbers, and the latest date among them.
- **Kind mix**: the team's touchpoints in the period by kind (every kind), with each
  kind's share of them.
- **Trio finding** (only for a team with touchpoints in the period): a part of the trio
  (product manager; designer or design lead; engineer or tech lead) that the team has
  but whose people took part in none of them ("never_joined"); else a part the team has
  nobody for ("incomplete"); else no touchpoint with all three ("never_together").
- **Silent**: no counting touchpoint in the `SILENT_DAYS` days up to `end` (end included).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from productops.discovery.kinds import KIND_VALUES, SHADOWING_VALUES, kind_label
from productops.discovery.kinds import discovery_kinds as configured_kinds
from productops.discovery.models import DEFAULT_DISCOVERY_KINDS, Touchpoint
from productops.org.models import Team, TeamMembership, TeamRole, builds_product

SILENT_DAYS = 28
DEFAULT_WEEKS_BACK = 12  # full weeks before the current one in the default period

PRODUCT_ROLES = frozenset({TeamRole.PRODUCT_MANAGER})
DESIGN_ROLES = frozenset({TeamRole.DESIGN_LEAD, TeamRole.DESIGNER})
ENGINEERING_ROLES = frozenset({TeamRole.TECH_LEAD, TeamRole.ENGINEER})
_DEFAULT_KINDS = frozenset(str(kind) for kind in DEFAULT_DISCOVERY_KINDS)

# The trio's three parts: key, the team roles that fill it, and what the part is called.
TRIO_PARTS: tuple[tuple[str, frozenset[str], str], ...] = (
    ("product", frozenset(str(role) for role in PRODUCT_ROLES), "product manager"),
    ("design", frozenset(str(role) for role in DESIGN_ROLES), "designer"),
    ("engineering", frozenset(str(role) for role in ENGINEERING_ROLES), "engineer"),
)


@dataclass(frozen=True)
class TouchpointFact:
    """What cadence needs of one touchpoint.

    `member_roles` holds the team roles of the participants who are members of the team
    (empty when no member of the team took part).
    """

    date: date
    kind: str
    customers: int = 1
    member_roles: frozenset[str] = frozenset()

    @property
    def by_the_team(self) -> bool:
        return bool(self.member_roles)

    def counts_for(self, discovery_kinds: Collection[str]) -> bool:
        """Discovery by the team itself: it counts for the weekly minimum."""
        return str(self.kind) in discovery_kinds and self.by_the_team

    @property
    def is_shadowing(self) -> bool:
        return str(self.kind) in SHADOWING_VALUES

    @property
    def has_trio(self) -> bool:
        roles = self.member_roles
        return bool(roles & PRODUCT_ROLES and roles & DESIGN_ROLES and roles & ENGINEERING_ROLES)


@dataclass(frozen=True)
class TrioFinding:
    """A team whose trio does not take part in its touchpoints, and what to try."""

    key: str  # never_joined | incomplete | never_together
    sentence: str
    try_next: str
    absent: tuple[str, ...] = ()  # parts the team has whose people never took part
    missing: tuple[str, ...] = ()  # parts the team has nobody for

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "sentence": self.sentence,
            "try_next": self.try_next,
            "absent": list(self.absent),
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class KindCount:
    """One kind in a team's mix: how many of the period's touchpoints were of it."""

    kind: str
    label: str
    count: int
    touchpoints: int  # the team's touchpoints in the period, every kind
    counts_as_discovery: bool
    shadowing: bool

    @property
    def share(self) -> float | None:
        return self.count / self.touchpoints if self.touchpoints else None

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(self.share * 100)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "label": self.label,
            "count": self.count,
            "share": self.share,
            "counts_as_discovery": self.counts_as_discovery,
            "shadowing": self.shadowing,
        }


@dataclass
class TeamCadence:
    team_id: int
    team_name: str
    start: date
    end: date
    weeks: list[tuple[date, int]]  # (Monday of each ISO week in the period, counting touchpoints)
    weekly_share: float
    current_streak: int
    longest_streak: int
    trio_share: float | None
    touchpoints: int
    customers: int
    last_date: date | None
    silent: bool
    running_week: date | None = None  # Monday of the still-running week, when in the period
    last_counted: date | None = None  # the latest counting touchpoint up to `end`
    trio_touchpoints: int = 0
    discovery_kinds: frozenset[str] = _DEFAULT_KINDS
    shadowing: int = 0  # sales- and support-call shadowing touchpoints in the period
    shadowing_by_week: dict[date, int] = field(default_factory=dict)  # Monday -> shadowing
    kind_mix: dict[str, int] = field(default_factory=dict)  # kind -> touchpoints, every kind
    trio_parts: dict[str, int] = field(default_factory=dict)  # part -> touchpoints it joined
    trio_finding: TrioFinding | None = None

    @property
    def shadowing_only_weeks(self) -> int:
        """Weeks with shadowing but no touchpoint that counts."""
        return sum(1 for monday, count in self.weeks if not count and self.week_shadowing(monday))

    def week_shadowing(self, monday: date) -> int:
        return self.shadowing_by_week.get(monday, 0)

    def kind_rows(self) -> list[KindCount]:
        """Every kind in the model's order: its count and share of the period's touchpoints."""
        return [
            KindCount(
                kind=kind,
                label=kind_label(kind),
                count=self.kind_mix.get(kind, 0),
                touchpoints=self.touchpoints,
                counts_as_discovery=kind in self.discovery_kinds,
                shadowing=kind in SHADOWING_VALUES,
            )
            for kind in KIND_VALUES
        ]

    @property
    def counted_weeks(self) -> int:
        return sum(1 for _, count in self.weeks if count)

    @property
    def week_count(self) -> int:
        return len(self.weeks)

    def as_dict(self) -> dict[str, object]:
        return {
            "team_id": self.team_id,
            "team_name": self.team_name,
            "start": self.start,
            "end": self.end,
            "weeks": [
                {
                    "monday": monday,
                    "iso_week": iso_week_label(monday),
                    "count": count,
                    "shadowing": self.week_shadowing(monday),
                }
                for monday, count in self.weeks
            ],
            "counted_weeks": self.counted_weeks,
            "week_count": self.week_count,
            "weekly_share": self.weekly_share,
            "current_streak": self.current_streak,
            "longest_streak": self.longest_streak,
            "trio_share": self.trio_share,
            "touchpoints": self.touchpoints,
            "customers": self.customers,
            "last_date": self.last_date,
            "silent": self.silent,
            "discovery_kinds": [kind for kind in KIND_VALUES if kind in self.discovery_kinds],
            "shadowing": self.shadowing,
            "shadowing_only_weeks": self.shadowing_only_weeks,
            "kind_mix": [row.as_dict() for row in self.kind_rows()],
            "trio_parts": {key: self.trio_parts.get(key, 0) for key, _, _ in TRIO_PARTS},
            "trio_finding": self.trio_finding.as_dict() if self.trio_finding else None,
        }


# -- weeks --------------------------------------------------------------------------------


def iso_monday(day: date) -> date:
    """The Monday of the ISO week that contains `day`."""
    return day - timedelta(days=day.weekday())


def iso_weeks(start: date, end: date) -> list[date]:
    """The Mondays of every ISO week from the one containing `start` to the one with `end`."""
    if start > end:
        raise ValueError(f"the period starts on {start}, after its end on {end}")
    first, last = iso_monday(start), iso_monday(end)
    return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]


def iso_week_label(monday: date) -> str:
    """'2020-W53': the ISO year and week number, as ISO 8601 writes them."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def default_period(today: date) -> tuple[date, date]:
    """The last `DEFAULT_WEEKS_BACK` full ISO weeks plus the current week up to today."""
    return iso_monday(today) - timedelta(weeks=DEFAULT_WEEKS_BACK), today


def resolve_period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """A period with its missing ends filled in; raises ValueError when start is after end.

    No end: today. No start: `DEFAULT_WEEKS_BACK` full weeks before the end's week.
    """
    end = end or today
    start = start or default_period(end)[0]
    if start > end:
        raise ValueError(
            f"the period starts on {start:%Y-%m-%d}, after its end on {end:%Y-%m-%d}; "
            "give a start on or before the end"
        )
    return start, end


# -- one team -----------------------------------------------------------------------------


def longest_run(flags: Iterable[bool]) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


def trailing_run(flags: list[bool]) -> int:
    run = 0
    for flag in reversed(flags):
        if not flag:
            break
        run += 1
    return run


def team_cadence(
    team_id: int,
    team_name: str,
    facts: Iterable[TouchpointFact],
    *,
    start: date,
    end: date,
    today: date,
    discovery_kinds: Collection[str] | None = None,
    team_roles: Collection[str] | None = None,
) -> TeamCadence:
    """One team's cadence over [start, end]; facts outside the period are ignored, except
    that the silent test looks back `SILENT_DAYS` days from `end` even before `start`.

    `discovery_kinds`: the kinds that count (default `models.DEFAULT_DISCOVERY_KINDS`).
    `team_roles`: the roles of the team's members, for the trio finding (None: the team
    is taken to have all three parts)."""
    kinds = frozenset(str(kind) for kind in discovery_kinds) if discovery_kinds else _DEFAULT_KINDS
    mondays = iso_weeks(start, end)
    facts = list(facts)
    in_period = [fact for fact in facts if start <= fact.date <= end]
    per_week: dict[date, int] = defaultdict(int)
    shadowing: dict[date, int] = defaultdict(int)
    mix: dict[str, int] = defaultdict(int)
    for fact in in_period:
        mix[str(fact.kind)] += 1
        if fact.counts_for(kinds):
            per_week[iso_monday(fact.date)] += 1
        if fact.is_shadowing:
            shadowing[iso_monday(fact.date)] += 1
    weeks = [(monday, per_week.get(monday, 0)) for monday in mondays]
    flags = [count > 0 for _, count in weeks]

    running_week = iso_monday(today) if mondays[0] <= iso_monday(today) <= mondays[-1] else None
    streak_flags = flags
    if running_week == mondays[-1] and not flags[-1]:
        streak_flags = flags[:-1]  # the running week is not over: count from the one before

    counted = [fact.date for fact in facts if fact.counts_for(kinds) and fact.date <= end]
    last_counted = max(counted, default=None)
    silent_from = end - timedelta(days=SILENT_DAYS - 1)
    trio = sum(1 for fact in in_period if fact.has_trio)
    parts = {
        key: sum(1 for fact in in_period if fact.member_roles & roles)
        for key, roles, _ in TRIO_PARTS
    }
    finding = trio_finding(
        team_name,
        parts,
        touchpoints=len(in_period),
        trio_touchpoints=trio,
        team_roles=team_roles,
        start=start,
        end=end,
    )
    return TeamCadence(
        team_id=team_id,
        team_name=team_name,
        start=start,
        end=end,
        weeks=weeks,
        weekly_share=sum(flags) / len(weeks),
        current_streak=trailing_run(streak_flags),
        longest_streak=longest_run(flags),
        trio_share=trio / len(in_period) if in_period else None,
        touchpoints=len(in_period),
        customers=sum(fact.customers for fact in in_period),
        last_date=max((fact.date for fact in in_period), default=None),
        silent=last_counted is None or last_counted < silent_from,
        running_week=running_week,
        last_counted=last_counted,
        trio_touchpoints=trio,
        discovery_kinds=kinds,
        shadowing=sum(shadowing.values()),
        shadowing_by_week=dict(shadowing),
        kind_mix=dict(mix),
        trio_parts=parts,
        trio_finding=finding,
    )


def _and(words: list[str], last: str = "and") -> str:
    return f"{', '.join(words[:-1])} {last} {words[-1]}" if len(words) > 1 else "".join(words)


def trio_finding(
    team_name: str,
    parts: dict[str, int],
    *,
    touchpoints: int,
    trio_touchpoints: int,
    team_roles: Collection[str] | None,
    start: date,
    end: date,
) -> TrioFinding | None:
    """The trio finding of a team over a period (module docstring, "Trio finding")."""
    if not touchpoints:
        return None
    names = {key: name for key, _, name in TRIO_PARTS}
    roles = None if team_roles is None else frozenset(str(role) for role in team_roles)
    has = {key: roles is None or bool(roles & part_roles) for key, part_roles, _ in TRIO_PARTS}
    missing = tuple(key for key, _, _ in TRIO_PARTS if not has[key])
    absent = tuple(key for key, _, _ in TRIO_PARTS if has[key] and not parts.get(key))
    period = f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    some = f"{touchpoints} touchpoint{'s' if touchpoints != 1 else ''}"
    lacking = f" It has no {_and([names[key] for key in missing], 'or')}." if missing else ""
    if absent:
        present = [names[key] for key, _, _ in TRIO_PARTS if has[key] and parts.get(key)]
        who = (
            f" Only the {_and(present)} took part."
            if present
            else " No member of the team took part: someone else met its customers."
        )
        invite = _and([f"{'an' if key == 'engineering' else 'the'} {names[key]}" for key in absent])
        return TrioFinding(
            key="never_joined",
            sentence=(
                f"No {_and([names[key] for key in absent], 'or')} of {team_name} took part in "
                f"any of its {some} {period}.{who}{lacking}"
            ),
            try_next=(
                f"Invite {invite} to the next customer interview and share the roles: one "
                "asks, one takes notes. A trio that hears customers first-hand decides "
                "together; start with one touchpoint a fortnight each."
            ),
            absent=absent,
            missing=missing,
        )
    if missing:
        return TrioFinding(
            key="incomplete",
            sentence=(
                f"{team_name} has no {_and([names[key] for key in missing], 'or')}, so none of "
                f"its {some} {period} could have its whole trio."
            ),
            try_next=(
                f"Until the team has one, ask a {names[missing[0]]} from a neighbouring team "
                "to join one customer interview a fortnight, and raise the gap with whoever "
                "staffs the teams."
            ),
            missing=missing,
        )
    if not trio_touchpoints:
        return TrioFinding(
            key="never_together",
            sentence=(
                f"The product manager, designer and engineers of {team_name} each took part in "
                f"its touchpoints {period}, but never all three in the same one."
            ),
            try_next=(
                "Plan one customer interview a fortnight that all three attend together, and "
                "debrief right after it: what did we hear, what do we change?"
            ),
        )
    return None


# -- loading ------------------------------------------------------------------------------


@dataclass
class _TeamFacts:
    roles: dict[int, str] = field(default_factory=dict)  # person id -> team role
    touchpoints: dict[int, tuple[date, str, int]] = field(default_factory=dict)
    participants: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def load_cadence(
    team_ids: Collection[int] | None = None,
    start: date | None = None,
    end: date | None = None,
    discovery_kinds: Collection[str] | None = None,
) -> list[TeamCadence]:
    """Every team's cadence (or the teams in `team_ids`), teams in name order.

    "Every team" is every team that builds (`org.models.builds_product`: members of its
    own, no team under it) and any team with touchpoints of its own: a group that holds
    other teams is measured through them. The period defaults as in `resolve_period`
    (today is the local date); the kinds that count default to `kinds.discovery_kinds()`
    (the setting). Four queries, whatever the number of teams or touchpoints. Raises
    ValueError when start > end.
    """
    kinds = frozenset(discovery_kinds) if discovery_kinds else configured_kinds()
    today = timezone.localdate()
    start, end = resolve_period(start, end, today)
    read_from = min(start, end - timedelta(days=SILENT_DAYS - 1))
    teams = Team.objects.order_by("name", "pk")
    if team_ids is not None:
        teams = teams.filter(pk__in=list(team_ids))
    else:
        teams = teams.filter(
            builds_product() | Exists(Touchpoint.objects.filter(team=OuterRef("pk")))
        )
    team_rows = list(teams.values_list("pk", "name"))
    if not team_rows:
        return []
    chosen = [pk for pk, _ in team_rows]
    facts: dict[int, _TeamFacts] = {pk: _TeamFacts() for pk in chosen}
    for team_id, person_id, role in TeamMembership.objects.filter(team_id__in=chosen).values_list(
        "team_id", "person_id", "role"
    ):
        facts[team_id].roles[person_id] = role
    touchpoints = Touchpoint.objects.filter(team_id__in=chosen, date__gte=read_from, date__lte=end)
    owner: dict[int, int] = {}
    for pk, team_id, day, kind, customers in touchpoints.values_list(
        "pk", "team_id", "date", "kind", "customers"
    ):
        facts[team_id].touchpoints[pk] = (day, kind, customers)
        owner[pk] = team_id
    links = Touchpoint.participants.through.objects.filter(
        touchpoint__team_id__in=chosen, touchpoint__date__gte=read_from, touchpoint__date__lte=end
    )
    for touchpoint_id, person_id in links.values_list("touchpoint_id", "person_id"):
        if touchpoint_id in owner:
            facts[owner[touchpoint_id]].participants[touchpoint_id].add(person_id)
    return [
        team_cadence(
            pk,
            name,
            _facts_of(facts[pk]),
            start=start,
            end=end,
            today=today,
            discovery_kinds=kinds,
            team_roles=frozenset(facts[pk].roles.values()),
        )
        for pk, name in team_rows
    ]


def _facts_of(team: _TeamFacts) -> list[TouchpointFact]:
    return [
        TouchpointFact(
            date=day,
            kind=kind,
            customers=customers,
            member_roles=frozenset(
                team.roles[person]
                for person in team.participants.get(pk, ())
                if person in team.roles
            ),
        )
        for pk, (day, kind, customers) in team.touchpoints.items()
    ]
