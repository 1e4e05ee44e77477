"""The org health report: one story drawn from the apps' own domain functions.

`build_health_report(reader_login, ...)` returns plain data (dicts and lists): sections with
headline numbers and findings, an executive summary ranked by `rank_findings`, and the data
and caveats. Every number comes from the function the app's own page calls, filtered by that
app's visibility helper for the reader; a section whose input is missing says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model

from productops.accounts.roles import Login, role_of

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


@dataclass(frozen=True)
class HealthFinding:
    """One thing the report found: a sentence with its number, why it matters, what to try."""

    area: str
    severity: str  # "critical" | "warning" | "info"
    people: int  # how many people it touches
    sentence: str
    why: str = ""
    try_first: str = ""


@dataclass
class Section:
    key: str
    title: str
    headlines: list[dict[str, Any]] = field(default_factory=list)
    findings: list[HealthFinding] = field(default_factory=list)
    missing: str = ""  # set when the input is absent: what to import to fill it
    notes: list[str] = field(default_factory=list)  # data and caveats: coverage, unknowns

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "headlines": self.headlines,
            "findings": [asdict(f) for f in self.findings],
            "missing": self.missing,
            "notes": self.notes,
        }


def rank_findings(
    findings: Iterable[HealthFinding], limit: int = SUMMARY_MAX
) -> list[HealthFinding]:
    """The most important findings first: by severity, then by people touched.

    Ties keep their input order (a stable sort), so the result is deterministic. Findings
    with an unknown severity rank below "info".
    """
    ranked = sorted(
        findings,
        key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), -f.people),
    )
    return ranked[:limit]


def _headline(name: str, value: Any, unit: str = "") -> dict[str, Any]:
    return {"name": name, "value": value, "unit": unit}


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


def _organization(user: Login) -> Section:
    from productops.org import visibility as org_visibility
    from productops.org.audit import run_org_audit
    from productops.org.models import Person

    section = Section("organization", "Organization")
    active = Person.objects.filter(active=True).count()
    if active == 0:
        section.missing = "No people imported: import the people CSV to audit the org."
        return section
    seen = org_visibility.visible_audit(user, run_org_audit())
    counts: dict[str, dict[str, int]] = seen["counts"]
    critical = sum(by.get("critical", 0) for by in counts.values())
    warning = sum(by.get("warning", 0) for by in counts.values())
    section.headlines = [
        _headline("People", active, "people"),
        _headline("Critical findings", critical, "findings"),
        _headline("Warnings", warning, "findings"),
    ]
    if seen["scope"] == "summary":
        # Aggregates only: one finding per rule, no names.
        for rule, by in counts.items():
            for severity in ("critical", "warning"):
                n = by.get(severity, 0)
                if n:
                    section.findings.append(
                        HealthFinding(
                            "organization",
                            severity,
                            n,
                            f"{n} {severity} org finding(s) on rule '{rule}'.",
                            try_first=_ORG_TRY.get(rule, ""),
                        )
                    )
        return section
    spans = {s.manager_id: s.direct for s in seen["spans"]}
    for f in seen["findings"]:
        touched = spans.get(f.subject_id, 1) if f.subject_kind == "person" else 1
        section.findings.append(
            HealthFinding(
                "organization",
                str(f.severity),
                touched,
                f"{f.subject_name}: {f.message}" if f.subject_name else f.message,
                why=f.why,
                try_first=_ORG_TRY.get(f.rule, ""),
            )
        )
    return section


def _backlog(user: Login, start: date | None, end: date | None, scope: str | None) -> Section:
    from productops.backlog import report as backlog_report
    from productops.backlog import visibility as backlog_visibility

    section = Section("backlog", "Backlog and roadmap")
    if not backlog_visibility.sees_report(user):
        section.missing = "This login may not read the backlog report."
        return section
    report = backlog_report.build_report(start=start, end=end, project=scope or None)
    if report.item_count == 0:
        section.missing = (
            "No tracker export imported: import Jira, GitHub or Linear data to see where "
            "the work comes from."
        )
        return section
    section.headlines = [
        _headline("Items", report.item_count, "items"),
        _headline("Open", report.open_count, "items"),
        _headline("Done in period", report.done_count, "items"),
    ]
    for row in report.origin_mix_open:
        section.headlines.append(_headline(f"Open from {row.label}", round(row.share * 100), "%"))
    section.notes.append(f"Tracker data: {report.item_count} items; period {report.period_text}.")
    section.notes.extend(u.sentence for u in report.unknowns)
    for line in report.verdict:
        section.findings.append(HealthFinding("backlog", "warning", 0, line))
    return section


def _discovery(user: Login, start: date | None, end: date | None) -> Section:
    from productops.discovery import visibility as discovery_visibility
    from productops.discovery.cadence import load_cadence

    section = Section("discovery", "Discovery")
    if not discovery_visibility.sees_cadence(user):
        section.missing = "This login may not read the discovery cadence."
        return section
    # The same call as the discovery cadence page (its default period when none is given).
    cadences = load_cadence(start=start, end=end)
    if not cadences or sum(c.touchpoints for c in cadences) == 0:
        section.missing = (
            "No touchpoints logged or imported: import a touchpoints CSV to see which teams "
            "talk to customers every week."
        )
        return section
    silent = [c for c in cadences if c.silent]
    weekly = sorted(c.weekly_share for c in cadences)
    section.headlines = [
        _headline("Teams", len(cadences), "teams"),
        _headline("Touchpoints", sum(c.touchpoints for c in cadences), "touchpoints"),
        _headline("Median weeks with a touchpoint", round(weekly[len(weekly) // 2] * 100), "%"),
        _headline("Silent teams", len(silent), "teams"),
    ]
    if silent:
        names = ", ".join(c.team_name for c in silent[:5])
        section.findings.append(
            HealthFinding(
                "discovery",
                "warning",
                len(silent),
                f"{len(silent)} of {len(cadences)} teams had no customer touchpoint lately "
                f"({names}).",
                why="A team that stops talking to customers builds on guesses.",
                try_first="Book one customer conversation a week per team, trio together.",
            )
        )
    for c in cadences:
        if c.trio_finding:
            section.findings.append(
                HealthFinding(
                    "discovery",
                    "info",
                    1,
                    f"{c.team_name}: {c.trio_finding.sentence}",
                    try_first=c.trio_finding.try_next,
                )
            )
    return section


def _strategy(user: Login, start: date | None, end: date | None) -> Section:
    from productops.strategy import visibility as strategy_visibility
    from productops.strategy.alignment import compute_alignment

    section = Section("strategy", "Strategy and alignment")
    if not strategy_visibility.sees_strategy(user):
        section.missing = "This login may not read objectives and alignment."
        return section
    # The same call as the alignment page (the current quarter when no period is given).
    result = compute_alignment(start, end)
    if not result.objectives:
        section.missing = (
            "No objectives for this period: add the quarter's objectives to see how much "
            "of the work serves them."
        )
        return section

    def pct(share: float | None) -> int | None:
        return None if share is None else round(share * 100)

    section.headlines = [
        _headline("Objectives", len(result.objectives), "objectives"),
        _headline("Work in progress aligned", pct(result.in_progress_share), "%"),
        _headline("Work done aligned", pct(result.done_share), "%"),
        _headline("Objectives without work", len(result.objectives_without_work), "objectives"),
    ]
    share = result.in_progress_share
    if share is not None and share < 0.5:
        section.findings.append(
            HealthFinding(
                "strategy",
                "warning",
                0,
                f"Only {pct(share)}% of the work in progress serves an objective.",
                why="Work that serves no objective is where the roadmap leaks.",
                try_first="Link each epic to an objective or question why it is in progress.",
            )
        )
    if result.objectives_without_work:
        n = len(result.objectives_without_work)
        section.findings.append(
            HealthFinding(
                "strategy",
                "warning",
                0,
                f"{n} objective(s) have no work linked this period.",
                why="An objective nobody works on is a wish, not a plan.",
                try_first="Drop it for the quarter or give it a team.",
            )
        )
    return section


def _coaching(user: Login) -> Section:
    from django.utils import timezone

    from productops.coaching import visibility as coaching_visibility
    from productops.coaching.cadence import Health, load_cadence
    from productops.coaching.models import OneOnOneSeries

    section = Section("coaching", "Coaching and 1:1s")
    # The same series and call as the 1:1 cadence page: a viewer counts every series.
    names = coaching_visibility.sees_series_names(user)
    series = coaching_visibility.visible_series(user) if names else OneOnOneSeries.objects.all()
    result = load_cadence(series, today=timezone.localdate())
    counts = result.counts
    if not result.series:
        section.missing = "No 1:1 series set up: add 1:1 series to see which ones lapse."
        return section
    section.headlines = [
        _headline("1:1 series", len(result.series), "series"),
        *(_headline(h.label, counts[str(h)], "series") for h in Health),
    ]
    behind = counts[str(Health.LAPSED)] + counts[str(Health.OVERDUE)]
    if behind:
        section.findings.append(
            HealthFinding(
                "coaching",
                "critical" if counts[str(Health.LAPSED)] else "warning",
                behind,
                f"{behind} of {len(result.series)} 1:1 series are overdue or lapsed.",
                why="A 1:1 that stops happening takes the coaching with it.",
                try_first="Book the next 1:1 of each lapsed series this week.",
            )
        )
    return section


_NOT_YET = {
    "people": "No assessments in this report yet: closed assessment cycles would add gaps.",
    "coaching": "1:1 cadence is not in this report yet: 1:1 series would add cadence health.",
    "discovery": "No touchpoints in this report yet: imported touchpoints would add cadence.",
    "strategy": "Objectives are not in this report yet: they would add alignment.",
    "delegation": "The delegation board is not in this report yet.",
}


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
    """The report for a signed-in user (pages and API already hold the user)."""
    reader_login = user.get_username()
    sections: dict[str, Section] = {
        "organization": _organization(user),
        "backlog": _backlog(user, start, end, scope),
        "coaching": _coaching(user),
        "discovery": _discovery(user, start, end),
        "strategy": _strategy(user, start, end),
    }
    ordered: list[Section] = []
    for key, title in SECTIONS:
        section = sections.get(key) or Section(key, title, missing=_NOT_YET.get(key, ""))
        ordered.append(section)
    every = [f for s in ordered for f in s.findings]
    summary = rank_findings(every)
    role = role_of(user)
    caveats = [note for s in ordered for note in s.notes] + [
        s.missing for s in ordered if s.missing
    ]
    return {
        "reader": reader_login,
        "role": str(role) if role else "",
        "scope": scope or "org",
        "period": {
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
        "summary": [asdict(f) for f in summary],
        "summary_short": len(summary) < SUMMARY_MIN,
        "sections": [s.as_dict() for s in ordered],
        "caveats": caveats,
    }
