"""Who sees what in the organization domain: the one place that decides it.

Views, API routes, exports and commands ask these functions; none of them filters
people or teams on its own.

- admin: everyone and every team.
- manager: their whole reporting chain, plus what a member sees.
- member: themselves, the people on their teams and their own managers up the chain
  (the directory a colleague would know), and their own teams.
- viewer: no one by name; aggregates only.

Private records (assessments, coaching plans, 1:1 notes in later apps) are stricter:
only the person, their management chain and admins, never peers — see
`can_see_private_records`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.org.audit import AuditResult, Finding, run_org_audit
from productops.org.models import Person, Team, TeamMembership

# How a viewer is refused a page, and an API route, that lists people by name.
AGGREGATES_ONLY = (
    "Your role sees aggregates only. Ask an admin for a member or manager login to see people."
)
AGGREGATES_ONLY_ROUTE = "Your role sees aggregates only; this route lists people by name."


def reporting_chain_ids(person_id: int) -> set[int]:
    """Everyone below a person in the reporting tree (not the person), in one query."""
    children: dict[int, list[int]] = defaultdict(list)
    for pk, manager_id in Person.objects.values_list("pk", "manager_id"):
        if manager_id is not None:
            children[manager_id].append(pk)
    below: set[int] = set()
    stack = list(children.get(person_id, ()))
    while stack:
        pk = stack.pop()
        if pk in below:
            continue
        below.add(pk)
        stack.extend(children.get(pk, ()))
    return below


def management_chain_ids(person_id: int) -> list[int]:
    """The person's managers, nearest first, in one query."""
    manager_of = dict(Person.objects.values_list("pk", "manager_id"))
    chain: list[int] = []
    current = manager_of.get(person_id)
    while current is not None and current not in chain and current != person_id:
        chain.append(current)
        current = manager_of.get(current)
    return chain


def _per_request(user: Login, name: str, compute: Callable[[], Any]) -> Any:
    """Compute a user's visibility fact once per user object, i.e. once per request.

    A page asks several of these helpers about the same user; each would otherwise load
    the reporting tree again (a person page did so eight times).
    """
    memo = user.__dict__.setdefault("_productops_visibility", {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]


def _chain_below(user: Login, me: int) -> set[int]:
    return _per_request(user, "chain_below", lambda: reporting_chain_ids(me))


def _teammate_ids(person_id: int) -> set[int]:
    team_ids = TeamMembership.objects.filter(person_id=person_id).values("team_id")
    return set(
        TeamMembership.objects.filter(team_id__in=team_ids).values_list("person_id", flat=True)
    )


def visible_person_ids(user: Login) -> set[int] | None:
    """The ids a user may see by name; None means everyone (admins)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return _per_request(user, "visible_ids", lambda: _visible_person_ids(user))


def _visible_person_ids(user: Login) -> set[int] | None:
    role = role_of(user)
    if role is Role.ADMIN:
        return None
    if role is None or role is Role.VIEWER:
        return set()
    me = person_id_of(user)
    if me is None:
        return set()
    ids = {me} | _teammate_ids(me) | set(management_chain_ids(me))
    if role is Role.MANAGER:
        ids |= _chain_below(user, me)
    return ids


def visible_people(user: Login) -> QuerySet[Person]:
    ids = visible_person_ids(user)
    people = Person.objects.all()
    return people if ids is None else people.filter(pk__in=ids)


def can_see_person(user: Login, person: Person) -> bool:
    ids = visible_person_ids(user)
    return ids is None or person.pk in ids


def visible_teams(user: Login) -> QuerySet[Team]:
    role = role_of(user)
    if role is Role.ADMIN:
        return Team.objects.all()
    if role is None or role is Role.VIEWER:
        return Team.objects.none()
    me = person_id_of(user)
    if me is None:
        return Team.objects.none()
    people = {me}
    if role is Role.MANAGER:
        people |= _chain_below(user, me)
    return Team.objects.filter(memberships__person_id__in=people).distinct()


def can_see_team(user: Login, team: Team) -> bool:
    return visible_teams(user).filter(pk=team.pk).exists()


def sees_names(user: Login) -> bool:
    """False for viewers: they get counts and charts, never a named person."""
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def require_names(user: Login, refusal: str = AGGREGATES_ONLY) -> None:
    """Refuse (403 with `refusal`) a page or route that lists people by name to a viewer."""
    if not sees_names(user):
        raise PermissionDenied(refusal)


def audit_scope(user: Login) -> tuple[str, set[int] | None, set[int] | None]:
    """What part of the org audit a user may read.

    Returns (scope, person ids, team ids): scope "all" for admins, "chain" for managers
    (findings about their reporting chain and its teams), "summary" for everyone else
    (counts by rule and severity, no names).
    """
    role = role_of(user)
    if role is Role.ADMIN:
        return "all", None, None
    me = person_id_of(user)
    if role is Role.MANAGER and me is not None:
        people = _chain_below(user, me) | {me}
        teams = set(
            TeamMembership.objects.filter(person_id__in=people).values_list("team_id", flat=True)
        )
        return "chain", people, teams
    return "summary", set(), set()


def can_see_private_records(user: Login, person: Person) -> bool:
    """Assessments, coaching plans, 1:1 notes: the person, their managers, admins."""
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    me = person_id_of(user)
    if me is None:
        return False
    if me == person.pk:
        return True
    return person.pk in _chain_below(user, me)  # `me` manages them, directly or not


def can_manage_org(user: Login) -> bool:
    """Importing people and changing the org structure is for admins."""
    return role_of(user) is Role.ADMIN


def visible_audit(user: Login, result: AuditResult) -> dict[str, Any]:
    """The part of an org audit result a user may read, for pages, API and exports.

    Returns {"scope", "findings", "spans", "counts"}. Summary scope has no names at all:
    empty findings and spans, only counts by rule and severity.
    """
    scope, people, teams = audit_scope(user)
    if scope == "all":
        findings, spans = list(result.findings), list(result.spans)
    elif scope == "chain":
        assert people is not None and teams is not None
        findings = [f for f in result.findings if _finding_in(f, people, teams)]
        spans = [s for s in result.spans if s.manager_id in people]
    else:
        findings, spans = [], []
    if scope == "summary":
        counts = result.counts()
    else:
        counts = {}
        for finding in findings:
            by_severity = counts.setdefault(finding.rule, {})
            by_severity[str(finding.severity)] = by_severity.get(str(finding.severity), 0) + 1
    return {"scope": scope, "findings": findings, "spans": spans, "counts": counts}


def audit_findings_about(user: Login, kind: str, subject_id: int) -> list[Finding]:
    """The org audit's findings about one person or team (`kind`) that this user may read.

    The audit runs only for a user who may read findings at all.
    """
    if audit_scope(user)[0] == "summary":
        return []
    seen = visible_audit(user, run_org_audit())
    return [f for f in seen["findings"] if f.subject_kind == kind and f.subject_id == subject_id]


def _finding_in(finding: Finding, people: set[int], teams: set[int]) -> bool:
    if finding.subject_kind == "person":
        return finding.subject_id in people
    if finding.subject_kind == "team":
        return finding.subject_id in teams
    return False  # org-wide findings (leadership mix) are for admins
