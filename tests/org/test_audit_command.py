"""The org audit against the database: loading the snapshot and the audit_org command."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from productops.org.audit import load_org_snapshot, run_org_audit
from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole
from tests.cast import Cast, build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return build_cast()


def plant_wide_manager(cast: Cast, reports: int = 17) -> Person:
    """Marco takes on a crowd of engineers: a span and 1:1 problem to find."""
    Person.objects.bulk_create(
        Person(
            name=f"Crowd {n:02d}",
            email=f"crowd{n}@example.com",
            discipline=Discipline.ENGINEERING,
            manager=cast.marco,
        )
        for n in range(reports)
    )
    return cast.marco


def audit_json(**options: object) -> dict:
    out = StringIO()
    call_command("audit_org", "--json", stdout=out, **options)
    return json.loads(out.getvalue())


def test_snapshot_is_three_queries_and_maps_fields(
    cast: Cast, django_assert_max_num_queries
) -> None:
    gone = Person.objects.create(
        name="Gone Ghost", email="ghost@example.com", discipline=Discipline.DESIGN, active=False
    )
    TeamMembership.objects.create(team=cast.search, person=gone, role=TeamRole.DESIGN_LEAD)
    Team.objects.create(name="Platform group")
    with django_assert_max_num_queries(3):
        snapshot = load_org_snapshot()

    people = {p.id: p for p in snapshot.people}
    assert gone.id not in people
    assert len(people) == 7
    priya = people[cast.priya.id]
    assert (
        priya.name,
        priya.email,
        priya.discipline,
        priya.title,
        priya.manager_id,
        priya.active,
    ) == (
        "Priya PM",
        "priya@example.com",
        "product",
        "Product Manager",
        cast.marco.id,
        True,
    )
    assert people[cast.otto.id].manager_id is None

    teams = {t.name: t for t in snapshot.teams}
    assert set(teams) == {"Checkout", "Search", "Platform group"}
    assert teams["Checkout"].id == cast.checkout.id
    assert teams["Checkout"].roles == {
        cast.priya.id: "product_manager",
        cast.dana.id: "design_lead",
        cast.tariq.id: "tech_lead",
    }
    assert teams["Search"].roles == {cast.paul.id: "product_manager"}  # the ghost is left out
    assert teams["Platform group"].roles == {}


def test_snapshot_query_count_does_not_grow_with_the_org(
    cast: Cast, django_assert_max_num_queries
) -> None:
    plant_wide_manager(cast, reports=60)
    with django_assert_max_num_queries(3):
        snapshot = load_org_snapshot()
    assert len(snapshot.people) == 67


def test_run_org_audit_on_the_cast(cast: Cast) -> None:
    result = run_org_audit()
    assert result.top_id == cast.hana.id
    by_rule = {(f.rule, f.subject_name): f for f in result.findings}
    assert ("no_manager", "Otto Outsider") in by_rule
    assert by_rule[("trio_incomplete", "Search")].severity == "critical"
    assert not any(f.subject_name == "Checkout" for f in result.findings)
    assert [(r.name, r.direct, r.total) for r in result.spans] == [
        ("Hana Head", 3, 5),
        ("Marco Manager", 2, 2),
    ]


def test_command_prints_findings_grouped_with_why_and_spans(cast: Cast) -> None:
    plant_wide_manager(cast)
    out = StringIO()
    call_command("audit_org", stdout=out)
    text = out.getvalue()
    assert "Org audit of 24 active people in 2 teams" in text
    assert text.index("Critical (") < text.index("Warning (")
    assert "Marco Manager" in text and "19 people directly" in text
    assert "Otto Outsider" in text and "outside the reporting tree" in text
    assert "coach each of them" in text  # the why travels with the finding
    assert "Spans of control (2 of 2)" in text


def test_command_json_is_machine_readable(cast: Cast) -> None:
    plant_wide_manager(cast)
    data = audit_json()
    assert set(data) == {"findings", "spans", "thresholds"}
    assert data["thresholds"]["span_warn"] == 8
    marco_span = [
        f
        for f in data["findings"]
        if f["rule"] == "span_of_control" and f["subject_id"] == cast.marco.id
    ]
    assert marco_span and marco_span[0]["severity"] == "critical"
    assert {"rule", "severity", "subject_kind", "subject_name", "message", "why"} <= set(
        marco_span[0]
    )
    assert data["spans"][0] == {
        "manager_id": cast.marco.id,
        "name": "Marco Manager",
        "direct": 19,
        "total": 19,
        "severity": "critical",
    }


def test_command_thresholds_from_options(cast: Cast) -> None:
    assert not [f for f in audit_json()["findings"] if f["rule"] == "span_of_control"]
    data = audit_json(span_warn=2, span_critical=2, max_depth=1, max_teams_per_pm=0)
    expected = {"span_warn": 2, "span_critical": 2, "max_chain_depth": 1, "max_teams_per_pm": 0}
    assert expected.items() <= data["thresholds"].items()
    spans = {
        f["subject_name"]: f["severity"] for f in data["findings"] if f["rule"] == "span_of_control"
    }
    assert spans == {"Hana Head": "critical"}
    deep = {f["subject_name"] for f in data["findings"] if f["rule"] == "deep_chain"}
    assert deep == {"Priya PM", "Paul PM"}
    assert {f["subject_name"] for f in data["findings"] if f["rule"] == "pm_spread"} == {
        "Priya PM",
        "Paul PM",
    }


def test_command_rejects_inconsistent_thresholds(cast: Cast) -> None:
    with pytest.raises(CommandError, match="span_warn"):
        call_command("audit_org", span_warn=20, span_critical=10, stdout=StringIO())


def test_fail_on_exits_non_zero_only_at_or_above_the_level(cast: Cast) -> None:
    # The cast has critical findings (Search has no designer or engineer at all).
    with pytest.raises(CommandError) as failed:
        call_command("audit_org", "--fail-on", "critical", stdout=StringIO())
    assert failed.value.returncode == 1

    Team.objects.filter(name="Search").delete()
    Person.objects.filter(pk=cast.otto.pk).update(manager=cast.hana)
    result = run_org_audit()
    assert not result.at_or_above("critical") and result.at_or_above("warning")
    call_command("audit_org", "--fail-on", "critical", stdout=StringIO())  # no exception
    with pytest.raises(CommandError):
        call_command("audit_org", "--fail-on", "warning", stdout=StringIO())
