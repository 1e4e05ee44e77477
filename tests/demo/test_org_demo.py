"""The demo organization: a believable company, the same for the same seed, with four
problems planted for the org audit, and the `demo` command that loads it with logins."""

from __future__ import annotations

import math
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from productops.accounts.models import Role
from productops.demo.org import (
    CEO_TITLE,
    MIN_PEOPLE,
    SALES_LEADER_TITLE,
    DemoOrg,
    build_demo_org,
    read_demo_org,
)
from productops.org.actions import do_clear_org
from productops.org.audit import Severity, run_org_audit
from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-1"


@pytest.fixture
def demo() -> DemoOrg:
    return build_demo_org()


def company_snapshot() -> tuple[list[tuple], list[tuple]]:
    """Everything a visitor would see, without database ids."""
    people = sorted(
        Person.objects.values_list(
            "name", "email", "discipline", "title", "level", "manager__email", "active"
        )
    )
    teams = sorted(
        (
            team.name,
            team.parent.name if team.parent else None,
            team.mission,
            team.product_area,
            tuple(sorted((m.person.email, m.role) for m in team.memberships.all())),
        )
        for team in Team.objects.select_related("parent").prefetch_related("memberships__person")
    )
    return people, teams


def roles_on(team_id: int) -> dict[str, list[Person]]:
    held: dict[str, list[Person]] = {}
    for membership in TeamMembership.objects.filter(team_id=team_id).select_related("person"):
        held.setdefault(membership.role, []).append(membership.person)
    return held


# The company


def test_the_default_demo_has_exactly_150_people(demo: DemoOrg) -> None:
    assert Person.objects.count() == 150 == demo.people
    assert demo.active_people == Person.objects.filter(active=True).count()
    assert 1 <= demo.people - demo.active_people <= 5  # about 2% have left
    assert Team.objects.count() == demo.teams == demo.product_teams + demo.groups
    assert 3 <= demo.groups <= 5


@pytest.mark.parametrize("people", [MIN_PEOPLE, 97, 333])
def test_other_sizes_have_exactly_the_people_asked_for(people: int) -> None:
    assert build_demo_org(people=people).people == people == Person.objects.count()


def test_fewer_people_than_the_minimum_is_refused() -> None:
    with pytest.raises(ValueError, match=str(MIN_PEOPLE)):
        build_demo_org(people=MIN_PEOPLE - 1)


def test_the_same_seed_builds_the_same_company_and_another_seed_another() -> None:
    build_demo_org(seed=7)
    first = company_snapshot()
    do_clear_org()
    build_demo_org(seed=7)
    assert company_snapshot() == first
    do_clear_org()
    build_demo_org(seed=8)
    other_people, other_teams = company_snapshot()
    assert [row[:2] for row in other_people] != [row[:2] for row in first[0]]
    assert other_teams != first[1]


def test_emails_are_first_dot_last_at_the_demo_domain(demo: DemoOrg) -> None:
    emails = list(Person.objects.values_list("email", flat=True))
    assert len(set(emails)) == len(emails)
    assert all(email.endswith("@demo.example") and "." in email.split("@")[0] for email in emails)


def test_everyone_active_but_the_ceo_has_a_manager_and_no_one_is_their_own_boss(
    demo: DemoOrg,
) -> None:
    without_manager = Person.objects.filter(active=True, manager__isnull=True)
    assert list(without_manager.values_list("title", flat=True)) == [CEO_TITLE]
    assert demo.ceo_id == without_manager.get().pk
    manager_of = dict(Person.objects.values_list("pk", "manager_id"))
    for pk in manager_of:
        seen = set()
        while pk is not None:
            assert pk not in seen, "reporting cycle"
            seen.add(pk)
            pk = manager_of[pk]
        assert len(seen) <= 7


def test_the_company_looks_like_a_saas_company(demo: DemoOrg) -> None:
    ceo_reports = set(Person.objects.filter(manager_id=demo.ceo_id).values_list("title", flat=True))
    assert {
        "Chief Product Officer",
        "Chief Technology Officer",
        "Head of Design",
        "VP Sales",
        "VP Marketing",
        "Head of Customer Support",
        "Head of Data",
    } <= ceo_reports
    gpms = Person.objects.filter(manager_id=demo.head_of_product_id, title="Group Product Manager")
    assert 2 <= gpms.count() <= 4
    for gpm in gpms:
        assert Person.objects.filter(manager=gpm, discipline=Discipline.PRODUCT).exists()
    assert Person.objects.filter(title__contains="Senior", level="L5").exists()
    assert Person.objects.filter(title="Engineering Manager").exists()


def test_every_team_has_members_and_every_product_team_a_group(demo: DemoOrg) -> None:
    assert not Team.objects.filter(memberships__isnull=True).exists()
    product_teams = Team.objects.filter(parent__isnull=False)
    assert product_teams.count() == demo.product_teams
    assert not Team.objects.filter(parent__parent__isnull=False).exists()
    for team in product_teams:
        assert team.mission and team.product_area
        roles = roles_on(team.pk)
        assert len(roles[TeamRole.PRODUCT_MANAGER]) == 1
        assert len(roles[TeamRole.TECH_LEAD]) == 1
        assert 3 <= len(roles[TeamRole.ENGINEER]) <= 6


# The planted problems


def test_the_head_of_support_manages_about_forty_people(demo: DemoOrg) -> None:
    direct = Person.objects.filter(manager_id=demo.support_head_id, active=True).count()
    assert direct == demo.support_head_reports == 40


def test_a_small_demo_still_plants_a_span_far_too_wide() -> None:
    small = build_demo_org(people=MIN_PEOPLE)
    assert small.support_head_reports > 16


def test_one_product_team_has_no_designer_at_all(demo: DemoOrg) -> None:
    roles = roles_on(demo.no_designer_team_id)
    assert TeamRole.DESIGN_LEAD not in roles and TeamRole.DESIGNER not in roles
    assert not TeamMembership.objects.filter(
        team_id=demo.no_designer_team_id, person__discipline=Discipline.DESIGN
    ).exists()
    assert roles[TeamRole.PRODUCT_MANAGER] and roles[TeamRole.TECH_LEAD]


def test_a_pm_reports_to_a_sales_leader(demo: DemoOrg) -> None:
    pm = Person.objects.select_related("manager").get(pk=demo.sales_led_pm_id)
    assert pm.discipline == Discipline.PRODUCT
    assert pm.manager.pk == demo.sales_leader_id
    assert (pm.manager.discipline, pm.manager.title) == (Discipline.SALES, SALES_LEADER_TITLE)
    assert roles_on(demo.enterprise_team_id)[TeamRole.PRODUCT_MANAGER] == [pm]
    assert "Enterprise" in demo.enterprise_team_name


def test_a_pm_is_product_manager_of_three_teams(demo: DemoOrg) -> None:
    teams = TeamMembership.objects.filter(
        person_id=demo.spread_pm_id, role=TeamRole.PRODUCT_MANAGER
    ).values_list("team_id", flat=True)
    assert sorted(teams) == sorted(demo.spread_pm_team_ids)
    assert len(demo.spread_pm_team_ids) == 3


def test_the_planted_problems_are_described_one_line_each(demo: DemoOrg) -> None:
    lines = demo.planted_problems()
    assert len(lines) == 4
    for name in (
        demo.support_head_name,
        demo.no_designer_team_name,
        demo.sales_led_pm_name,
        demo.spread_pm_name,
    ):
        assert sum(name in line for line in lines) == 1


def test_the_demo_is_recognised_again_from_the_database(demo: DemoOrg) -> None:
    assert read_demo_org() == demo
    do_clear_org()
    assert read_demo_org() is None


@pytest.mark.parametrize("people", [MIN_PEOPLE, 150, 500])
def test_the_org_audit_finds_exactly_the_planted_problems(people: int) -> None:
    demo = build_demo_org(people=people)
    findings = {(f.rule, f.subject_kind, f.subject_id): f for f in run_org_audit().findings}

    span = findings[("span_of_control", "person", demo.support_head_id)]
    assert span.severity == Severity.CRITICAL
    assert ("one_on_one_load", "person", demo.support_head_id) in findings
    assert ("trio_incomplete", "team", demo.no_designer_team_id) in findings
    assert ("pm_manager_not_product", "person", demo.sales_led_pm_id) in findings
    assert ("pm_spread", "person", demo.spread_pm_id) in findings
    # The shop window shows the planted problems, not noise from the way it was built.
    assert len(findings) == 5, [f.message for f in findings.values()]


# Scale


def queries_to_build(people: int) -> tuple[int, int]:
    """(all queries, inserts) for one build into an empty organization."""
    do_clear_org()
    with CaptureQueriesContext(connection) as captured:
        build_demo_org(people=people)
    sql = [query["sql"] for query in captured.captured_queries]
    return len(sql), sum(statement.lstrip().upper().startswith("INSERT") for statement in sql)


def test_two_thousand_people_cost_about_the_queries_of_two_hundred() -> None:
    small, small_inserts = queries_to_build(200)
    big, big_inserts = queries_to_build(2000)
    assert Person.objects.count() == 2000
    # Only inserts may grow, and only because a backend caps the rows per statement
    # (SQLite: 999 variables, about 110 people); nothing runs per person or per team.
    assert big - big_inserts == small - small_inserts
    assert big < math.ceil(small * 1.5) + 15, (small, big)


# The command


def run_demo(**options: object) -> str:
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def test_the_command_loads_the_demo_and_prints_logins_and_planted_problems() -> None:
    output = run_demo(people=MIN_PEOPLE, password=PASSWORD)

    assert Person.objects.count() == MIN_PEOPLE
    assert "http://127.0.0.1:8000" in output
    for username in ("admin", "manager", "member", "viewer", "ceo"):
        assert f"  {username} " in output
    assert output.count(PASSWORD) == 5
    assert output.count("Planted for the org audit: ") == 4
    demo = read_demo_org()
    assert demo is not None and demo.support_head_name in output and demo.spread_pm_name in output


def test_the_logins_have_their_roles_and_people() -> None:
    run_demo(people=MIN_PEOPLE, password=PASSWORD)
    demo = read_demo_org()
    assert demo is not None
    users = {user.username: user for user in get_user_model().objects.all()}

    expected = {
        "admin": (Role.ADMIN, demo.head_of_product_id),
        "manager": (Role.MANAGER, demo.group_pm_id),
        "member": (Role.MEMBER, demo.member_pm_id),
        "viewer": (Role.VIEWER, None),
        "ceo": (Role.MANAGER, demo.ceo_id),
    }
    for username, (role, person_id) in expected.items():
        user = users[username]
        assert user.account.role == role
        assert user.check_password(PASSWORD)
        assert getattr(getattr(user, "person", None), "pk", None) == person_id
    assert users["admin"].is_superuser and not users["manager"].is_staff

    gpm = Person.objects.get(pk=demo.group_pm_id)
    member = Person.objects.get(pk=demo.member_pm_id)
    assert gpm.title == "Group Product Manager"
    assert member.manager_id == gpm.pk
    assert member.memberships.filter(role=TeamRole.PRODUCT_MANAGER).exists()


def test_each_login_gets_a_fresh_random_password_on_every_run() -> None:
    def passwords(output: str) -> dict[str, str]:
        found = {}
        for line in output.splitlines():
            parts = line.split()
            if parts and parts[0] in {"admin", "manager", "member", "viewer", "ceo"}:
                found[parts[0]] = parts[1]
        return found

    first = passwords(run_demo(people=MIN_PEOPLE))
    second = passwords(run_demo(if_empty=True))
    assert len(set(first.values())) == 5
    assert not set(first.values()) & set(second.values())
    User = get_user_model()
    for username, password in second.items():
        assert User.objects.get(username=username).check_password(password)


def test_running_again_without_reset_refuses_and_says_how_many_people_exist() -> None:
    run_demo(people=MIN_PEOPLE, password=PASSWORD)
    with pytest.raises(CommandError, match=rf"{MIN_PEOPLE} people.*--reset"):
        run_demo(people=MIN_PEOPLE)
    assert Person.objects.count() == MIN_PEOPLE


def test_if_empty_keeps_the_demo_and_refreshes_the_logins() -> None:
    run_demo(people=MIN_PEOPLE, password=PASSWORD)
    output = run_demo(if_empty=True, password="another-password-2")
    assert "already loaded" in output
    assert Person.objects.count() == MIN_PEOPLE
    assert output.count("Planted for the org audit: ") == 4
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("another-password-2")


def test_if_empty_keeps_someone_elses_org_and_links_no_one(cast_like_org: None) -> None:
    output = run_demo(if_empty=True, password=PASSWORD)
    assert "not the demo organization" in output
    assert "Planted for the org audit" not in output
    assert Person.objects.count() == 2
    assert not Person.objects.filter(user__isnull=False).exists()


def test_reset_replaces_everyone_with_the_demo() -> None:
    run_demo(people=MIN_PEOPLE, password=PASSWORD)
    run_demo(people=80, seed=3, reset=True, password=PASSWORD)
    assert Person.objects.count() == 80
    demo = read_demo_org()
    assert demo is not None and demo.people == 80
    admin = get_user_model().objects.get(username="admin")
    assert admin.person.pk == demo.head_of_product_id


@pytest.fixture
def cast_like_org() -> None:
    boss = Person.objects.create(name="Ada Boss", email="ada@example.com", discipline="product")
    Person.objects.create(
        name="Ben Builder", email="ben@example.com", discipline="engineering", manager=boss
    )
