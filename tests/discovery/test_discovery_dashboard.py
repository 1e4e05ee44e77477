"""The overview page's discovery section: who met customers, the silent teams, the nudge.

On the cast: Search (Paul) had an interview with Paul three days ago; Checkout (Priya,
Dana, Tariq) had its last interview with Priya 40 days ago, and a sales call two days ago
that only Otto (not of the team) joined, so Checkout is silent: 1 of 2 teams met
customers in the last 28 days.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from productops.discovery.dashboard import dashboard_context
from productops.discovery.models import Touchpoint, TouchpointKind
from productops.org.models import Person, Team, TeamMembership, TeamRole

pytestmark = pytest.mark.django_db

EMPTY_STATE = "Start logging customer touchpoints from a team page"
NUDGE = "Log a touchpoint"


def touch(team, days_ago, people, kind=TouchpointKind.INTERVIEW):
    made = Touchpoint.objects.create(
        team=team, date=timezone.localdate() - timedelta(days=days_ago), kind=kind
    )
    made.participants.add(*people)
    return made


@pytest.fixture
def story(cast):
    touch(cast.search, 3, [cast.paul])
    touch(cast.checkout, 40, [cast.priya])
    touch(cast.checkout, 2, [cast.otto], kind=TouchpointKind.SALES_CALL)
    return cast


def users(cast):
    return {
        "admin": cast.hana_user,
        "manager": cast.marco_user,
        "member": cast.priya_user,
        "viewer": cast.vera_user,
    }


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str) -> str:
    start = page.index('class="card disc-dashboard"')
    return page[start : page.index("</section>", start)]


def test_no_touchpoint_ever_shows_the_empty_state_to_every_role(cast, client):
    for role, user in users(cast).items():
        assert dashboard_context(user) == {"discovery_not_started": True}, role
        page = home(client, user)
        assert EMPTY_STATE in page, role
        assert "silent team" not in page, role
    # Only those who may open the Teams page get a link to it.
    assert reverse("org:teams") in section(home(client, cast.hana_user))
    assert reverse("org:teams") not in section(home(client, cast.vera_user))


def test_no_team_with_members_shows_no_section(cast, client):
    TeamMembership.objects.all().delete()
    assert dashboard_context(cast.hana_user) == {}
    assert "disc-dashboard" not in home(client, cast.hana_user)


def test_the_count_and_the_silent_teams(story):
    context = dashboard_context(story.marco_user)
    assert (context["discovery_teams_meeting"], context["discovery_team_total"]) == (1, 2)
    assert [c.team_name for c in context["discovery_silent"]] == ["Checkout"]
    assert context["discovery_silent_total"] == 1
    checkout = context["discovery_silent"][0]
    assert checkout.last_counted == timezone.localdate() - timedelta(days=40)
    assert context["discovery_silent_days"] == 28


def test_a_group_without_members_is_not_counted(story):
    Team.objects.create(name="Platform group")
    context = dashboard_context(story.hana_user)
    assert context["discovery_team_total"] == 2


def test_every_role_sees_the_silent_teams_linked_to_their_cadence(story, client):
    link = reverse("discovery:team_cadence", args=[story.checkout.pk])
    for role, user in users(story).items():
        page = home(client, user)
        assert "1 of 2</span> teams met customers in the last 28 days" in page, role
        assert f'<a href="{link}">Checkout</a>' in page, role
        assert reverse("discovery:team_cadence", args=[story.search.pk]) not in page, role
        assert EMPTY_STATE not in page, role


def test_a_member_of_a_silent_team_is_nudged_to_log_a_touchpoint(story, client):
    log_checkout = reverse("discovery:touchpoint_new", args=[story.checkout.pk])
    context = dashboard_context(story.priya_user)
    assert context["discovery_nudge"] == [story.checkout]
    page = home(client, story.priya_user)
    assert NUDGE in page
    assert log_checkout in page
    # Paul's team met customers; Hana, Marco and Vera belong to no team.
    for user in (story.paul_user, story.hana_user, story.marco_user, story.vera_user):
        assert dashboard_context(user)["discovery_nudge"] == []
        assert NUDGE not in home(client, user)


def test_once_the_team_meets_a_customer_the_nudge_goes(story, client):
    touch(story.checkout, 0, [story.dana])
    context = dashboard_context(story.priya_user)
    assert context["discovery_silent"] == []
    assert context["discovery_nudge"] == []
    page = home(client, story.priya_user)
    assert "No silent team" in page
    assert NUDGE not in page


def test_a_manager_in_a_silent_team_is_nudged_too(story):
    TeamMembership.objects.create(
        team=story.checkout, person=story.marco, role=TeamRole.PRODUCT_MANAGER
    )
    assert dashboard_context(story.marco_user)["discovery_nudge"] == [story.checkout]


def test_the_cost_does_not_grow_with_teams_or_touchpoints(story):
    def cost(user) -> int:
        fresh = type(user).objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as queries:
            dashboard_context(fresh)
        return len(queries)

    before = {user.username: cost(user) for user in users(story).values()}
    outsider = Person.objects.create(name="Olga", email="olga@x.test")
    for n in range(25):
        team = Team.objects.create(name=f"Team {n:02d}")
        TeamMembership.objects.create(team=team, person=outsider, role=TeamRole.ENGINEER)
        if n % 2:
            touch(team, n, [outsider])
    after = {user.username: cost(user) for user in users(story).values()}
    assert after == before
    assert max(after.values()) <= 10
    assert dashboard_context(story.hana_user)["discovery_team_total"] == 27
