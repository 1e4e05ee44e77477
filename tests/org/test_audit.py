"""The org audit rules, on snapshots built by hand: no database involved."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

import pytest

from productops.org import audit as audit_module
from productops.org.audit import (
    RULES,
    AuditResult,
    AuditThresholds,
    Finding,
    OrgSnapshot,
    PersonFact,
    Severity,
    TeamFact,
    audit_org,
)
from productops.org.models import BUILDER_DISCIPLINES, Discipline, TeamRole

# High enough never to collide with the small ids some tests pin by hand.
_ids = itertools.count(1_000_000)


def person(
    name: str,
    discipline: str = Discipline.ENGINEERING,
    manager: PersonFact | None = None,
    title: str = "",
    active: bool = True,
    pid: int | None = None,
) -> PersonFact:
    slug = name.lower().replace(" ", ".")
    return PersonFact(
        id=pid if pid is not None else next(_ids),
        name=name,
        email=f"{slug}@example.com",
        discipline=str(discipline),
        title=title,
        manager_id=manager.id if manager else None,
        active=active,
    )


def reports(
    manager: PersonFact, count: int, discipline: str = Discipline.ENGINEERING
) -> list[PersonFact]:
    return [person(f"{manager.name} report {n}", discipline, manager) for n in range(count)]


def team(name: str, **roles: tuple[PersonFact, str]) -> TeamFact:
    return TeamFact(id=next(_ids), name=name, roles={p.id: str(role) for p, role in roles.values()})


def run(people: Iterable[PersonFact], teams: Iterable[TeamFact] = (), **limits: Any) -> AuditResult:
    thresholds = AuditThresholds(**limits) if limits else None
    return audit_org(OrgSnapshot(people=list(people), teams=list(teams)), thresholds)


def of_rule(result: AuditResult, rule: str) -> list[Finding]:
    return [finding for finding in result.findings if finding.rule == rule]


def balanced_leadership() -> tuple[PersonFact, list[PersonFact]]:
    """A CEO over heads of product, design and engineering who each manage a manager."""
    ceo = person("Cleo CEO", Discipline.LEADERSHIP, title="CEO")
    people = [ceo]
    for discipline in BUILDER_DISCIPLINES:
        head = person(f"Head of {discipline}", discipline, ceo)
        lead = person(f"Lead of {discipline}", discipline, head)
        people += [head, lead, person(f"IC of {discipline}", discipline, lead)]
    return ceo, people


# --- the shape of the interface -------------------------------------------------------


def test_stored_values_match_the_models() -> None:
    assert audit_module.BUILDERS == tuple(str(d) for d in BUILDER_DISCIPLINES)
    assert audit_module.LEADERSHIP == Discipline.LEADERSHIP
    assert audit_module.ROLE_PRODUCT_MANAGER == TeamRole.PRODUCT_MANAGER
    assert audit_module.ROLE_DESIGN_LEAD == TeamRole.DESIGN_LEAD
    assert audit_module.ROLE_TECH_LEAD == TeamRole.TECH_LEAD
    assert audit_module.ROLE_DESIGNER == TeamRole.DESIGNER
    assert audit_module.ROLE_ENGINEER == TeamRole.ENGINEER


def test_severity_lists_critical_first_and_compares_by_importance() -> None:
    assert list(Severity) == [Severity.CRITICAL, Severity.WARNING, Severity.INFO]
    assert Severity.CRITICAL > Severity.WARNING > Severity.INFO
    assert Severity.WARNING >= "warning"
    assert sorted([Severity.INFO, Severity.CRITICAL, Severity.WARNING], reverse=True) == list(
        Severity
    )
    assert max([Severity.INFO, Severity.CRITICAL, Severity.WARNING]) is Severity.CRITICAL


def test_thresholds_from_settings_then_overrides(settings) -> None:
    settings.PRODUCTOPS_AUDIT = {"span_warn": 5, "span_critical": 9, "max_chain_depth": 4}
    thresholds = AuditThresholds.from_settings(span_critical=12, max_chain_depth=None)
    assert thresholds.span_warn == 5
    assert thresholds.span_critical == 12
    assert thresholds.max_chain_depth == 4
    assert thresholds.max_teams_per_pm == 2


def test_thresholds_refuse_nonsense(settings) -> None:
    settings.PRODUCTOPS_AUDIT = {}
    with pytest.raises(TypeError, match="span_wran"):
        AuditThresholds.from_settings(span_wran=3)
    with pytest.raises(ValueError, match="span_warn"):
        AuditThresholds(span_warn=20, span_critical=10)
    with pytest.raises(ValueError, match="negative"):
        AuditThresholds(max_chain_depth=-1)


def test_every_finding_names_its_rule_and_says_why() -> None:
    boss = person("Big Boss")
    result = run(
        [boss, *reports(boss, 20), person("Loner")], [team("Empty-ish", a=(boss, "other"))]
    )
    assert {f.rule for f in result.findings} >= {"span_of_control", "one_on_one_load", "no_manager"}
    for finding in result.findings:
        assert finding.rule in RULES
        assert finding.why.endswith(".") and len(finding.why) > 40


# --- 1. span of control --------------------------------------------------------------


def test_span_of_control_warns_above_the_warning_limit() -> None:
    boss = person("Wide Boss")
    fine = person("Fine Boss", manager=boss)
    people = [boss, fine, *reports(boss, 8), *reports(fine, 8)]  # boss: 9 direct, fine: 8
    spans = of_rule(run(people), "span_of_control")
    assert [(f.subject_name, f.severity) for f in spans] == [("Wide Boss", Severity.WARNING)]
    assert "9 people directly" in spans[0].message
    assert "17 people report up to them in total" in spans[0].message


def test_span_of_control_is_critical_above_the_critical_limit() -> None:
    boss = person("Huge Boss")
    [finding] = of_rule(run([boss, *reports(boss, 16)]), "span_of_control")
    assert finding.severity is Severity.CRITICAL
    assert "critical limit of 15" in finding.message


def test_span_table_lists_every_manager_widest_first_with_whole_subtree() -> None:
    top = person("Top")
    mid = person("Mid", manager=top)
    small = person("Small", manager=top)
    people = [top, mid, small, *reports(mid, 3), *reports(small, 1)]
    result = run(people)
    assert [(r.name, r.direct, r.total, r.severity) for r in result.spans] == [
        ("Mid", 3, 3, None),
        ("Top", 2, 6, None),
        ("Small", 1, 1, None),
    ]
    assert result.top_id == top.id


def test_span_threshold_override_changes_what_fires() -> None:
    boss = person("Boss")
    people = [boss, *reports(boss, 5)]
    assert of_rule(run(people), "span_of_control") == []
    [finding] = of_rule(run(people, span_warn=4, span_critical=10), "span_of_control")
    assert finding.severity is Severity.WARNING
    assert run(people, span_warn=3, span_critical=4).spans[0].severity is Severity.CRITICAL


# --- 2. 1:1 load ---------------------------------------------------------------------


def test_one_on_one_load_fires_past_sixteen_reports_by_default() -> None:
    boss = person("Busy Boss")
    [finding] = of_rule(run([boss, *reports(boss, 17)]), "one_on_one_load")
    assert finding.severity is Severity.CRITICAL
    assert finding.subject_id == boss.id
    assert "8.5 hours a week" in finding.message
    assert "8-hour budget" in finding.message
    assert "20% of a 40-hour week" in finding.message


def test_one_on_one_load_is_quiet_at_exactly_the_budget() -> None:
    boss = person("Busy Boss")
    assert of_rule(run([boss, *reports(boss, 16)]), "one_on_one_load") == []


def test_one_on_one_load_follows_its_thresholds() -> None:
    boss = person("Boss")
    people = [boss, *reports(boss, 6)]
    assert of_rule(run(people), "one_on_one_load") == []
    # 6 x 60 minutes = 6 hours > 10% of 40 hours.
    [finding] = of_rule(run(people, one_on_one_minutes=60, one_on_one_share=0.1), "one_on_one_load")
    assert "6 hours a week" in finding.message and "4-hour budget" in finding.message


# --- 3. trio completeness -------------------------------------------------------------


def test_full_trio_is_quiet() -> None:
    pm, des, eng = person("P", Discipline.PRODUCT), person("D", Discipline.DESIGN), person("E")
    squad = team(
        "Full",
        pm=(pm, TeamRole.PRODUCT_MANAGER),
        d=(des, TeamRole.DESIGN_LEAD),
        e=(eng, TeamRole.TECH_LEAD),
    )
    assert of_rule(run([pm, des, eng], [squad]), "trio_incomplete") == []


def test_trio_with_unnamed_leads_is_a_warning() -> None:
    pm = person("P", Discipline.PRODUCT)
    d1, d2 = person("D1", Discipline.DESIGN), person("D2", Discipline.DESIGN)
    eng = person("E")
    squad = team(
        "Unnamed",
        pm=(pm, TeamRole.PRODUCT_MANAGER),
        d1=(d1, TeamRole.DESIGNER),
        d2=(d2, TeamRole.OTHER),
        e=(eng, TeamRole.ENGINEER),
    )
    [finding] = of_rule(run([pm, d1, d2, eng], [squad]), "trio_incomplete")
    assert finding.severity is Severity.WARNING
    assert finding.subject_kind == "team" and finding.subject_name == "Unnamed"
    assert "has 2 designers but none is named design lead" in finding.message
    assert "has 1 engineer but none is named tech lead" in finding.message
    assert "product manager" not in finding.message


def test_trio_missing_a_discipline_is_critical_and_lists_everything() -> None:
    pm = person("P", Discipline.PRODUCT)
    eng = person("E")
    squad = team("No design", pm=(pm, TeamRole.PRODUCT_MANAGER), e=(eng, TeamRole.ENGINEER))
    [finding] = of_rule(run([pm, eng], [squad]), "trio_incomplete")
    assert finding.severity is Severity.CRITICAL
    assert "no design lead and no one from design" in finding.message
    assert "none is named tech lead" in finding.message


def test_trio_ignores_inactive_members_and_empty_teams() -> None:
    pm = person("P", Discipline.PRODUCT)
    gone = person("Gone", Discipline.DESIGN, active=False)
    eng = person("E")
    squad = team(
        "Lost its designer",
        pm=(pm, TeamRole.PRODUCT_MANAGER),
        d=(gone, TeamRole.DESIGN_LEAD),
        e=(eng, TeamRole.TECH_LEAD),
    )
    group = team("Payments group")
    findings = of_rule(run([pm, gone, eng], [squad, group]), "trio_incomplete")
    assert [(f.subject_name, f.severity) for f in findings] == [
        ("Lost its designer", Severity.CRITICAL)
    ]


# --- 4. PMs spread thin ---------------------------------------------------------------


def test_pm_on_too_many_teams_is_named_with_the_teams() -> None:
    pm = person("Stretched PM", Discipline.PRODUCT)
    calm = person("Calm PM", Discipline.PRODUCT)
    teams = [team(f"Team {n}", pm=(pm, TeamRole.PRODUCT_MANAGER)) for n in "CAB"]
    teams += [team(f"Calm {n}", pm=(calm, TeamRole.PRODUCT_MANAGER)) for n in "XY"]
    teams.append(team("Helper", pm=(calm, TeamRole.ANALYST)))
    [finding] = of_rule(run([pm, calm], teams), "pm_spread")
    assert finding.subject_id == pm.id
    assert finding.severity is Severity.WARNING
    assert "3 teams (Team A, Team B, Team C)" in finding.message


def test_pm_spread_follows_its_threshold() -> None:
    pm = person("PM", Discipline.PRODUCT)
    teams = [team(f"T{n}", pm=(pm, TeamRole.PRODUCT_MANAGER)) for n in range(2)]
    assert of_rule(run([pm], teams), "pm_spread") == []
    assert len(of_rule(run([pm], teams, max_teams_per_pm=1), "pm_spread")) == 1


# --- 5. who manages PMs ---------------------------------------------------------------


def test_pm_managed_by_engineering_is_a_warning_and_by_ceo_is_info() -> None:
    ceo = person("Cleo CEO", Discipline.LEADERSHIP, title="CEO")
    cto = person("Carl CTO", Discipline.ENGINEERING, ceo, title="CTO")
    role_pm = person("Rita", Discipline.PRODUCT, cto, title="Senior Builder")
    titled_pm = person("Tom", Discipline.PRODUCT, ceo, title="Senior Product Manager")
    squad = team("Squad", pm=(role_pm, TeamRole.PRODUCT_MANAGER))
    findings = of_rule(run([ceo, cto, role_pm, titled_pm], [squad]), "pm_manager_not_product")
    assert [(f.subject_name, f.severity) for f in findings] == [
        ("Rita", Severity.WARNING),
        ("Tom", Severity.INFO),
    ]
    assert "reporting to Carl CTO (CTO, from engineering)" in findings[0].message


def test_pm_rule_leaves_alone_product_managers_managed_in_product_and_non_pms() -> None:
    ceo = person("Cleo CEO", Discipline.LEADERSHIP)
    vp = person("Vic VP", Discipline.PRODUCT, ceo, title="VP Product")
    pm = person("Pat", Discipline.PRODUCT, vp, title="Product Manager")
    analyst = person("Ann", Discipline.PRODUCT, ceo, title="Product Analyst")
    eng_with_pm_title = person("Eve", Discipline.ENGINEERING, ceo, title="Technical PM")
    group_pm = person("Gus", Discipline.PRODUCT, ceo, title="Group Product Manager")
    ic = person("Ian", Discipline.PRODUCT, group_pm)
    people = [ceo, vp, pm, analyst, eng_with_pm_title, group_pm, ic]
    findings = of_rule(run(people), "pm_manager_not_product")
    # Vic (a product VP, not a PM) and Gus (manages people) are out of scope; Ian has
    # no PM title or role.
    assert findings == []


# --- 6. leadership mix -----------------------------------------------------------------


def test_balanced_leadership_is_quiet() -> None:
    _, people = balanced_leadership()
    assert of_rule(run(people), "leadership_mix") == []


def test_leadership_without_design_is_flagged_for_the_org() -> None:
    ceo, people = balanced_leadership()
    head_of_design = next(p for p in people if p.name == "Head of design")
    # The head of design now manages only ICs, so no one from design manages managers.
    people = [p for p in people if p.discipline != Discipline.DESIGN or p is head_of_design]
    people += reports(head_of_design, 2, Discipline.DESIGN)
    [finding] = of_rule(run(people), "leadership_mix")
    assert finding.subject_kind == "org" and finding.subject_id is None
    assert finding.severity is Severity.WARNING
    assert "No one from design among the 3 people in leadership" in finding.message
    assert "the org has 3 people from design" in finding.message


# --- 7. no manager ----------------------------------------------------------------------


def test_people_without_a_manager_other_than_the_top_sit_outside_the_tree() -> None:
    top = person("Top", pid=50)
    left = person("Left Alone", pid=10)
    boss_gone = person("Former Boss", active=False, pid=11)
    orphan = person("Orphan", manager=boss_gone, pid=12)
    people = [top, *reports(top, 2), left, boss_gone, orphan]
    result = run(people)
    assert result.top_id == top.id  # largest tree wins over lower ids
    findings = of_rule(result, "no_manager")
    assert [(f.subject_name, f.severity) for f in findings] == [
        ("Left Alone", Severity.WARNING),
        ("Orphan", Severity.WARNING),
    ]
    assert "outside the reporting tree headed by Top" in findings[0].message
    assert "Former Boss, is no longer active" in findings[1].message


def test_single_tree_has_no_one_outside_and_ties_go_to_lowest_id() -> None:
    top = person("Top")
    assert of_rule(run([top, *reports(top, 3)]), "no_manager") == []
    a, b = person("A", pid=901), person("B", pid=900)
    result = run([a, b])
    assert result.top_id == 900
    assert [f.subject_name for f in of_rule(result, "no_manager")] == ["A"]


# --- 8. deep chains ---------------------------------------------------------------------


def chain(top: PersonFact, length: int, label: str) -> list[PersonFact]:
    people, boss = [], top
    for level in range(1, length + 1):
        boss = person(f"{label} {level}", manager=boss)
        people.append(boss)
    return people


def test_deep_chain_reports_the_first_person_past_the_limit_once_per_branch() -> None:
    top = person("Top")
    long_branch = chain(top, 9, "Long")  # levels 1..9
    other_branch = chain(top, 7, "Other")  # levels 1..7
    short_branch = chain(top, 6, "Short")  # at the limit: fine
    findings = of_rule(run([top, *long_branch, *other_branch, *short_branch]), "deep_chain")
    assert [(f.subject_name, f.severity) for f in findings] == [
        ("Long 7", Severity.WARNING),
        ("Other 7", Severity.WARNING),
    ]
    assert "7 levels below Top" in findings[0].message
    assert "2 people below them" in findings[0].message


def test_deep_chain_follows_its_threshold() -> None:
    top = person("Top")
    people = [top, *chain(top, 4, "Step")]
    assert of_rule(run(people), "deep_chain") == []
    [finding] = of_rule(run(people, max_chain_depth=2), "deep_chain")
    assert finding.subject_name == "Step 3"


# --- cycles ---------------------------------------------------------------------------


def test_reporting_cycle_is_critical_and_nothing_loops_forever() -> None:
    top = person("Top", pid=1)
    a = PersonFact(20, "Ana", "ana@x", "engineering", "", manager_id=22)
    b = PersonFact(21, "Ben", "ben@x", "engineering", "", manager_id=20)
    c = PersonFact(22, "Cai", "cai@x", "engineering", "", manager_id=21)
    hanger = person("Hanger", manager=b)
    selfish = PersonFact(30, "Sam", "sam@x", "engineering", "", manager_id=30)
    result = run([top, *reports(top, 2), a, b, c, hanger, selfish])
    cycles = of_rule(result, "manager_cycle")
    assert [(f.subject_name, f.severity) for f in cycles] == [
        ("Ana", Severity.CRITICAL),
        ("Sam", Severity.CRITICAL),
    ]
    assert "Ana → Cai → Ben → Ana" in cycles[0].message
    assert "their own manager" in cycles[1].message
    assert result.findings[0].severity is Severity.CRITICAL
    assert result.top_id == top.id
    # Cycle members are not also reported as having no manager.
    assert of_rule(result, "no_manager") == []
    totals = {row.name: (row.direct, row.total) for row in result.spans}
    assert totals["Ben"] == (2, 3)  # Cai and Hanger directly; through the loop, Ana too
    assert totals["Cai"] == (1, 3)
    assert "Sam" not in totals


def test_org_that_is_only_a_loop_has_no_top() -> None:
    a = PersonFact(1, "A", "a@x", "product", "", manager_id=2)
    b = PersonFact(2, "B", "b@x", "product", "", manager_id=1)
    result = run([a, b])
    assert result.top_id is None
    assert [f.rule for f in result.findings if f.severity is Severity.CRITICAL] == ["manager_cycle"]
    assert of_rule(result, "no_manager") == [] and of_rule(result, "deep_chain") == []


# --- the whole result ------------------------------------------------------------------


def test_findings_sorted_by_severity_then_rule_then_subject() -> None:
    ceo = person("Zed CEO", Discipline.LEADERSHIP)
    eng_boss = person("Eng Boss", Discipline.ENGINEERING, ceo)
    pm = person("Pam", Discipline.PRODUCT, eng_boss, title="Product Manager")
    pm2 = person("Abe", Discipline.PRODUCT, ceo, title="PM")
    people = [ceo, eng_boss, pm, pm2, *reports(ceo, 17), person("Stray"), person("Also Stray")]
    result = run(people, [team("Solo", e=(eng_boss, TeamRole.TECH_LEAD))])
    order = [(f.severity, f.rule, f.subject_name) for f in result.findings]
    assert order == sorted(
        order,
        key=lambda item: (-item[0].rank, list(RULES).index(item[1]), item[2].casefold()),
    )
    assert order[0][0] is Severity.CRITICAL and order[-1][0] is Severity.INFO
    assert [name for sev, rule, name in order if rule == "no_manager"] == ["Also Stray", "Stray"]


def test_counts_cover_every_rule_and_severity() -> None:
    boss = person("Boss")
    counts = run([boss, *reports(boss, 17), person("Stray")]).counts()
    assert list(counts) == list(RULES)
    assert counts["span_of_control"] == {"critical": 1, "warning": 0, "info": 0}
    assert counts["one_on_one_load"]["critical"] == 1
    assert counts["no_manager"]["warning"] == 1
    assert counts["deep_chain"] == {"critical": 0, "warning": 0, "info": 0}


def test_inactive_people_are_ignored_entirely() -> None:
    boss = person("Boss")
    gone = [person(f"Gone {n}", manager=boss, active=False) for n in range(20)]
    result = run([boss, *gone, person("Stays", manager=boss), person("Gone Stray", active=False)])
    assert of_rule(result, "span_of_control") == []
    assert result.spans[0].direct == 1
    assert of_rule(result, "no_manager") == []


def test_twenty_thousand_people_in_one_pass() -> None:
    """A big org with a 5,000-deep chain: nothing recursive, nothing quadratic by design."""
    people: list[PersonFact] = []
    pid = itertools.count(100_000)
    top = PersonFact(next(pid), "CEO", "ceo@x", "leadership", "CEO", None)
    people.append(top)
    bosses = [top]
    while len(people) < 15_000:
        next_bosses = []
        for boss in bosses:
            for _ in range(10):
                if len(people) >= 15_000:
                    break
                child = PersonFact(next(pid), f"P{len(people)}", "", "engineering", "", boss.id)
                people.append(child)
                next_bosses.append(child)
        bosses = next_bosses
    boss = top
    for level in range(5_000):
        boss = PersonFact(next(pid), f"Deep {level}", "", "design", "", boss.id)
        people.append(boss)
    assert len(people) == 20_000
    result = run(people, [TeamFact(1, "Platform", {p.id: "engineer" for p in people[:500]})])
    assert result.top_id == top.id
    assert len(result.spans) > 1_000
    assert result.spans[0].manager_id == top.id and result.spans[0].total == 19_999
    deep = of_rule(result, "deep_chain")
    assert [f.subject_name for f in deep] == ["Deep 6"]
    assert "4993 people below them" in deep[0].message
