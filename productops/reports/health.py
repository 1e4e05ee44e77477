"""The org health report: one story drawn from the apps' own domain functions.

`build_health_report(reader_login, ...)` returns plain data (dicts and lists): sections with
headline numbers, chart data and findings, an executive summary ranked by `rank_findings`,
and the data and caveats. Every number comes from the function the app's own page calls,
filtered by that app's visibility helper for the reader; a section whose input is missing
says so. Charts are stored as their input data (`chart` dicts, JSON-serialisable) and drawn
as SVG at render time (`render.chart_svg`), so a kept snapshot reopens with the same chart.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from productops.accounts.roles import Login, role_of

if TYPE_CHECKING:
    from productops.org.audit.result import AuditResult

SEVERITY_RANK = {"critical": 3, "warning": 2, "info": 1}
SUMMARY_MIN = 5
SUMMARY_MAX = 7

SECTIONS = (
    ("organization", "Organization"),
    ("people", "People and competencies"),
    ("coaching", "Coaching and 1:1s"),
    ("backlog", "Backlog and roadmap"),
    ("discovery", "Discovery"),
    ("strategy", "Strategy and alignment"),
    ("delegation", "Delegation"),
)
TITLES = dict(SECTIONS)

# A competency is a finding when at least this share of the people assessed on it, and at
# least SHORT_MIN_PEOPLE of them, are below what their level expects; the SHORT_FINDINGS
# competencies most short at most (the table lists them all).
SHORT_SHARE = 0.5
SHORT_MIN_PEOPLE = 2
SHORT_FINDINGS = 3
CHART_ROWS = 15  # bars per chart at most; the table below a chart lists every row


@dataclass(frozen=True)
class HealthFinding:
    """One thing the report found: a sentence with its number, why it matters, what to try."""

    area: str
    severity: str  # "critical" | "warning" | "info"
    people: int  # how many people it touches
    sentence: str
    why: str = ""
    try_first: str = ""
    rule: str = ""  # what raised it: an org audit rule, "sales_led_area", or "" (the section)
    subject: str = ""  # whom it is about ("person:3", "team:2", "area:Search"); "" for none


@dataclass
class Section:
    key: str
    title: str = ""
    headlines: list[dict[str, Any]] = field(default_factory=list)
    findings: list[HealthFinding] = field(default_factory=list)
    missing: str = ""  # set when the input is absent: what to import to fill it
    notes: list[str] = field(default_factory=list)  # data and caveats: coverage, unknowns
    charts: list[dict[str, Any]] = field(default_factory=list)  # chart input data
    tables: list[dict[str, Any]] = field(default_factory=list)  # {"title","columns","rows"}

    def __post_init__(self) -> None:
        self.title = self.title or TITLES.get(self.key, self.key)

    def headline(self, name: str, value: Any, unit: str = "") -> None:
        self.headlines.append({"name": name, "value": value, "unit": unit})

    def find(
        self,
        severity: str,
        people: int,
        sentence: str,
        why: str = "",
        try_first: str = "",
        rule: str = "",
        subject: str = "",
    ) -> None:
        """Add a finding of this section's area."""
        self.findings.append(
            HealthFinding(self.key, severity, people, sentence, why, try_first, rule, subject)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "headlines": self.headlines,
            "findings": [asdict(f) for f in self.findings],
            "missing": self.missing,
            "notes": self.notes,
            "charts": self.charts,
            "tables": self.tables,
        }


def _missing(key: str, why: str) -> Section:
    return Section(key, missing=why)


def bars_chart(
    title: str, bars: Iterable[tuple[str, float | None, str]], maximum: float | None = None
) -> dict[str, Any]:
    """Chart data for `charts.bar_list`: (label, value, value as printed) per bar."""
    return {
        "kind": "bars",
        "title": title,
        "maximum": maximum,
        "bars": [{"label": label, "value": value, "shown": shown} for label, value, shown in bars],
    }


def shares_chart(
    title: str,
    segments: Iterable[tuple[str, str]],
    rows: Iterable[tuple[str, dict[str, float]]],
    unit: str,
) -> dict[str, Any]:
    """Chart data for `charts.share_bars`. Pass every category in its fixed order (even
    those at zero), so each category keeps one colour in every report."""
    return {
        "kind": "shares",
        "title": title,
        "unit": unit,
        "segments": [{"key": key, "label": label} for key, label in segments],
        "rows": [{"label": label, "values": values} for label, values in rows],
    }


@dataclass(frozen=True)
class Scope:
    """What a report covers: the whole org, one team's subtree, or one tracker project.

    `key` is the string pages, API and command take (`org`, `group:<team id>`,
    `team:<team id>`, `project:<KEY>`) and the one snapshots compare on. `team_ids` and
    `person_ids` are None for the whole org (and a project), else the subtree's teams and
    their active members; `projects` is None for every project, else the tracker projects
    mapped to the scope's teams (`status.team_projects`: a team's name and product area).
    """

    key: str = "org"
    label: str = "Whole organization"
    team_ids: frozenset[int] | None = None
    person_ids: frozenset[int] | None = None
    projects: tuple[str, ...] | None = None

    @property
    def narrowed(self) -> bool:
        return self.team_ids is not None


ORG = Scope()
SCOPE_HELP = (
    "Pick a scope from the list: org, group:<team id>, team:<team id> or project:<KEY> "
    "(the Generate page lists the groups and teams you may see)."
)


def subtree_ids(team_id: int) -> set[int]:
    """The team and every team under it, at any depth (one query)."""
    from productops.org.models import Team

    children: dict[int | None, list[int]] = {}
    for pk, parent in Team.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = {team_id}, [team_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def parse_scope(user: Login, text: str | None) -> Scope:
    """The scope named by `text` (empty: the whole org), as this reader may ask for it.

    Raises ValueError with a sentence saying what to pass when the text names no scope,
    a team this reader cannot see, or a group that holds no teams.
    """
    from productops.backlog.items import projects
    from productops.org import visibility as org_visibility
    from productops.org.models import Person, Team
    from productops.reports.status import team_projects

    text = (text or "").strip()
    if text in ("", "org"):
        return ORG
    kind, _, rest = text.partition(":")
    if kind == "project" and rest:
        if rest not in projects():
            raise ValueError(f"No tracker project named {rest!r}. {SCOPE_HELP}")
        return Scope(key=text, label=f"Project {rest}", projects=(rest,))
    if kind not in ("group", "team") or not rest.strip().isdigit():
        raise ValueError(f"{text!r} is not a scope. {SCOPE_HELP}")
    team = Team.objects.filter(pk=int(rest)).first()
    if team is None or not org_visibility.can_see_team(user, team):
        raise ValueError(f"No {kind} with id {rest.strip()}. {SCOPE_HELP}")
    ids = subtree_ids(team.pk)
    if kind == "group" and len(ids) == 1:
        raise ValueError(
            f"{team.name} holds no teams: ask for team:{team.pk} instead. {SCOPE_HELP}"
        )
    members = Person.objects.filter(active=True, memberships__team_id__in=ids).distinct()
    known = set(projects())
    mapped = sorted(
        {name for t in Team.objects.filter(pk__in=ids) for name in team_projects(t)} & known
    )
    return Scope(
        key=f"{kind}:{team.pk}",
        label=f"{'Group' if kind == 'group' else 'Team'} {team.name}",
        team_ids=frozenset(ids),
        person_ids=frozenset(members.values_list("pk", flat=True)),
        projects=tuple(mapped),
    )


def scope_choices(user: Login) -> list[tuple[str, str]]:
    """The scopes the Generate page offers: the whole org, then groups, then teams, each
    among the teams this reader may see, by name."""
    from productops.org import visibility as org_visibility
    from productops.org.models import Team

    teams = list(org_visibility.visible_teams(user).order_by("name"))
    parents = set(Team.objects.filter(subteams__isnull=False).values_list("pk", flat=True))
    groups = [(f"group:{t.pk}", f"Group: {t.name}") for t in teams if t.pk in parents]
    builders = [(f"team:{t.pk}", f"Team: {t.name}") for t in teams if t.pk not in parents]
    return [("org", ORG.label), *groups, *builders]


def rank_findings(
    findings: Iterable[HealthFinding], limit: int = SUMMARY_MAX
) -> list[HealthFinding]:
    """The most important findings first: by severity, then by people touched.

    Two rules keep one problem from crowding out another:

    - **People touched is who the subject's problem reaches**, set where the finding is
      made: a manager's finding touches their direct reports, a team's finding its
      members, a product area's finding the members of the team owning it, and a
      product manager's finding (managed from outside product, spread over teams) the
      members of the teams they are product manager of, since a PM's reporting line
      steers what those teams build. Anything else touches the count its section gives.
    - **One finding per subject**: the best-ranked finding about a person, team or area
      takes its place in the summary, and the other findings about that same subject are
      told in its sentence (a manager with too many reports and too many 1:1 hours is one
      problem: "Freya Costa: Manages 40 people directly…. A weekly 30-minute 1:1 with
      each … takes 20 hours a week…"); they stay whole in their sections. Its severity,
      people touched and what to try first are the best-ranked finding's. Findings
      without a subject are never merged.

    Ties keep their input order (a stable sort), so the result is deterministic. Findings
    with an unknown severity rank below "info".
    """
    ranked = sorted(
        findings,
        key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), -f.people),
    )
    chosen: list[HealthFinding] = []
    place: dict[str, int] = {}
    for finding in ranked:
        if not finding.subject:
            chosen.append(finding)
        elif finding.subject in place:
            at = place[finding.subject]
            chosen[at] = replace(
                chosen[at], sentence=_told_together(chosen[at].sentence, finding.sentence)
            )
        else:
            place[finding.subject] = len(chosen)
            chosen.append(finding)
    return chosen[:limit]


def _told_together(first: str, then: str) -> str:
    """Two sentences about one subject as one finding: "Freya Costa: X." and "Freya
    Costa: Y." → "Freya Costa: X. Y." (the second loses the name it repeats)."""
    head, _, _rest = first.partition(": ")
    if then.startswith(f"{head}: "):
        then = then[len(head) + 2 :]
    return f"{first.rstrip('.')}. {then}"


def _pct(share: float | None) -> int | None:
    return None if share is None else round(share * 100)


# What to try first, per org audit rule (our advice; the audit gives the why).
_ORG_TRY = {
    "span_of_control": "Split the team or add a lead under this manager.",
    "one_on_one_load": "Move some 1:1s to fortnightly or hand reports to a new lead.",
    "trio_incomplete": "Name the missing trio role for the team, even part-time.",
    "pm_spread": "Give each PM one team, or merge the teams they share.",
    "pm_manager_not_product": "Move the PM's reporting line into product.",
    "leadership_mix": "Balance the leadership group across disciplines.",
    "no_manager": "Give every person a manager in the people data.",
    "deep_chain": "Flatten the chain by a level where a manager has one report.",
    "manager_cycle": "Fix the reporting line in the people data: it loops.",
}


def scoped_audit(user: Login, audit: AuditResult, scope: Scope) -> dict[str, Any]:
    """`org.visibility.visible_audit` for this reader, narrowed to the scope's subtree:
    findings about its people and teams, spans of the managers in it, counts of what is
    left (as the audit page counts a manager's chain). A reader with aggregates only keeps
    the org-wide counts: counting one team's findings would name its people."""
    from productops.org import visibility as org_visibility

    seen = org_visibility.visible_audit(user, audit)
    if not scope.narrowed or seen["scope"] == "summary":
        return {**seen, "narrowed": not scope.narrowed}
    assert scope.person_ids is not None and scope.team_ids is not None
    people, teams = scope.person_ids, scope.team_ids
    findings = [
        f
        for f in seen["findings"]
        if (f.subject_kind == "person" and f.subject_id in people)
        or (f.subject_kind == "team" and f.subject_id in teams)
    ]
    counts: dict[str, dict[str, int]] = {}
    for f in findings:
        by = counts.setdefault(f.rule, {})
        by[str(f.severity)] = by.get(str(f.severity), 0) + 1
    spans = [s for s in seen["spans"] if s.manager_id in people]
    return {**seen, "findings": findings, "spans": spans, "counts": counts, "narrowed": True}


def _organization(user: Login, audit: AuditResult, scope: Scope = ORG) -> Section:
    from productops.org.audit.result import RULES
    from productops.org.models import Person

    active = Person.objects.filter(active=True).count()
    if active == 0:
        return _missing("organization", "No people imported: import the people CSV to audit.")
    if scope.person_ids is not None:
        active = len(scope.person_ids)
    section = Section("organization")
    seen = scoped_audit(user, audit, scope)
    if not seen["narrowed"]:
        section.notes.append(
            f"Org audit counts are for the whole organization, not {scope.label}: with "
            "aggregates only, one team's counts would point at named people."
        )
    counts: dict[str, dict[str, int]] = seen["counts"]
    section.headline("People", active, "people")
    for severity, name in (("critical", "Critical findings"), ("warning", "Warnings")):
        section.headline(name, sum(by.get(severity, 0) for by in counts.values()), "findings")
    section.charts.append(
        bars_chart(
            "Org audit findings per rule",
            (
                (RULES.get(rule, rule), n, f"{n} finding(s)")
                for rule, by in counts.items()
                if (n := sum(by.values()))
            ),
        )
    )
    if seen["scope"] == "summary":
        # Aggregates only: one finding per rule and severity, no names.
        found = [
            (severity, n, f"{n} {severity} org finding(s) on rule '{rule}'.", "", rule, "")
            for rule, by in counts.items()
            for severity in ("critical", "warning")
            if (n := by.get(severity, 0))
        ]
    else:
        reach = _reach(seen["spans"])
        found = [
            (
                str(f.severity),
                reach(f),
                f"{f.subject_name}: {f.message}" if f.subject_name else f.message,
                f.why,
                f.rule,
                f"{f.subject_kind}:{f.subject_id}" if f.subject_id is not None else "",
            )
            for f in seen["findings"]
        ]
    for severity, people, sentence, why, rule, subject in found:
        section.find(severity, people, sentence, why, _ORG_TRY.get(rule, ""), rule, subject)
    return section


# The org audit rules about a product manager: they touch the PM's teams (rank_findings).
PM_RULES = ("pm_manager_not_product", "pm_spread")


def _reach(spans: Iterable[Any]) -> Any:
    """How many people an org audit finding touches, as `rank_findings` documents it."""
    from django.db.models import Count, Q

    from productops.org.models import Team, TeamMembership, TeamRole

    direct = {s.manager_id: s.direct for s in spans}
    size = dict(
        Team.objects.annotate(
            n=Count("memberships", filter=Q(memberships__person__active=True))
        ).values_list("pk", "n")
    )
    pm_teams: dict[int, list[int]] = {}
    pms = TeamMembership.objects.filter(role=TeamRole.PRODUCT_MANAGER)
    for person, team in pms.values_list("person_id", "team_id"):
        pm_teams.setdefault(person, []).append(team)

    def reach(finding: Any) -> int:
        if finding.subject_kind == "team":
            return max(size.get(finding.subject_id, 1), 1)
        if finding.subject_kind != "person":
            return 1
        if finding.rule in PM_RULES and finding.subject_id in pm_teams:
            return max(sum(size.get(t, 0) for t in pm_teams[finding.subject_id]), 1)
        return direct.get(finding.subject_id, 1)

    return reach


def _people(user: Login, scope: Scope = ORG) -> Section:
    """People and competencies, from the org gap page's calls (`gap_data.load_group_choice`
    then `visibility.visible_group_gaps`) on the latest closed assessment cycle.

    A competency's counts are reported only where the visibility module releases that
    competency's distribution to this reader (its small-group rule); the rest are withheld.
    """
    from productops.competencies import gap_data
    from productops.competencies import visibility as competency_visibility
    from productops.org.models import Person

    people = Person.objects.filter(active=True)
    if scope.person_ids is not None:
        people = people.filter(pk__in=scope.person_ids)  # as the team gaps page narrows
    closed = [c for c in gap_data.cycles_with_answers(people) if not c.is_open]
    if not closed:
        return _missing(
            "people",
            "No closed assessment cycle: close an assessment cycle to add competency gaps.",
        )
    choice = gap_data.load_group_choice(
        people, cycle=closed[0].pk, live=competency_visibility.sees_peer_results_live(user)
    )
    group = choice.group
    assert group is not None  # the cycle was chosen among those with answers
    seen = competency_visibility.visible_group_gaps(user, group)
    released = {d.key for d in seen["distribution"] if not d.hidden}
    section = Section("people")
    section.headline("People assessed", len(group.results), "people")
    section.headline("Latest closed cycle", group.cycle.name)
    section.headline("Competencies", len(group.competencies), "competencies")
    withheld = len(group.competencies) - len(released)
    if withheld:
        section.headline("Competencies withheld (small groups)", withheld, "competencies")
        section.notes.append(
            f"{withheld} competency result(s) withheld: fewer than "
            f"{competency_visibility.min_group_size()} people you cannot name were assessed."
        )
    rated: Counter[str] = Counter()
    short: Counter[str] = Counter()
    for result in group.results:
        for row in result.rows:
            if row.key in released and row.gap is not None:
                rated[row.key] += 1
                short[row.key] += round(row.gap, 6) > 0
    names = {c.key: c.name for c in group.competencies}
    ranked = sorted(released & set(rated), key=lambda k: (-short[k], names[k]))
    section.charts.append(
        bars_chart(
            "People below expectation per competency",
            ((names[k], short[k], f"{short[k]} of {rated[k]}") for k in ranked[:CHART_ROWS]),
        )
    )
    section.tables.append(
        {
            "title": "Below expectation, per competency",
            "columns": ["Competency", "Below expectation", "Assessed"],
            "rows": [[names[k], short[k], rated[k]] for k in ranked],
        }
    )
    if ranked and short[ranked[0]]:
        section.headline("Biggest gap", names[ranked[0]])
    section.notes.append(
        f"Assessments: {len(group.results)} people assessed in {group.cycle.name} (closed); "
        f"{len(closed)} closed cycle(s) with answers."
    )
    widespread = [
        k for k in ranked if short[k] >= SHORT_MIN_PEOPLE and short[k] / rated[k] >= SHORT_SHARE
    ]
    for key in widespread[:SHORT_FINDINGS]:
        n, of = short[key], rated[key]
        section.find(
            "warning",
            n,
            f"{n} of {of} people assessed are below what their level expects on {names[key]}.",
            why="A gap shared this widely is a gap in how the org grows people, not in one person.",
            try_first=f"Make {names[key]} the theme of the next community of practice.",
        )
    return section


# A product area is called sales-led above this share of its open backlog or of its
# mid-sprint additions coming from sales; critical from the second.
SALES_LED = 0.5
SALES_LED_RULE = "sales_led_area"
SALES_DOMINATED = 0.7
MIN_AREA_ADDITIONS = 5  # the verdict's own minimum before it states where additions came from
MIN_AREA_OPEN = 10  # fewer open items say nothing about where an area's work comes from


def area_people(area: str) -> int:
    """The active members of the team owning a product area (its name or product area,
    as `status.team_projects` maps them), or 0 when no team owns it."""
    from django.db.models import Q

    from productops.org.models import Person, Team

    team = Team.objects.filter(Q(name=area) | Q(product_area=area)).order_by("pk").first()
    if team is None:
        return 0
    return Person.objects.filter(active=True, memberships__team=team).distinct().count()


def area_findings(
    areas: Iterable[str], start: date | None = None, end: date | None = None
) -> list[HealthFinding]:
    """Per product area (tracker project), where sales leads its backlog or its sprints:
    the counts the backlog report narrowed to that area shows (`backlog.report.area_mixes`
    measures every area in one pass, over the report's period). The caller checks that
    the reader may read the backlog report."""
    from productops.backlog import report as backlog_report

    wanted = list(areas)
    if not wanted:
        return []
    mixes = backlog_report.area_mixes(start=start, end=end)
    found = []
    for area in wanted:
        measured = mixes.get(area)
        if measured is None:
            continue
        open_count, added_total = measured.open_count, measured.added
        open_share = measured.open_sales / open_count if open_count >= MIN_AREA_OPEN else 0.0
        added_share = (
            measured.added_sales / added_total if added_total >= MIN_AREA_ADDITIONS else 0.0
        )
        worst = max(open_share, added_share)
        if worst <= SALES_LED:
            continue
        parts = []
        if open_share > SALES_LED:
            parts.append(
                f"{round(open_share * 100)}% of its open backlog comes from sales "
                f"({open_count} open items)"
            )
        if added_share > SALES_LED:
            parts.append(
                f"{round(added_share * 100)}% of the items added mid-sprint came from sales "
                f"({added_total} additions)"
            )
        found.append(
            HealthFinding(
                "backlog",
                "critical" if worst >= SALES_DOMINATED else "warning",
                area_people(area),
                f"{area} is sales-led: {'; '.join(parts)}.",
                why="A team filled by sales requests builds for the next deal, not for the "
                "customers' problems.",
                try_first="Route sales asks through the PM's discovery before they enter a "
                "sprint, and agree a share of the sprint kept for them.",
                rule=SALES_LED_RULE,
                subject=f"area:{area}",
            )
        )
    return found


def _backlog(user: Login, start: date | None, end: date | None, scope: Scope = ORG) -> Section:
    from productops.backlog import report as backlog_report
    from productops.backlog import visibility as backlog_visibility
    from productops.backlog.analysis.period import DEFAULT_DAYS
    from productops.backlog.models import Origin

    if not backlog_visibility.sees_report(user):
        return _missing("backlog", "This login may not read the backlog report.")
    if end is not None and start is None:
        # An end only: the backlog report's default length before it, so a report "up to
        # a month ago" reads the same span of work as today's does (not all history).
        start = end - timedelta(days=DEFAULT_DAYS)
    elif start is not None and end is None:
        end = timezone.localdate()
    from productops.backlog.items import projects

    areas = list(scope.projects) if scope.projects is not None else projects()
    one = areas[0] if scope.projects is not None and len(areas) == 1 else None
    report = backlog_report.build_report(start=start, end=end, project=one)
    if report.item_count == 0:
        return _missing(
            "backlog",
            "No tracker export imported: import Jira, GitHub or Linear data to see where "
            "the work comes from.",
        )
    section = Section("backlog")
    section.headline("Items", report.item_count, "items")
    section.headline("Open", report.open_count, "items")
    section.headline("Done in period", report.done_count, "items")
    for row in report.origin_mix_open:
        section.headline(f"Open from {row.label}", round(row.share * 100), "%")
    section.charts.append(
        shares_chart(
            "Where the work comes from",
            ((o.value, o.label) for o in Origin),
            (
                (label, {row.value: float(row.count) for row in mix})
                for label, mix in (
                    ("Open backlog", report.origin_mix_open),
                    ("Done in the period", report.origin_mix_done),
                )
            ),
            "items",
        )
    )
    section.notes.append(f"Tracker data: {report.item_count} items; period {report.period_text}.")
    section.notes.extend(u.sentence for u in report.unknowns)
    if scope.projects is not None and one is None:
        section.notes.append(
            f"The backlog numbers are the whole organization's: {scope.label} maps to "
            + (
                f"{len(areas)} tracker projects ({', '.join(areas)}), and the backlog report "
                "narrows to one project at a time; the product areas below are each of them."
                if areas
                else "no tracker project (a project is mapped by the team's name or its "
                "product area)."
            )
        )
    for line in report.verdict:
        section.find("warning", 0, line)
    for finding in area_findings(areas, start, end):
        section.findings.append(finding)
    return section


def _discovery(user: Login, start: date | None, end: date | None, scope: Scope = ORG) -> Section:
    from productops.discovery import visibility as discovery_visibility
    from productops.discovery.cadence import load_cadence

    if not discovery_visibility.sees_cadence(user):
        return _missing("discovery", "This login may not read the discovery cadence.")
    # The same call as the discovery cadence page (its default period when none is given).
    try:
        cadences = load_cadence(team_ids=scope.team_ids, start=start, end=end)
    except ValueError as problem:
        return _missing("discovery", f"No discovery cadence for this period: {problem}.")
    if not cadences or sum(c.touchpoints for c in cadences) == 0:
        return _missing(
            "discovery",
            "No touchpoints logged or imported: import a touchpoints CSV to see which teams "
            "talk to customers every week.",
        )
    section = Section("discovery")
    silent = [c for c in cadences if c.silent]
    weekly = sorted(c.weekly_share for c in cadences)
    section.headline("Teams", len(cadences), "teams")
    section.headline("Touchpoints", sum(c.touchpoints for c in cadences), "touchpoints")
    section.headline("Median weeks with a touchpoint", round(weekly[len(weekly) // 2] * 100), "%")
    section.headline("Silent teams", len(silent), "teams")
    by_share = sorted(cadences, key=lambda c: (c.weekly_share, c.team_name))
    section.charts.append(
        bars_chart(
            "Share of weeks with a customer touchpoint, per team",
            ((c.team_name, c.weekly_share, f"{_pct(c.weekly_share)}%") for c in by_share),
            maximum=1,
        )
    )
    section.notes.append(
        f"Discovery period: {cadences[0].start.isoformat()} to {cadences[0].end.isoformat()}, "
        f"{len(cadences)} team(s)."
    )
    if silent:
        names = ", ".join(c.team_name for c in silent[:5])
        section.find(
            "warning",
            len(silent),
            f"{len(silent)} of {len(cadences)} teams had no customer touchpoint lately ({names}).",
            why="A team that stops talking to customers builds on guesses.",
            try_first="Book one customer conversation a week per team, trio together.",
        )
    for c in cadences:
        if c.trio_finding:
            section.find(
                "info",
                1,
                f"{c.team_name}: {c.trio_finding.sentence}",
                try_first=c.trio_finding.try_next,
            )
    return section


def _strategy(user: Login, start: date | None, end: date | None, scope: Scope = ORG) -> Section:
    from productops.strategy import visibility as strategy_visibility
    from productops.strategy.alignment import compute_alignment

    if not strategy_visibility.sees_strategy(user):
        return _missing("strategy", "This login may not read objectives and alignment.")
    # The same call as the alignment page (the current quarter when no period is given; with
    # only an end, the quarter holding that end).
    try:
        result = compute_alignment(start, end, today=end)
    except ValidationError as problem:
        return _missing("strategy", " ".join(problem.messages))
    if not result.objectives:
        return _missing(
            "strategy",
            "No objectives for this period: add the quarter's objectives to see how much "
            "of the work serves them.",
        )
    section = Section("strategy")
    if scope.narrowed or scope.projects:
        section.notes.append(
            f"Alignment is for the whole organization, not {scope.label}: objectives and "
            "the alignment computation are not kept per team."
        )
    section.headline("Objectives", len(result.objectives), "objectives")
    section.headline("Work in progress aligned", _pct(result.in_progress_share), "%")
    section.headline("Work done aligned", _pct(result.done_share), "%")
    section.headline("Objectives without work", len(result.objectives_without_work), "objectives")
    section.charts.append(
        shares_chart(
            "Work that serves an objective",
            (("aligned", "Serves an objective"), ("unaligned", "Serves none")),
            (
                (label, {"aligned": float(aligned), "unaligned": float(total - aligned)})
                for label, aligned, total in (
                    ("In progress", result.in_progress_aligned, result.in_progress),
                    ("Done", result.done_aligned, result.done),
                )
            ),
            "items",
        )
    )
    share = result.in_progress_share
    if share is not None and share < 0.5:
        section.find(
            "warning",
            0,
            f"Only {_pct(share)}% of the work in progress serves an objective.",
            why="Work that serves no objective is where the roadmap leaks.",
            try_first="Link each epic to an objective or question why it is in progress.",
        )
    if result.objectives_without_work:
        section.find(
            "warning",
            0,
            f"{len(result.objectives_without_work)} objective(s) have no work linked this period.",
            why="An objective nobody works on is a wish, not a plan.",
            try_first="Drop it for the quarter or give it a team.",
        )
    return section


def _coaching(user: Login, end: date | None, audit: AuditResult, scope: Scope = ORG) -> Section:
    from productops.coaching import visibility as coaching_visibility
    from productops.coaching.cadence import Health, load_cadence
    from productops.coaching.models import OneOnOneSeries

    # The same series and call as the 1:1 cadence page: a viewer counts every series.
    names = coaching_visibility.sees_series_names(user)
    series = coaching_visibility.visible_series(user) if names else OneOnOneSeries.objects.all()
    if scope.person_ids is not None:
        series = series.filter(report_id__in=scope.person_ids)  # the 1:1s of its people
    result = load_cadence(series, today=end or timezone.localdate())
    counts = result.counts
    section = Section("coaching")
    # from the org chart: known with or without series
    _one_on_one_load(user, section, audit, scope)
    if not result.series:
        section.missing = "No 1:1 series set up: add 1:1 series to see which ones lapse."
        return section
    section.headline("1:1 series", len(result.series), "series")
    for h in Health:
        section.headline(h.label, counts[str(h)], "series")
    section.charts.append(
        shares_chart(
            "1:1 series by health",
            ((str(h), h.label) for h in Health),
            [("1:1 series", {str(h): float(counts[str(h)]) for h in Health})],
            "series",
        )
    )
    behind = counts[str(Health.LAPSED)] + counts[str(Health.OVERDUE)]
    if behind:
        section.find(
            "critical" if counts[str(Health.LAPSED)] else "warning",
            behind,
            f"{behind} of {len(result.series)} 1:1 series are overdue or lapsed.",
            why="A 1:1 that stops happening takes the coaching with it.",
            try_first="Book the next 1:1 of each lapsed series this week.",
        )
    return section


def _one_on_one_load(user: Login, section: Section, audit: AuditResult, scope: Scope = ORG) -> None:
    """Each manager's weekly 1:1 hours (direct reports × the org audit's 1:1 minutes), from
    the audit's spans as `org.visibility.visible_audit` releases them: named for who may see
    names, the audit's own aggregate count for the others. Its findings are the audit's
    `one_on_one_load` rule, already in the organization section: not repeated here."""
    if not audit.spans:
        return  # nobody manages anyone (or no people): no 1:1 load to show
    limits = audit.thresholds
    seen = scoped_audit(user, audit, scope)
    over = seen["counts"].get("one_on_one_load", {}).get("critical", 0)
    if not seen["narrowed"]:
        section.notes.append(
            f"Managers over the 1:1 budget are counted for the whole organization, not "
            f"{scope.label}: with aggregates only, one team's count would point at named people."
        )
    section.headline("Weekly 1:1 budget per manager", limits.one_on_one_budget_hours, "hours")
    section.headline("Managers over the 1:1 budget", over, "managers")
    if seen["scope"] == "summary" or not seen["spans"]:
        return
    hours = [(s.name, s.direct * limits.one_on_one_minutes / 60) for s in seen["spans"]]
    section.headline(
        "Median weekly 1:1 hours", round(statistics.median(h for _, h in hours), 1), "hours"
    )
    section.charts.append(
        bars_chart(
            f"Weekly 1:1 hours per manager ({limits.one_on_one_minutes} minutes per report)",
            ((name, h, f"{h:g} h") for name, h in hours[:CHART_ROWS]),
        )
    )
    section.tables.append(
        {
            "title": "1:1 load per manager",
            "columns": ["Manager", "Direct reports", "Weekly 1:1 hours"],
            "rows": [[s.name, s.direct, h] for s, (_, h) in zip(seen["spans"], hours, strict=True)],
        }
    )


def _delegation(user: Login, scope: Scope = ORG) -> Section:
    """Delegation, from the board's `load_board` with the reader's `pm_competence_shown`
    (narrowed to the scope's teams) and the dashboard's `board_summary` of it (the counts
    `delegation_summary` gives the home page)."""
    from productops.strategy import visibility as strategy_visibility
    from productops.strategy.dashboard import board_summary
    from productops.strategy.delegation import (
        MICROMANAGEMENT,
        OVER_DELEGATION,
        board_teams,
        load_board,
    )
    from productops.strategy.models import Delegation

    if not strategy_visibility.sees_strategy(user):
        return _missing("delegation", "This login may not read the delegation board.")
    if not Delegation.objects.exists():
        return _missing(
            "delegation",
            "No delegation levels set: set each team's level per decision area on the "
            "delegation board to compare it with the team's maturity.",
        )
    teams = None
    if scope.team_ids is not None:
        teams = list(board_teams().filter(pk__in=scope.team_ids))
    # One board, narrowed to the scope's teams; the dashboard's own counts of it.
    board = load_board(teams, competence_visible=strategy_visibility.pm_competence_shown(user))
    summary = board_summary(board)
    cells = [cell for row in board.rows for cell in row.cells if cell.chosen is not None]
    section = Section("delegation")
    section.headline("Teams", len(board.rows), "teams")
    section.headline("Decision areas", len(board.areas), "areas")
    section.headline("Levels set", len(cells), "cells")
    section.headline("Delegated above maturity", summary["over_delegation"], "cells")
    section.headline("Delegated below maturity", summary["micromanagement"], "cells")
    if summary["withheld"]:
        section.headline("Recommendations withheld", summary["withheld"], "cells")
    tones = Counter(cell.tone for cell in cells)
    section.charts.append(
        shares_chart(
            "Chosen delegation level against the team's maturity",
            (
                ("match", "As maturity suggests"),
                ("over", "Above maturity"),
                ("under", "Below maturity"),
                ("near", "One level off"),
                ("unknown", "Maturity unknown or withheld"),
            ),
            [
                (
                    "Levels set",
                    {
                        "match": float(tones["match"]),
                        "near": float(tones["near-over"] + tones["near-under"]),
                        "over": float(tones["over"]),
                        "under": float(tones["under"]),
                        "unknown": float(tones["unknown"]),
                    },
                )
            ],
            "cells",
        )
    )
    advice = {
        OVER_DELEGATION: (
            "delegated above what its maturity supports",
            "Take the level back one step and coach the team up to it.",
        ),
        MICROMANAGEMENT: (
            "kept below what its maturity allows",
            "Hand one of these decisions to the team for a quarter, then review.",
        ),
    }
    for row in board.rows:
        for kind, (what, try_first) in advice.items():
            areas = [cell.area.name for cell in row.cells if cell.finding == kind]
            if areas:
                section.find(
                    "warning",
                    0,
                    f"{row.team.name}: {len(areas)} decision area(s) {what} ({', '.join(areas)}).",
                    why=next(c.finding_meaning for c in row.cells if c.finding == kind).capitalize()
                    + ".",
                    try_first=try_first,
                )
    return section


def data_inputs(user: Login) -> list[dict[str, Any]]:
    """What was imported per source, the dates it covers, and what it adds when missing.

    Counts and date ranges only: no names, so every reader gets the same rows."""
    from django.db.models import Count, Max, Min, Q

    from productops.backlog.models import Change, Item
    from productops.coaching.models import OneOnOneSeries
    from productops.competencies.models import AssessmentCycle
    from productops.discovery.models import Touchpoint
    from productops.org.models import Person

    def span(low: Any, high: Any) -> str:
        if low is None:
            return ""
        low, high = (v.date() if hasattr(v, "date") else v for v in (low, high))
        return f"{low.isoformat()} to {high.isoformat()}"

    people = Person.objects.filter(active=True).count()
    items = Item.objects.aggregate(n=Count("pk"), low=Min("created"), high=Max("created"))
    undated = Item.objects.filter(created__isnull=True).count()
    changes = Change.objects.aggregate(n=Count("pk"), low=Min("at"), high=Max("at"))
    touch = Touchpoint.objects.aggregate(n=Count("pk"), low=Min("date"), high=Max("date"))
    cycles = AssessmentCycle.objects.aggregate(
        n=Count("pk"), closed=Count("pk", filter=~Q(status=AssessmentCycle.Status.OPEN))
    )
    series = OneOnOneSeries.objects.aggregate(
        n=Count("pk"), active=Count("pk", filter=Q(active=True)), low=Min("start_date")
    )
    rows = [
        ("People", people, f"{people} active people", "", "no people: no org audit"),
        (
            "Tracker items",
            items["n"],
            f"{items['n']} items"
            + (
                f" ({undated} without a created date, {_pct(undated / items['n'])}%)"
                if undated
                else ""
            )
            if items["n"]
            else "",
            span(items["low"], items["high"]),
            "no tracker export: no backlog mix, alignment or sprint accuracy",
        ),
        (
            "Tracker changelog",
            changes["n"],
            f"{changes['n']} changes",
            span(changes["low"], changes["high"]),
            "no changelog: no scope churn and no carried-over items",
        ),
        (
            "Touchpoints",
            touch["n"],
            f"{touch['n']} touchpoints",
            span(touch["low"], touch["high"]),
            "no touchpoints: no discovery cadence and no cadence part in team maturity",
        ),
        (
            "Assessment cycles",
            cycles["n"],
            f"{cycles['n']} cycle(s), {cycles['closed']} closed",
            "",
            "no closed assessments: no competency gaps and no PM competence in maturity",
        ),
        (
            "1:1 series",
            series["n"],
            f"{series['n']} series, {series['active']} active",
            f"since {series['low'].isoformat()}" if series["low"] else "",
            "no 1:1 series: no 1:1 cadence health",
        ),
    ]
    return [
        {
            "source": source,
            "count": n,
            "imported": imported if n else "nothing",
            "covers": covers,
            "without": "" if n else without,
        }
        for source, n, imported, covers, without in rows
    ]


def parse_period(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    """`start` and `end` as dates (YYYY-MM-DD, either may be empty).

    Raises ValueError with a sentence saying what to type when a date does not parse or
    the period ends before it starts.
    """
    parsed: list[date | None] = []
    for name, text in (("start", start), ("end", end)):
        text = (text or "").strip()
        if not text:
            parsed.append(None)
            continue
        try:
            parsed.append(date.fromisoformat(text))
        except ValueError:
            raise ValueError(
                f"The {name} date {text!r} is not a date: write it as YYYY-MM-DD, "
                "for example 2026-10-01."
            ) from None
    low, high = parsed
    today = timezone.localdate()
    if low and not high and low > today:
        raise ValueError(
            f"The period starts ({low.isoformat()}) after today: pick a start in the past "
            "or give an end too."
        )
    if low and high and high < low:
        raise ValueError(
            f"The period ends ({high.isoformat()}) before it starts ({low.isoformat()}): "
            "swap the dates."
        )
    return low, high


def build_health_report(
    reader_login: str,
    scope: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, Any]:
    """The org health report for the login named `reader_login`, as that reader may see it.

    An unknown login raises `LookupError` with a sentence saying what to do.
    """
    try:
        user = get_user_model().objects.get(username=reader_login)
    except get_user_model().DoesNotExist:
        raise LookupError(
            f"No login named {reader_login!r}: pass an existing login (see `productops "
            "createsuperuser` or the accounts page)."
        ) from None
    return health_report_for(user, scope=scope, start=start, end=end)


def health_report_for(
    user: Login,
    scope: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict[str, Any]:
    """The report for a signed-in user (pages and API already hold the user).

    `scope` as `parse_scope` reads it; a scope it refuses raises its ValueError."""
    reader_login = user.get_username()
    covered = parse_scope(user, scope)
    from productops.org.audit import run_org_audit

    audit = run_org_audit()  # one run serves the organization section and the 1:1 load
    ordered = [
        _organization(user, audit, covered),
        _people(user, covered),
        _coaching(user, end, audit, covered),
        _backlog(user, start, end, covered),
        _discovery(user, start, end, covered),
        _strategy(user, start, end, covered),
        _delegation(user, covered),
    ]
    every = [f for s in ordered for f in s.findings]
    summary = rank_findings(every)
    role = role_of(user)
    caveats = [note for s in ordered for note in s.notes] + [
        s.missing for s in ordered if s.missing
    ]
    return {
        "reader": reader_login,
        "role": str(role) if role else "",
        "scope": covered.key,
        "scope_label": covered.label,
        "period": {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
        "summary": [asdict(f) for f in summary],
        "summary_short": len(summary) < SUMMARY_MIN,
        "sections": [s.as_dict() for s in ordered],
        "caveats": caveats,
        "inputs": data_inputs(user),
    }
