"""Every table of a diagnosis in one XLSX workbook, a sheet per table.

Each sheet holds the rows the table's own page gives as a download (`?format=xlsx`), read
through the same visibility helper and the same domain call, with the default filters
and period. Its header and rows come from the domain row function that the page's
download calls too (`org.directory.export_row`, `org.audit_rows`,
`backlog.items.item_list_rows`, `backlog.report_rows`, `discovery.cadence_summary`,
`competencies.gap_rows`, `strategy.alignment_rows`): one code path for both, which
tests/reports/test_diagnose.py and test_workbook.py check cell by cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    with the default thresholds."""
    from productops.org import audit_rows, visibility
    from productops.org.audit import run_org_audit

    result = visibility.visible_audit(user, run_org_audit())
    if result["scope"] == "summary":
        counts = audit_rows.count_rows(audit_rows.rule_counts(result["counts"]))
        return [Sheet("Org audit counts", audit_rows.COUNT_COLUMNS, counts)]
    return [
        Sheet(
            "Org audit findings",
            audit_rows.FINDING_COLUMNS,
            audit_rows.finding_rows(result["findings"]),
        ),
        Sheet("Spans", audit_rows.SPAN_COLUMNS, audit_rows.span_rows(result["spans"])),
    ]


# The backlog page's origin table, one origin a row (the page's download has a column each).
ORIGIN_COLUMNS = ("Items", "Origin", "Count", "Share (%)")


def backlog_sheets(user: Login) -> list[Sheet]:
    """The item list's download (every item, no filter) and the backlog report page's
    origin rows (open backlog and work done in the report's default period)."""
    from productops.backlog import report as backlog_report
    from productops.backlog import visibility
    from productops.backlog.items import FILTERS, ITEM_LIST_COLUMNS, filtered_items, item_list_rows
    from productops.backlog.models import Origin
    from productops.backlog.report_rows import origin_groups, origin_mix_long_rows, share_rows

    sheets = []
    if visibility.sees_items(user):
        items = filtered_items({name: "" for name in FILTERS})
        sheets.append(Sheet("Backlog items", ITEM_LIST_COLUMNS, item_list_rows(items)))
    if visibility.sees_report(user):
        data = backlog_report.build_report().as_dict()
        if not visibility.sees_items(user):
            data = visibility.aggregates_only(data)
        origins = share_rows(Origin, origin_groups(data))
        sheets.append(Sheet("Origin mix", ORIGIN_COLUMNS, origin_mix_long_rows(origins)))
    return sheets


def cadence_sheet(user: Login) -> Sheet | None:
    """The discovery cadence page's download over its default period."""
    from productops.discovery import visibility
    from productops.discovery.cadence import default_period, load_cadence
    from productops.discovery.cadence_summary import CADENCE_COLUMNS, cadence_rows

    if not visibility.sees_cadence(user):
        return None
    start, end = default_period(timezone.localdate())
    cadences = load_cadence(start=start, end=end)
    if not cadences:
        return None
    return Sheet("Discovery cadence", CADENCE_COLUMNS, cadence_rows(cadences))


def gaps_sheet(user: Login) -> Sheet | None:
    """Every assessed person's gap table (each person's page download, a Person column
    first), for the people this reader may see results of; None when nobody was rated."""
    from productops.competencies import gap_data, visibility
    from productops.competencies.gap_rows import PERSON_GAP_COLUMNS, person_gap_rows
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
        rows.extend([person.name, *row] for row in person_gap_rows(result))
    if not rows:
        return None
    return Sheet("Gaps", ["Person", *PERSON_GAP_COLUMNS], rows)


def alignment_sheet(user: Login) -> Sheet | None:
    """The alignment page's objectives table over its default period (the quarter), as
    its download writes it; None without objectives."""
    from productops.strategy import alignment, visibility
    from productops.strategy.alignment_rows import OBJECTIVE_COLUMNS, objective_rows

    if not visibility.sees_strategy(user):
        return None
    start, end = alignment.period_from(None, None)
    result = alignment.compute_alignment(start, end)
    if not result.objectives:
        return None
    return Sheet("Alignment", OBJECTIVE_COLUMNS, objective_rows(result.objectives))


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
