"""Which teams build product: the ones discovery cadence, trees and delegation measure."""

from __future__ import annotations

import pytest

from productops.discovery.cadence import load_cadence
from productops.discovery.models import Touchpoint
from productops.org.models import Team, TeamMembership, TeamRole, builds_product
from productops.strategy.delegation import board_teams
from tests.cast import build_cast


@pytest.fixture
def org():
    cast = build_cast()
    group = Team.objects.create(name="Commerce")  # the group's leads are its members
    TeamMembership.objects.create(team=group, person=cast.marco, role=TeamRole.PRODUCT_MANAGER)
    cast.checkout.parent = group
    cast.checkout.save()
    Team.objects.create(name="Empty shell")  # no members at all
    return cast, group


@pytest.mark.django_db
def test_a_group_of_teams_and_an_empty_team_do_not_build(org) -> None:
    cast, _ = org
    building = set(Team.objects.filter(builds_product()).values_list("name", flat=True))
    assert building == {"Checkout", "Search"}
    assert [c.team_name for c in load_cadence()] == ["Checkout", "Search"]
    assert [team.name for team in board_teams()] == ["Checkout", "Search"]


@pytest.mark.django_db
def test_a_group_with_touchpoints_of_its_own_shows_in_the_cadence(org) -> None:
    _, group = org
    Touchpoint.objects.create(team=group, kind="interview")
    assert [c.team_name for c in load_cadence()] == ["Checkout", "Commerce", "Search"]
