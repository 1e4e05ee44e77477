"""The touchpoints and cadence API, per role: visibility-filtered, paginated, validated."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from productops.discovery.models import Touchpoint
from productops.org.models import Team, TeamMembership

pytestmark = pytest.mark.django_db


def touch(cast, team=None, day=date(2025, 1, 6), notes=""):
    made = Touchpoint.objects.create(
        team=team or cast.checkout, date=day, kind="interview", notes=notes
    )
    made.participants.add(cast.priya if (team or cast.checkout) == cast.checkout else cast.paul)
    return made


def post(client, path, body):
    return client.post(f"/api/discovery{path}", json.dumps(body), content_type="application/json")


def test_anonymous_is_refused(client, cast):
    assert client.get("/api/discovery/touchpoints").status_code == 401
    assert client.get("/api/discovery/cadence").status_code == 401


@pytest.mark.parametrize(
    ("who", "teams"),
    [
        ("hana_user", {"Checkout", "Search"}),
        ("marco_user", {"Checkout", "Search"}),  # both PMs report to him
        ("priya_user", {"Checkout"}),
        ("paul_user", {"Search"}),
    ],
)
def test_the_list_is_filtered_by_visibility(client, cast, who, teams):
    touch(cast)
    touch(cast, team=cast.search)
    client.force_login(getattr(cast, who))
    body = client.get("/api/discovery/touchpoints").json()
    assert {item["team"]["name"] for item in body["items"]} == teams


def test_viewers_get_403_on_touchpoints_but_read_cadence(client, cast):
    made = touch(cast, notes="Secret pricing remark")
    client.force_login(cast.vera_user)
    assert client.get("/api/discovery/touchpoints").status_code == 403
    assert client.get(f"/api/discovery/touchpoints/{made.pk}").status_code == 403
    response = client.get("/api/discovery/cadence?start=2025-01-06&end=2025-01-12")
    assert response.status_code == 200
    assert "Secret" not in response.content.decode()
    assert [team["team_name"] for team in response.json()] == ["Checkout", "Search"]
    assert response.json()[0]["weekly_share"] == 1.0


def test_a_touchpoint_out_of_sight_is_404(client, cast):
    made = touch(cast)
    client.force_login(cast.paul_user)
    assert client.get(f"/api/discovery/touchpoints/{made.pk}").status_code == 404
    assert client.delete(f"/api/discovery/touchpoints/{made.pk}").status_code == 404


def test_list_is_paginated_with_few_queries(client, cast, django_assert_max_num_queries):
    for n in range(60):
        touch(cast, day=date(2024, 1, 1) + timedelta(days=n))
    client.force_login(cast.priya_user)
    with django_assert_max_num_queries(10):
        body = client.get(f"/api/discovery/touchpoints?team_id={cast.checkout.pk}").json()
    assert body["count"] == 60 and len(body["items"]) == 50
    assert body["items"][0]["date"] == "2024-02-29"
    assert body["items"][0]["participants"] == [{"id": cast.priya.pk, "name": "Priya PM"}]


def test_create_get_and_delete(client, cast):
    client.force_login(cast.priya_user)
    response = post(
        client,
        "/touchpoints",
        {"team_id": cast.checkout.pk, "kind": "interview", "participant_ids": [cast.dana.pk]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["date"] == timezone.localdate().isoformat() and body["customers"] == 1
    assert body["participants"] == [{"id": cast.dana.pk, "name": "Dana Designer"}]
    assert client.get(f"/api/discovery/touchpoints/{body['id']}").json()["kind"] == "interview"
    assert client.delete(f"/api/discovery/touchpoints/{body['id']}").status_code == 204
    assert not Touchpoint.objects.exists()


def test_create_refuses_bad_input_and_other_teams(client, cast):
    client.force_login(cast.priya_user)
    bad = post(
        client, "/touchpoints", {"team_id": cast.checkout.pk, "kind": "chat", "customers": 0}
    )
    assert bad.status_code == 422
    assert "kind" in bad.json()["detail"] and "customers" in bad.json()["detail"]
    outsider = post(
        client,
        "/touchpoints",
        {"team_id": cast.checkout.pk, "kind": "interview", "participant_ids": [cast.paul.pk]},
    )
    assert outsider.status_code == 422 and "Paul PM is not" in outsider.json()["detail"]
    other_team = post(client, "/touchpoints", {"team_id": cast.search.pk, "kind": "interview"})
    assert other_team.status_code == 403
    assert post(client, "/touchpoints", {"team_id": 999, "kind": "interview"}).status_code == 404
    assert not Touchpoint.objects.exists()


def test_one_team_cadence_and_bad_periods(client, cast):
    touch(cast, day=date(2020, 12, 31))
    client.force_login(cast.paul_user)
    url = f"/api/discovery/teams/{cast.checkout.pk}/cadence"
    body = client.get(url, {"start": "2020-12-21", "end": "2021-01-10"}).json()
    assert [(w["iso_week"], w["count"]) for w in body["weeks"]] == [
        ("2020-W52", 0),
        ("2020-W53", 1),
        ("2021-W01", 0),
    ]
    assert body["longest_streak"] == 1 and body["trio_share"] == 0.0
    assert client.get(url, {"start": "2021-01-10", "end": "2020-12-21"}).status_code == 422
    assert client.get(url, {"start": "soon"}).status_code == 422
    assert client.get("/api/discovery/teams/999/cadence").status_code == 404


def test_all_teams_cadence_costs_the_same_for_many_teams(
    client, cast, django_assert_max_num_queries
):
    for n in range(25):
        team = Team.objects.create(name=f"Team {n:02d}")
        TeamMembership.objects.create(team=team, person=cast.otto)
    client.force_login(cast.hana_user)
    with django_assert_max_num_queries(8):
        body = client.get("/api/discovery/cadence").json()
    assert len(body) == 27 and all(team["week_count"] == 13 for team in body)
