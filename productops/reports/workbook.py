"""Every table of a diagnosis in one XLSX workbook, a sheet per table.

Each sheet holds the rows the table's own page gives as a download (`?format=xlsx`), read
through the same visibility helper and the same domain call, with the default filters
and period. The people list's rows come from its domain row function
(`org.directory.export_row`). The other pages build their rows in their views, which
nothing but a urls module may import, so the rows here mirror them column for column;
tests/reports/test_diagnose.py and test_workbook.py compare each sheet with its page's
download cell by cell, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import Prefetch
from django.utils import timezone

from productops.accounts.roles import Login
from productops.imports.tables import write_xlsx_sheets


@dataclass(frozen=True)
class Sheet:
    """One table of the workbook: its sheet name, header and rows."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


def people_sheet(user: Login) -> Sheet | None:
    """The people list's download (its default filter: active people), by name."""
    from productops.org import visibility
    from productops.org.directory import EXPORT_COLUMNS, export_row, filter_people
    from productops.org.models import TeamMembership

    if not visibility.sees_names(user):
        return None
    people = filter_people(visibility.visible_people(user))
    people = people.select_related("manager").prefetch_related(
        Prefetch("memberships", queryset=TeamMembership.objects.select_related("team"))
    )
    rows = (export_row(p) for p in people.order_by("name", "pk").iterator(chunk_size=500))
    return Sheet("People", EXPORT_COLUMNS, rows)


def audit_sheets(user: Login) -> list[Sheet]:
    """The org audit page's findings and spans tables (its counts for a summary reader),
    with the default thresholds, as `org.views.audit._audit_download` writes them."""
    from productops.org import visibility
    from productops.org.audit import RULES, run_org_audit

    result = visibility.visible_audit(user, run_org_audit())
    if result["scope"] == "summary":
        rows = [
            [
                RULES.get(rule, rule),
                by.get("critical", 0),
                by.get("warning", 0),
                by.get("info", 0),
            ]
            for rule, by in ((r, result["counts"][r]) for r in RULES if r in result["counts"])
        ]
        return [Sheet("Org audit counts", ["Rule", "Critical", "Warning", "Info"], rows)]
    findings = [
        [str(f.severity), RULES.get(f.rule, f.rule), f.subject_name, f.message, f.why]
        for f in result["findings"]
    ]
    spans = [
        [s.name, s.direct, s.total, str(s.severity) if s.severity else ""] for s in result["spans"]
    ]
    return [
        Sheet(
            "Org audit findings",
            ["Severity", "Rule", "Concerns", "What we found", "Why it matters"],
            findings,
        ),
        Sheet("Spans", ["Manager", "Direct reports", "Total reports", "Severity"], spans),
    ]


# The item list's download columns (`backlog.views.report.ITEM_LIST_COLUMNS`).
ITEM_COLUMNS = ("Key", "Title", "Project", "Status", "Origin", "Kind of work", "Framing")
ORIGIN_COLUMNS = ("Items", "Origin", "Count", "Share (%)")


def _item_rows(items: Iterable[Any]) -> Iterator[list[str]]:
    """Each item as the item list's download writes it: labels, not stored keys."""
    from productops.backlog.models import Framing, Origin, StatusCategory, WorkKind
    from productops.backlog.report_rows import label_of

    for item in items:
        yield [
            item.key,
            item.title,
            item.project,
            label_of(StatusCategory, item.status_category),
            label_of(Origin, item.origin),
            label_of(WorkKind, item.kind),
            label_of(Framing, item.framing),
        ]


def _origin_rows(data: dict[str, Any]) -> Iterator[list[Any]]:
    """The backlog page's origin table: per group, each origin present (in the choices'
    order, then any other key), its count and its rounded share of the group."""
    from productops.backlog.models import Origin
    from productops.backlog.report_rows import counts, label_of

    named = [
        ("Open backlog", counts(data.get("origin_mix_open"))),
        ("Done in the period", counts(data.get("origin_mix_done"))),
    ]
    for name, numbers in named:
        total = sum(numbers.values())
        keys = [c.value for c in Origin] + sorted(set(numbers) - {c.value for c in Origin})
        for key in keys:
            if numbers.get(key):
                share = round(100 * numbers[key] / total) if total else 0
                yield [name, label_of(Origin, key), numbers[key], share]


def backlog_sheets(user: Login) -> list[Sheet]:
    """The item list's download (every item, no filter) and the backlog report page's
    origin rows (open backlog and work done in the report's default period)."""
    from productops.backlog import report as backlog_report
    from productops.backlog import visibility
    from productops.backlog.items import FILTERS, filtered_items

    sheets = []
    if visibility.sees_items(user):
        items = filtered_items({name: "" for name in FILTERS}).iterator(chunk_size=2000)
        sheets.append(Sheet("Backlog items", ITEM_COLUMNS, _item_rows(items)))
    if visibility.sees_report(user):
        data = backlog_report.build_report().as_dict()
        sheets.append(Sheet("Origin mix", ORIGIN_COLUMNS, _origin_rows(data)))
    return sheets


# The discovery cadence page's download columns (`discovery.views.cadence.CADENCE_COLUMNS`).
CADENCE_COLUMNS = (
    "Team",
    "Weeks with one",
    "Weeks in period",
    "Share (%)",
    "Current streak",
    "Longest streak",
    "Trio participation (%)",
    "Shadowing",
    "Shadowing-only weeks",
    "Touchpoints",
    "Customers",
    "Last touchpoint",
    "Silent",
)


def cadence_sheet(user: Login) -> Sheet | None:
    """The discovery cadence page's download over its default period."""
    from productops.discovery import visibility
    from productops.discovery.cadence import default_period, load_cadence
    from productops.discovery.cadence_summary import percent

    if not visibility.sees_cadence(user):
        return None
    start, end = default_period(timezone.localdate())
    cadences = load_cadence(start=start, end=end)
    if not cadences:
        return None
    rows = [
        [
            c.team_name,
            c.counted_weeks,
            c.week_count,
            percent(c.weekly_share),
            c.current_streak,
            c.longest_streak,
            percent(c.trio_share),
            c.shadowing,
            c.shadowing_only_weeks,
            c.touchpoints,
            c.customers,
            c.last_date,
            "yes" if c.silent else "no",
        ]
        for c in cadences
    ]
    return Sheet("Discovery cadence", CADENCE_COLUMNS, rows)


def gaps_sheet(user: Login) -> Sheet | None:
    """Every assessed person's gap table (each person's page download, a Person column
    first), for the people this reader may see results of; None when nobody was rated."""
    from productops.competencies import gap_data, gaps, visibility
    from productops.imports.tables import shown_number
    from productops.org.models import Person

    live = visibility.sees_peer_results_live(user)
    rows: list[list[Any]] = []
    assessed = Person.objects.filter(active=True, assessed_in__isnull=False).distinct()
    for person in assessed.order_by("name", "pk"):
        if not visibility.can_see_results(user, person):
            continue
        cycle = gap_data.choose_cycle(gap_data.cycles_for_person(person), None)
        if cycle is None:
            continue
        result = gap_data.load_person_gaps(person, cycle, live=live)
        if result is None:
            continue
        for row, cells in zip(result.rows, result.table(), strict=True):
            rows.append(
                [
                    person.name,
                    cells[0],
                    *(shown_number(cell) for cell in cells[1:]),
                    row.basis_label,
                ]
            )
    if not rows:
        return None
    return Sheet("Gaps", ["Person", *gaps.TABLE_COLUMNS, "Consensus from"], rows)


def alignment_sheet(user: Login) -> Sheet | None:
    """The alignment page's objectives table over its default period (the quarter), as
    `strategy.views.objectives._alignment_download` writes it; None without objectives."""
    from productops.strategy import alignment, visibility

    if not visibility.sees_strategy(user):
        return None
    start, end = alignment.period_from(None, None)
    result = alignment.compute_alignment(start, end)
    if not result.objectives:
        return None
    rows = [
        [o.title, o.in_progress, o.done, o.by_hand, o.by_label, o.by_epic]
        for o in result.objectives
    ]
    header = ["Objective", "In progress", "Done", "By hand", "By label", "By epic"]
    return Sheet("Alignment", header, rows)


def diagnosis_sheets(user: Login) -> list[Sheet]:
    """The workbook's tables in reading order; a table with nothing to show is left out."""
    sheets: list[Sheet | None] = [
        people_sheet(user),
        *audit_sheets(user),
        *backlog_sheets(user),
        cadence_sheet(user),
        gaps_sheet(user),
        alignment_sheet(user),
    ]
    return [sheet for sheet in sheets if sheet is not None]


def write_workbook(target: str | IO[bytes], sheets: Sequence[Sheet]) -> dict[str, int]:
    """Write `sheets` into one XLSX file; returns each sheet's number of data rows."""
    counts = write_xlsx_sheets(target, [(s.name, s.header, s.rows) for s in sheets])
    return {sheet.name: count for sheet, count in zip(sheets, counts, strict=True)}
