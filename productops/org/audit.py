"""The org audit: where the shape of the product organization gets in the way of good work.

The audit runs in two steps so that the rules can be tested without a database:

1. `load_org_snapshot()` reads the active people and the teams into plain, frozen facts
   (three queries whatever the size of the org).
2. `audit_org(snapshot, thresholds)` is pure: it walks the reporting tree once, applies
   every rule and returns an `AuditResult` with sorted findings and a span table.

`run_org_audit()` does both with the thresholds from settings; the views, the API and the
`audit_org` management command all call it (or the two steps).

Definitions the rules rely on:

- **Inactive people** are ignored entirely: they manage no one and belong to no team. A
  person whose manager is inactive (or unknown) therefore has no manager in the audit.
- **The top** of the tree is the person without a manager who has the largest subtree
  (ties go to the lowest id). Everyone else without a manager sits outside the tree.
- **A manager** is anyone with at least one active direct report. **Total reports** are
  everyone below them in the reporting lines, however deep.
- **Leadership** is the top plus everyone who manages at least one manager.
- **A product manager** (for the "PM's manager" rule) is someone whose discipline is
  product and who either holds the product-manager role on a team, or has no direct
  reports and a title that names the job: "product manager", "product owner" or "PM" as a
  whole word, in any case. "Group Product Manager" with reports is a manager of PMs and
  is judged by the span rules instead.
- **Teams with no active members** are skipped by the trio rule: they are usually groups
  that hold other teams, and an empty team is not a missing trio but a missing team.
- **Reporting cycles** (A reports to B who reports to A) are reported once per cycle as a
  critical finding. To keep the other rules meaningful, each cycle is cut at its member
  with the lowest id; that member is not reported again as "no manager", and every member
  of a cycle counts everyone reachable through the cycle as a total report.

Every rule is linear in the number of people and memberships; only the final sort of
findings and spans is n log n.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from enum import StrEnum
from typing import Any

from django.conf import settings


class Severity(StrEnum):
    """How much a finding matters.

    Iterating `Severity` gives listing order (critical first). Comparisons follow
    importance, so `finding.severity >= Severity.WARNING` means "warning or worse".
    """

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]

    def _other_rank(self, other: object) -> int | None:
        if isinstance(other, str):
            try:
                return Severity(other).rank
            except ValueError:
                return None
        return None

    def __lt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank < rank

    def __le__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank <= rank

    def __gt__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank > rank

    def __ge__(self, other: object) -> bool:
        rank = self._other_rank(other)
        return NotImplemented if rank is None else self.rank >= rank


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.CRITICAL: 3}


# Rule keys in listing order, with the title a head of product sees.
RULES: dict[str, str] = {
    "span_of_control": "Span of control",
    "one_on_one_load": "No time for 1:1s",
    "trio_incomplete": "Incomplete trio",
    "pm_spread": "PM spread thin",
    "pm_manager_not_product": "PM managed outside product",
    "leadership_mix": "Leadership mix",
    "no_manager": "Outside the reporting tree",
    "deep_chain": "Deep reporting chain",
    "manager_cycle": "Reporting cycle",
}
_RULE_ORDER = {rule: index for index, rule in enumerate(RULES)}

WHY: dict[str, str] = {
    "span_of_control": (
        "A manager with this many direct reports cannot coach each of them, so the people "
        "who need help most get the least of it."
    ),
    "one_on_one_load": (
        "Regular 1:1s are where coaching happens, and at this load they either crowd out the "
        "manager's own work or quietly stop happening."
    ),
    "trio_incomplete": (
        "Discovery needs product, design and engineering deciding together, and a team "
        "without one of them builds without that voice."
    ),
    "pm_spread": (
        "A PM split across teams cannot keep up weekly discovery with each, so every team "
        "gets a part-time product manager."
    ),
    "pm_manager_not_product": (
        "PMs grow through coaching by someone who knows the craft, and a manager from "
        "another discipline rarely assesses or develops product skills."
    ),
    "leadership_mix": (
        "When a builder discipline has no seat among the leaders, its view is missing from "
        "the decisions about strategy, staffing and the roadmap."
    ),
    "no_manager": (
        "Someone with no manager has nobody coaching them or answering for their growth, "
        "and they are easy to leave out of plans."
    ),
    "deep_chain": (
        "Each extra layer slows decisions and filters what reaches the top, so the people "
        "doing the work drift away from strategy."
    ),
    "manager_cycle": (
        "A loop in the reporting lines means the data is wrong, and every count built on "
        "it (spans, depth, who leads) is unreliable until it is fixed."
    ),
}

# Team roles and disciplines, spelt as their stored values so this module stays free
# of the ORM; tests/org/test_audit.py checks they match productops.org.models.
PRODUCT = "product"
DESIGN = "design"
ENGINEERING = "engineering"
LEADERSHIP = "leadership"
BUILDERS = (PRODUCT, DESIGN, ENGINEERING)
ROLE_PRODUCT_MANAGER = "product_manager"
ROLE_DESIGN_LEAD = "design_lead"
ROLE_TECH_LEAD = "tech_lead"
ROLE_DESIGNER = "designer"
ROLE_ENGINEER = "engineer"

PM_TITLE = re.compile(r"\b(product manager|product owner|pm)\b", re.IGNORECASE)


@dataclass(frozen=True)
class AuditThresholds:
    span_warn: int = 8
    span_critical: int = 15
    one_on_one_minutes: int = 30
    one_on_one_share: float = 0.20
    week_hours: float = 40
    max_teams_per_pm: int = 2
    max_chain_depth: int = 6

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) < 0:
                raise ValueError(f"audit threshold {item.name} cannot be negative")
        if self.span_warn > self.span_critical:
            raise ValueError(
                f"span_warn ({self.span_warn}) must not be above span_critical ({self.span_critical})"
            )

    @classmethod
    def from_settings(cls, **overrides: Any) -> AuditThresholds:
        """Defaults, then settings.PRODUCTOPS_AUDIT, then any override that is not None."""
        known = {item.name for item in fields(cls)}
        configured = dict(getattr(settings, "PRODUCTOPS_AUDIT", {}))
        unknown = (set(configured) | set(overrides)) - known
        if unknown:
            raise TypeError(f"unknown audit thresholds: {', '.join(sorted(unknown))}")
        configured.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**configured)

    @property
    def one_on_one_budget_hours(self) -> float:
        return self.one_on_one_share * self.week_hours

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PersonFact:
    id: int
    name: str
    email: str
    discipline: str
    title: str
    manager_id: int | None
    active: bool = True


@dataclass(frozen=True)
class TeamFact:
    id: int
    name: str
    roles: dict[int, str]  # person id -> TeamRole value


@dataclass(frozen=True)
class OrgSnapshot:
    people: list[PersonFact]
    teams: list[TeamFact]


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    subject_kind: str  # "person" | "team" | "org"
    subject_id: int | None
    subject_name: str
    message: str
    why: str

    @property
    def rule_title(self) -> str:
        return RULES[self.rule]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "severity": str(self.severity), "rule_title": self.rule_title}


@dataclass(frozen=True)
class SpanRow:
    manager_id: int
    name: str
    direct: int
    total: int
    severity: Severity | None

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "severity": str(self.severity) if self.severity else None}


@dataclass
class AuditResult:
    findings: list[Finding]
    spans: list[SpanRow]  # every manager, largest direct span first
    top_id: int | None
    thresholds: AuditThresholds = field(default_factory=AuditThresholds)

    def counts(self) -> dict[str, dict[str, int]]:
        """Rule -> severity -> number of findings, every rule and severity present (zeros too)."""
        tally = Counter((finding.rule, finding.severity) for finding in self.findings)
        return {
            rule: {str(severity): tally[(rule, severity)] for severity in Severity}
            for rule in RULES
        }

    def at_or_above(self, severity: Severity | str) -> list[Finding]:
        floor = Severity(severity)
        return [finding for finding in self.findings if finding.severity >= floor]

    def as_dict(self) -> dict[str, Any]:
        return {
            "findings": [finding.as_dict() for finding in self.findings],
            "spans": [row.as_dict() for row in self.spans],
            "thresholds": self.thresholds.as_dict(),
        }


def load_org_snapshot() -> OrgSnapshot:
    """Active people and every team with its active members' roles, in three queries."""
    from productops.org.models import Person, Team, TeamMembership

    people = [
        PersonFact(
            id=pk,
            name=name,
            email=email,
            discipline=discipline,
            title=title,
            manager_id=manager_id,
            active=True,
        )
        for pk, name, email, discipline, title, manager_id in Person.objects.filter(
            active=True
        ).values_list("id", "name", "email", "discipline", "title", "manager_id")
    ]
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    for team_id, person_id, role in TeamMembership.objects.filter(person__active=True).values_list(
        "team_id", "person_id", "role"
    ):
        roles[team_id][person_id] = role
    teams = [
        TeamFact(id=pk, name=name, roles=dict(roles.get(pk, {})))
        for pk, name in Team.objects.values_list("id", "name")
    ]
    return OrgSnapshot(people=people, teams=teams)


def run_org_audit(thresholds: AuditThresholds | None = None) -> AuditResult:
    """Load the org and audit it; thresholds default to those in settings."""
    return audit_org(load_org_snapshot(), thresholds or AuditThresholds.from_settings())


def audit_org(snapshot: OrgSnapshot, thresholds: AuditThresholds | None = None) -> AuditResult:
    """Apply every rule to a snapshot. Pure: no ORM, no settings, no I/O.

    Without thresholds the documented defaults apply; `run_org_audit` passes the ones
    from settings.
    """
    limits = thresholds or AuditThresholds()
    org = ReportingTree.build(snapshot)
    findings = [
        *reporting_cycles(org),
        *span_of_control(org, limits),
        *one_on_one_load(org, limits),
        *trio_incomplete(org, snapshot.teams),
        *pm_spread(org, snapshot.teams, limits),
        *pm_manager_not_product(org, snapshot.teams),
        *leadership_mix(org),
        *no_manager(org, snapshot),
        *deep_chains(org, limits),
    ]
    findings.sort(key=_listing_order)
    return AuditResult(
        findings=findings, spans=span_table(org, limits), top_id=org.top_id, thresholds=limits
    )


def _listing_order(finding: Finding) -> tuple[int, int, str, int]:
    return (
        -finding.severity.rank,
        _RULE_ORDER[finding.rule],
        finding.subject_name.casefold(),
        finding.subject_id or 0,
    )


@dataclass
class ReportingTree:
    """The active people arranged as a forest, with the counts every rule needs.

    `manager` keeps the recorded reporting line (cycles included); `tree_parent` is the
    same with each cycle cut once, so that walking up or down always ends.
    """

    people: dict[int, PersonFact]
    manager: dict[int, int | None]
    tree_parent: dict[int, int | None]
    direct: dict[int, int]
    total: dict[int, int]
    depth: dict[int, int]  # levels below the root of the person's own tree
    root: dict[int, int]
    cycles: list[list[int]]
    top_id: int | None

    @classmethod
    def build(cls, snapshot: OrgSnapshot) -> ReportingTree:
        people = {person.id: person for person in snapshot.people if person.active}
        manager = {
            pid: (person.manager_id if person.manager_id in people else None)
            for pid, person in people.items()
        }
        cycles = find_cycles(manager)
        tree_parent = dict(manager)
        for cycle in cycles:
            tree_parent[cycle[0]] = None
        direct = Counter(boss for pid, boss in manager.items() if boss is not None and boss != pid)

        children: dict[int, list[int]] = defaultdict(list)
        for pid, parent in tree_parent.items():
            if parent is not None:
                children[parent].append(pid)
        roots = sorted(pid for pid, parent in tree_parent.items() if parent is None)
        order, depth, root = _walk_down(roots, children)
        size = dict.fromkeys(order, 1)
        for pid in reversed(order):
            parent = tree_parent[pid]
            if parent is not None:
                size[parent] += size[pid]
        total = {pid: size[pid] - 1 for pid in people}
        for cycle in cycles:
            # Everyone in a cycle reaches the whole loop and all that hangs from it.
            everyone_else = size[cycle[0]] - 1
            for pid in cycle:
                total[pid] = everyone_else

        cut = {cycle[0] for cycle in cycles}
        candidates = [pid for pid in roots if pid not in cut]
        top_id = min(candidates, key=lambda pid: (-size[pid], pid)) if candidates else None
        return cls(
            people=people,
            manager=manager,
            tree_parent=tree_parent,
            direct=dict(direct),
            total=total,
            depth=depth,
            root=root,
            cycles=cycles,
            top_id=top_id,
        )

    def name(self, pid: int | None) -> str:
        return self.people[pid].name if pid in self.people else "nobody"

    def managers(self) -> Iterable[int]:
        return self.direct.keys()

    def manages_managers(self) -> set[int]:
        return {
            boss
            for pid, boss in self.manager.items()
            if boss is not None and boss != pid and self.direct.get(pid, 0) > 0
        }


def find_cycles(manager: dict[int, int | None]) -> list[list[int]]:
    """Every loop in the reporting lines, each starting at its lowest id, in linear time.

    Each person has at most one manager, so following managers from anyone either ends
    at someone without one or enters exactly one loop.
    """
    done: set[int] = set()
    cycles: list[list[int]] = []
    for start in sorted(manager):
        path: list[int] = []
        on_path: set[int] = set()
        node: int | None = start
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = manager[node]
        if node is not None and node in on_path:
            loop = path[path.index(node) :]
            lowest = loop.index(min(loop))
            cycles.append(loop[lowest:] + loop[:lowest])
        done.update(path)
    return cycles


def _walk_down(
    roots: list[int], children: dict[int, list[int]]
) -> tuple[list[int], dict[int, int], dict[int, int]]:
    """Breadth-first from each root: visiting order, depth below the root, root."""
    order: list[int] = []
    depth: dict[int, int] = {}
    root: dict[int, int] = {}
    for start in roots:
        depth[start] = 0
        root[start] = start
        queue = deque([start])
        while queue:
            pid = queue.popleft()
            order.append(pid)
            for child in children.get(pid, ()):
                depth[child] = depth[pid] + 1
                root[child] = start
                queue.append(child)
    return order, depth, root


def _finding(
    rule: str,
    severity: Severity,
    message: str,
    *,
    kind: str,
    subject_id: int | None,
    subject_name: str,
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        subject_kind=kind,
        subject_id=subject_id,
        subject_name=subject_name,
        message=message,
        why=WHY[rule],
    )


def _people(count: int, singular: str = "person", plural: str = "people") -> str:
    return f"{count} {singular if count == 1 else plural}"


def _span_severity(direct: int, limits: AuditThresholds) -> Severity | None:
    if direct > limits.span_critical:
        return Severity.CRITICAL
    if direct > limits.span_warn:
        return Severity.WARNING
    return None


def span_table(org: ReportingTree, limits: AuditThresholds) -> list[SpanRow]:
    rows = [
        SpanRow(
            manager_id=pid,
            name=org.name(pid),
            direct=org.direct[pid],
            total=org.total[pid],
            severity=_span_severity(org.direct[pid], limits),
        )
        for pid in org.managers()
    ]
    rows.sort(key=lambda row: (-row.direct, -row.total, row.name.casefold(), row.manager_id))
    return rows


def span_of_control(org: ReportingTree, limits: AuditThresholds) -> Iterable[Finding]:
    for pid in org.managers():
        direct = org.direct[pid]
        severity = _span_severity(direct, limits)
        if severity is None:
            continue
        limit = limits.span_critical if severity is Severity.CRITICAL else limits.span_warn
        yield _finding(
            "span_of_control",
            severity,
            f"Manages {_people(direct)} directly, above the {severity} limit of {limit}; "
            f"{_people(org.total[pid])} report up to them in total.",
            kind="person",
            subject_id=pid,
            subject_name=org.name(pid),
        )


def one_on_one_load(org: ReportingTree, limits: AuditThresholds) -> Iterable[Finding]:
    budget_hours = limits.one_on_one_budget_hours
    for pid in org.managers():
        direct = org.direct[pid]
        needed_hours = direct * limits.one_on_one_minutes / 60
        if needed_hours <= budget_hours:
            continue
        yield _finding(
            "one_on_one_load",
            Severity.CRITICAL,
            f"A weekly {limits.one_on_one_minutes}-minute 1:1 with each of {direct} direct "
            f"reports takes {needed_hours:g} hours a week, over the {budget_hours:g}-hour "
            f"budget ({limits.one_on_one_share:.0%} of a {limits.week_hours:g}-hour week).",
            kind="person",
            subject_id=pid,
            subject_name=org.name(pid),
        )


def _active_roles(org: ReportingTree, team: TeamFact) -> dict[int, str]:
    return {pid: role for pid, role in team.roles.items() if pid in org.people}


def _trio_gap(
    roles: dict[int, str],
    org: ReportingTree,
    *,
    lead_role: str,
    lead_name: str,
    member_role: str | None,
    discipline: str,
    practitioners: tuple[str, str],
) -> tuple[Severity, str] | None:
    """What is missing for one leg of the trio, or None when the lead is named."""
    if lead_role in roles.values():
        return None
    people = sum(
        1
        for pid, role in roles.items()
        if role == member_role or org.people[pid].discipline == discipline
    )
    if people:
        label = practitioners[0] if people == 1 else practitioners[1]
        return Severity.WARNING, f"has {people} {label} but none is named {lead_name}"
    return Severity.CRITICAL, f"no {lead_name} and no one from {discipline}"


def trio_incomplete(org: ReportingTree, teams: list[TeamFact]) -> Iterable[Finding]:
    for team in teams:
        roles = _active_roles(org, team)
        if not roles:
            continue
        gaps = [
            gap
            for gap in (
                _trio_gap(
                    roles,
                    org,
                    lead_role=ROLE_PRODUCT_MANAGER,
                    lead_name="product manager",
                    member_role=None,
                    discipline=PRODUCT,
                    practitioners=("person from product", "people from product"),
                ),
                _trio_gap(
                    roles,
                    org,
                    lead_role=ROLE_DESIGN_LEAD,
                    lead_name="design lead",
                    member_role=ROLE_DESIGNER,
                    discipline=DESIGN,
                    practitioners=("designer", "designers"),
                ),
                _trio_gap(
                    roles,
                    org,
                    lead_role=ROLE_TECH_LEAD,
                    lead_name="tech lead",
                    member_role=ROLE_ENGINEER,
                    discipline=ENGINEERING,
                    practitioners=("engineer", "engineers"),
                ),
            )
            if gap is not None
        ]
        if not gaps:
            continue
        worst = max(severity for severity, _ in gaps)
        detail = "; ".join(text for _, text in gaps)
        yield _finding(
            "trio_incomplete",
            worst,
            f"The trio is incomplete: {detail}.",
            kind="team",
            subject_id=team.id,
            subject_name=team.name,
        )


def _pm_teams(org: ReportingTree, teams: list[TeamFact]) -> dict[int, list[str]]:
    """Active person id -> names of the teams where they hold the product-manager role."""
    held: dict[int, list[str]] = defaultdict(list)
    for team in teams:
        for pid, role in _active_roles(org, team).items():
            if role == ROLE_PRODUCT_MANAGER:
                held[pid].append(team.name)
    return held


def pm_spread(
    org: ReportingTree, teams: list[TeamFact], limits: AuditThresholds
) -> Iterable[Finding]:
    for pid, names in _pm_teams(org, teams).items():
        if len(names) <= limits.max_teams_per_pm:
            continue
        listed = ", ".join(sorted(names, key=str.casefold))
        yield _finding(
            "pm_spread",
            Severity.WARNING,
            f"Product manager on {len(names)} teams ({listed}), above the limit of "
            f"{limits.max_teams_per_pm}.",
            kind="person",
            subject_id=pid,
            subject_name=org.name(pid),
        )


def is_product_manager(person: PersonFact, holds_pm_role: bool, direct_reports: int) -> bool:
    if person.discipline != PRODUCT:
        return False
    return holds_pm_role or (direct_reports == 0 and bool(PM_TITLE.search(person.title)))


def pm_manager_not_product(org: ReportingTree, teams: list[TeamFact]) -> Iterable[Finding]:
    pm_role_holders = _pm_teams(org, teams)
    for pid, person in org.people.items():
        boss_id = org.manager[pid]
        if boss_id is None or boss_id == pid:
            continue
        if not is_product_manager(person, pid in pm_role_holders, org.direct.get(pid, 0)):
            continue
        boss = org.people[boss_id]
        if boss.discipline == PRODUCT:
            continue
        severity = Severity.INFO if boss.discipline == LEADERSHIP else Severity.WARNING
        about_boss = f"{boss.title}, from {boss.discipline}" if boss.title else boss.discipline
        yield _finding(
            "pm_manager_not_product",
            severity,
            f"Product manager reporting to {boss.name} ({about_boss}) rather than to "
            "someone from product.",
            kind="person",
            subject_id=pid,
            subject_name=person.name,
        )


def leadership_mix(org: ReportingTree) -> Iterable[Finding]:
    leaders = org.manages_managers()
    if org.top_id is not None:
        leaders.add(org.top_id)
    if not leaders:
        return
    seated = {org.people[pid].discipline for pid in leaders}
    in_org = Counter(person.discipline for person in org.people.values())
    for discipline in BUILDERS:
        if discipline in seated:
            continue
        in_discipline = in_org[discipline]
        pool = (
            f"the org has {_people(in_discipline)} from {discipline}"
            if in_discipline
            else f"the org has no one from {discipline} at all"
        )
        yield _finding(
            "leadership_mix",
            Severity.WARNING,
            f"No one from {discipline} among the {_people(len(leaders))} in leadership (the "
            f"top of the tree and everyone who manages managers); {pool}.",
            kind="org",
            subject_id=None,
            subject_name=f"Leadership: {discipline}",
        )


def no_manager(org: ReportingTree, snapshot: OrgSnapshot) -> Iterable[Finding]:
    if org.top_id is None:
        return
    recorded = {person.id: person for person in snapshot.people}
    cut = {cycle[0] for cycle in org.cycles}
    top_name = org.name(org.top_id)
    for pid, boss in org.manager.items():
        if boss is not None or pid == org.top_id or pid in cut:
            continue
        person = org.people[pid]
        gone = recorded.get(person.manager_id) if person.manager_id is not None else None
        if person.manager_id is None:
            reason = "Has no manager"
        elif gone is not None:
            reason = f"Their manager, {gone.name}, is no longer active"
        else:
            reason = "Their recorded manager is not in the org"
        reach = org.total[pid]
        under = f" with {_people(reach)} below them" if reach else ""
        yield _finding(
            "no_manager",
            Severity.WARNING,
            f"{reason}, so they sit outside the reporting tree headed by {top_name}{under}.",
            kind="person",
            subject_id=pid,
            subject_name=person.name,
        )


def deep_chains(org: ReportingTree, limits: AuditThresholds) -> Iterable[Finding]:
    """One finding per branch: the first person below the depth limit."""
    if org.top_id is None:
        return
    first_too_deep = limits.max_chain_depth + 1
    top_name = org.name(org.top_id)
    for pid, depth in org.depth.items():
        if depth != first_too_deep or org.root[pid] != org.top_id:
            continue
        below = org.total[pid]
        yield _finding(
            "deep_chain",
            Severity.WARNING,
            f"Sits {depth} levels below {top_name}, past the limit of "
            f"{limits.max_chain_depth}; {_people(below)} below them.",
            kind="person",
            subject_id=pid,
            subject_name=org.name(pid),
        )


def reporting_cycles(org: ReportingTree) -> Iterable[Finding]:
    for cycle in org.cycles:
        first = cycle[0]
        if len(cycle) == 1:
            message = "Recorded as their own manager."
        else:
            loop = " → ".join(org.name(pid) for pid in [*cycle, first])
            message = (
                f"Reporting loop of {len(cycle)} people ({loop}): following managers up "
                "never reaches the top."
            )
        yield _finding(
            "manager_cycle",
            Severity.CRITICAL,
            message,
            kind="person",
            subject_id=first,
            subject_name=org.name(first),
        )
