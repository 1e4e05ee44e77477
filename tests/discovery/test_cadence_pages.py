"""The cadence loader against the database, and the cadence pages for every role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from productops.discovery.cadence import iso_monday, load_cadence
from productops.discovery.models import Touchpoint
from productops.org.models import Team, TeamMembership, TeamRole

pytestmark = pytest.mark.django_db


def touch(team, day, kind="interview", people=(), customers=1, notes=""):
    made = Touchpoint.objects.create(
        team=team, date=day, kind=kind, customers=customers, notes=notes
    )
    made.participants.add(*people)
    return made


def test_the_loader_counts_team_touchpoints_with_a_member(cast):
    checkout, search = cast.checkout, cast.search
    touch(checkout, date(2025, 1, 6), people=[cast.priya, cast.dana, cast.tariq], customers=3)
    touch(checkout, date(2025, 1, 14), people=[cast.otto])  # nobody of the team
    touch(checkout, date(2025, 1, 15), kind="data_review", people=[cast.priya])
    touch(search, date(2025, 1, 7), people=[cast.paul])
    result = {c.team_name: c for c in load_cadence(start=date(2025, 1, 6), end=date(2025, 1, 19))}
    assert list(result) == ["Checkout", "Search"]
    checkout_cadence = result["Checkout"]
    assert checkout_cadence.weeks == [(date(2025, 1, 6), 1), (date(2025, 1, 13), 0)]
    assert checkout_cadence.weekly_share == 0.5
    assert checkout_cadence.touchpoints == 3 and checkout_cadence.customers == 5
    assert checkout_cadence.trio_share == pytest.approx(1 / 3)
    assert checkout_cadence.last_date == date(2025, 1, 15)
    assert result["Search"].weekly_share == 0.5
    only = load_cadence([search.pk], start=date(2025, 1, 6), end=date(2025, 1, 19))
    assert [c.team_name for c in only] == ["Search"]


def test_the_loader_runs_four_queries_whatever_the_number_of_teams(cast, django_assert_num_queries):
    start = date(2025, 1, 6)
    for n in range(30):
        team = Team.objects.create(name=f"Team {n:02d}")
        TeamMembership.objects.create(team=team, person=cast.otto, role=TeamRole.ENGINEER)
        touch(team, start + timedelta(days=n), people=[cast.otto])
    with django_assert_num_queries(4):
        cadences = load_cadence(start=start, end=date(2025, 3, 2))
    assert len(cadences) == 32
    assert all(c.counted_weeks == 1 for c in cadences if c.team_name.startswith("Team"))


def test_the_default_period_ends_today(cast):
    today = timezone.localdate()
    touch(cast.checkout, today, people=[cast.priya])
    cadence = load_cadence([cast.checkout.pk])[0]
    assert cadence.end == today and cadence.week_count == 13
    assert cadence.weeks[-1] == (iso_monday(today), 1)
    assert cadence.current_streak == 1 and not cadence.silent


@pytest.mark.parametrize("who", ["hana_user", "marco_user", "priya_user", "paul_user", "vera_user"])
def test_everyone_sees_the_org_cadence_but_never_notes(
    client, cast, who, django_assert_max_num_queries
):
    touch(cast.checkout, timezone.localdate(), people=[cast.priya], notes="Secret pricing remark")
    for n in range(10):
        quiet = Team.objects.create(name=f"Quiet {n}")
        TeamMembership.objects.create(team=quiet, person=cast.otto)
    Team.objects.create(name="A group of teams")  # no members of its own: left out
    client.force_login(getattr(cast, who))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("discovery:cadence"))
    assert response.status_code == 200
    assert b"Secret pricing remark" not in response.content
    assert [row["cadence"].team_name for row in response.context["rows"]][:2] == [
        "Checkout",
        "Quiet 0",
    ]
    silent = [c.team_name for c in response.context["silent"]]
    assert "Search" in silent and "Checkout" not in silent
    assert "A group of teams" not in [row["cadence"].team_name for row in response.context["rows"]]
    assert b"<svg" in response.content


def test_a_viewer_sees_a_team_cadence_page(client, cast):
    touch(cast.checkout, timezone.localdate(), people=[cast.priya], notes="Secret pricing remark")
    client.force_login(cast.vera_user)
    response = client.get(reverse("discovery:team_cadence", args=[cast.checkout.pk]))
    assert response.status_code == 200
    assert response.context["cadence"].counted_weeks == 1
    assert not response.context["sees_touchpoints"] and not response.context["can_log"]
    assert b"Secret pricing remark" not in response.content
    assert b"Log a touchpoint" not in response.content


def test_the_period_picker(client, cast):
    touch(cast.checkout, date(2020, 12, 31), people=[cast.priya])
    client.force_login(cast.priya_user)
    url = reverse("discovery:team_cadence", args=[cast.checkout.pk])
    response = client.get(url, {"start": "2020-12-21", "end": "2021-01-10"})
    cadence = response.context["cadence"]
    assert [count for _, count in cadence.weeks] == [0, 1, 0]
    assert b"2020-W53" in response.content
    backwards = client.get(url, {"start": "2021-01-10", "end": "2020-12-21"})
    assert backwards.status_code == 200
    assert b"starts after it ends" in backwards.content
    assert backwards.context["cadence"].end == timezone.localdate()


def test_the_team_page_shows_the_cadence_and_the_log_link(client, cast):
    client.force_login(cast.priya_user)
    response = client.get(reverse("org:team", args=[cast.checkout.pk]))
    assert response.context["discovery_cadence"]["cadence"].counted_weeks == 0
    assert reverse("discovery:touchpoint_new", args=[cast.checkout.pk]).encode() in response.content
    client.force_login(
        cast.paul_user
    )  # Paul sees Search, not Checkout; his page has no link for Checkout
    response = client.get(reverse("org:team", args=[cast.search.pk]))
    assert response.context["discovery_cadence"]["can_log"] is True


def test_an_unknown_team_is_404(client, cast):
    client.force_login(cast.hana_user)
    assert client.get(reverse("discovery:team_cadence", args=[9999])).status_code == 404
