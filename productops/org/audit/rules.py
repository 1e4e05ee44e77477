"""The audit rules: pure functions over a `ReportingTree`, each yielding its findings.

`audit_org` applies every rule to a snapshot. No ORM, no settings, no I/O.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from productops.org.audit.result import (
    WHY,
    AuditResult,
    Finding,
    Severity,
    SpanRow,
    listing_order,
)
from productops.org.audit.snapshot import OrgSnapshot, PersonFact, TeamFact
from productops.org.audit.thresholds import AuditThresholds
from productops.org.audit.tree import ReportingTree

# Team roles and disciplines, spelt as their stored values so the rules stay free
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
    findings.sort(key=listing_order)
    return AuditResult(
        findings=findings, spans=span_table(org, limits), top_id=org.top_id, thresholds=limits
    )


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
