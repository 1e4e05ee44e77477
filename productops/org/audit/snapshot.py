"""The org as plain, frozen facts, and the one function that reads them from the database.

Everything else in the audit (`tree`, `rules`) works on these facts and never touches the
ORM, so the rules are tested on snapshots built by hand. The models are imported inside
`load_org_snapshot` only, so importing the audit (the facts, the rules) needs no ORM.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


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
