"""Gap analysis API: the same loaders and visibility rules as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters (`Query[...]`) at import time and needs them evaluated.

Peers appear only as a mean, only when at least `PEER_ANONYMITY_THRESHOLD` peers
answered, and only once the peer results are released (`visibility.peer_releases`); the
count is exact for admins only (`peers_answered` reads "3 or more" for everyone). No route
returns a single peer's score.
"""

from dataclasses import asdict
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router

from productops.competencies import gap_data, visibility
from productops.competencies import gaps as gap_analysis
from productops.competencies.schemas.gaps import (
    DistributionOnlyOut,
    DistributionParams,
    GroupGapsOut,
    GroupParams,
    OrgParams,
    PersonGapsOut,
    PersonParams,
)
from productops.org import visibility as org_visibility
from productops.org.models import Person, Team

router = Router(tags=["competencies: gaps"])


def _cycle_out(cycle: Any) -> dict[str, Any] | None:
    fact = gap_data.cycle_fact(cycle)
    return None if fact is None else gap_analysis.cycle_dict(fact)


@router.get(
    "/gaps/people/{person_id}",
    response=PersonGapsOut,
    summary="A person's gaps in a cycle (default: the latest with submitted answers)",
)
def person_gaps(request: HttpRequest, person_id: int, params: Query[PersonParams]):
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not visibility.can_see_results(request.user, person):
        raise Http404("No such person")
    try:
        cycle = gap_data.choose_cycle(gap_data.cycles_for_person(person), params.cycle)
    except LookupError:
        raise Http404("No such cycle for this person") from None
    live = visibility.sees_peer_results_live(request.user)
    result = gap_data.load_person_gaps(person, cycle, live=live) if cycle is not None else None
    if result is None:
        return {
            "person": {"id": person.pk, "name": person.name, "level": person.level},
            "cycle": None,
            "previous_cycle": None,
            "expected_for": "",
            "peer_threshold": visibility.PEER_ANONYMITY_THRESHOLD,
            "peer_results": gap_analysis.PEERS_LIVE if live else gap_analysis.PEERS_RELEASED,
            "peers_released": True,
            "exact_peer_counts": live,
            "steps": [],
            "competencies": [],
            "blind_spots": [],
            "hidden_strengths": [],
            "top_gaps": [],
            "total_gap": None,
        }
    return result.as_dict()


def _team_people(request: HttpRequest, team_id: int) -> QuerySet[Person]:
    team = Team.objects.filter(pk=team_id).first()
    if team is None or not org_visibility.can_see_team(request.user, team):
        raise Http404("No such team")
    return Person.objects.filter(active=True, memberships__team=team)


def _org_people(request: HttpRequest, manager_id: int | None) -> QuerySet[Person]:
    people = Person.objects.filter(active=True)
    if manager_id is None:
        return people
    manager = Person.objects.filter(pk=manager_id).first()
    if manager is None or not org_visibility.can_see_person(request.user, manager):
        raise Http404("No such person")
    return people.filter(pk__in=org_visibility.reporting_chain_ids(manager.pk))


def _choice(
    request: HttpRequest, people: QuerySet[Person], params: GroupParams
) -> gap_data.GroupChoice:
    try:
        return gap_data.load_group_choice(
            people,
            cycle=params.cycle,
            model=params.model,
            live=visibility.sees_peer_results_live(request.user),
        )
    except LookupError as error:
        raise Http404(str(error)) from None


def _group_out(request: HttpRequest, choice: gap_data.GroupChoice) -> dict[str, Any]:
    out: dict[str, Any] = {
        "scope": "none",
        "cycle": _cycle_out(choice.cycle),
        "cycles": [_cycle_out(cycle) for cycle in choice.cycles],
        "competencies": [],
        "steps": [],
        "people_assessed": 0,
        "heatmap": [],
        "distribution": [],
        "support": [],
    }
    group = choice.group
    if group is None:
        return out
    seen = visibility.visible_group_gaps(request.user, group)
    out.update(
        scope=seen["scope"],
        competencies=[asdict(c) for c in group.competencies],
        steps=group.steps,
        people_assessed=len(group.results),
        heatmap=[
            {
                "person": {"id": r.person.id, "name": r.person.name, "level": r.person.level},
                "total_gap": gap_analysis.rounded(r.total_gap),
                "cells": [row.as_dict(r.peer_threshold) for row in r.rows],
            }
            for r in seen["rows"]
        ],
        distribution=[entry.as_dict() for entry in seen["distribution"]],
        support=[entry.as_dict() for entry in seen["support"]],
    )
    return out


@router.get(
    "/gaps/teams/{team_id}",
    response=GroupGapsOut,
    summary="A team's heatmap, distribution and who most needs support, as your role may see",
)
def team_gaps(request: HttpRequest, team_id: int, params: Query[GroupParams]):
    return _group_out(request, _choice(request, _team_people(request, team_id), params))


@router.get(
    "/gaps/org",
    response=GroupGapsOut,
    summary="The org's (or a manager's chain's) heatmap, distribution and support lists",
)
def org_gaps(request: HttpRequest, params: Query[OrgParams]):
    return _group_out(request, _choice(request, _org_people(request, params.manager), params))


@router.get(
    "/gaps/distribution",
    response=DistributionOnlyOut,
    summary="Consensus per competency and step: aggregates every role may read",
)
def gap_distribution(request: HttpRequest, params: Query[DistributionParams]):
    if params.team is not None:
        people = _team_people(request, params.team)
    else:
        people = _org_people(request, params.manager)
    out = _group_out(request, _choice(request, people, params))
    return {key: out[key] for key in DistributionOnlyOut.model_fields}
