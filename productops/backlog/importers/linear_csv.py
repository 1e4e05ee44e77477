"""Linear's CSV export (Settings → Import/export → Export CSV).

Linear has shipped a 30-column export and a 34-column one (adding customer and
attachment columns); both are read by their header names and unknown columns are
ignored. Linear has no issue types: the type comes from the first label naming one
(`Bug`, `Feature`, `Improvement`, ...). Whether an issue is done comes from the
`Completed` and `Canceled` timestamps first, then `Started`, then the status name.
Cycles become sprints, one per team and cycle number.

Only a row without an ID is unusable (an error). An empty title (the issue is then
titled by its ID) and an empty Creator (an issue made by an integration or an import,
or by a member since removed) are warnings: the issue is imported and the warning says
what is missing.

See docs/tracker-formats.md for every column read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from productops.backlog.importers import files, values, vocabulary
from productops.backlog.records import ItemRecord, SprintRecord
from productops.imports import RowError, RowWarning
from productops.imports.csv_header import RepeatedColumns, read_repeated_header

SOURCE = "linear"
SUFFIXES = (".csv",)
REQUIRED = (("ID",), ("Title",))
DATE_COLUMNS = (
    "Created",
    "Updated",
    "Started",
    "Completed",
    "Canceled",
    "Cycle Start",
    "Cycle End",
)
# Linear's priority numbers, when an export (or the API) gives them instead of names
PRIORITY_NAMES = {"0": "", "1": "Urgent", "2": "High", "3": "Medium", "4": "Low"}


def read(
    paths: Sequence[Path], *, mapping: dict | None = None, fields: dict | None = None
) -> Iterator[ItemRecord | SprintRecord | RowError]:
    """Items and cycles from Linear CSV exports, one file and one row at a time."""
    sprints = files.SprintsSeen()
    for path in files.expand_paths(paths, SUFFIXES):
        yield from _read_file(path, sprints)


def _read_file(
    path: Path, sprints: files.SprintsSeen
) -> Iterator[ItemRecord | SprintRecord | RowError]:
    source = path.name
    header: RepeatedColumns | None = None
    for entry in files.read_csv_rows(path):
        if isinstance(entry, RowError):
            yield entry
            if header is None:
                return  # no header, no row can be read
            continue  # one bad row (a cell too long); the reader goes on with the next
        row_number, row = entry
        if header is None:
            header = read_repeated_header(row)
            errors = header.missing(REQUIRED, source)
            if errors:
                yield from errors
                return
            continue
        yield from _row(header, row, row_number, source, sprints)


def _row(
    header: RepeatedColumns,
    row: list[str],
    row_number: int,
    source: str,
    sprints: files.SprintsSeen,
) -> Iterator[ItemRecord | SprintRecord | RowError]:
    def value(*names: str) -> str:
        return header.first(row, *names)

    key = value("ID")
    errors: list[RowError] = []
    if not key:
        errors.append(RowError(row_number, "ID", "the issue ID is empty", source))
    warnings: list[RowWarning] = []
    title = value("Title")
    if not title and key:
        title = key
        warnings.append(
            RowWarning(
                row_number, "Title", f"the title is empty; the issue is shown as {key}", source, key
            )
        )
    dates: dict[str, datetime | None] = {}
    for column in DATE_COLUMNS:
        try:
            dates[column] = values.parse_datetime(value(column))
        except ValueError as problem:
            errors.append(RowError(row_number, column, str(problem), source, key))
    story_points = None
    try:
        story_points = values.parse_number(value("Estimate"))
    except ValueError as problem:
        errors.append(RowError(row_number, "Estimate", str(problem), source, key))
    cycle = _cycle(value("Team"), value("Cycle Number"), value("Cycle Name"), dates)
    if errors:
        yield from errors
        return

    labels = values.split_list(value("Labels"))
    item_type, type_label = vocabulary.type_from_labels(labels)
    status = value("Status")
    category, resolution, resolved = _progress(status, dates)
    creator = value("Creator")
    if not creator and header.has("Creator"):
        warnings.append(
            RowWarning(
                row_number,
                "Creator",
                "the creator is empty; the issue is imported without a reporter",
                source,
                key,
            )
        )
    yield from warnings
    if cycle:
        yield from sprints.new([cycle])
    yield ItemRecord(
        source=SOURCE,
        key=key,
        title=title,
        type=item_type,
        original_type=type_label,
        description=value("Description"),
        status=status,
        status_category=category,
        resolution=resolution,
        created=dates["Created"],
        updated=dates["Updated"],
        resolved=resolved,
        reporter=creator,
        reporter_email=creator if "@" in creator else "",
        assignee=value("Assignee"),
        project=value("Project") or value("Team"),
        labels=labels,
        parent_key=value("Parent issue"),
        sprints=[cycle.source_id] if cycle else [],
        fix_versions=values.split_list(value("Project Milestone", "Milestone")),
        priority=PRIORITY_NAMES.get(value("Priority"), value("Priority")).replace(
            "No priority", ""
        ),
        story_points=story_points,
        origin_file=source,
        origin_position=row_number,
    )


def _progress(status: str, dates: dict[str, datetime | None]) -> tuple[str, str, datetime | None]:
    """(status category, resolution, resolved at) from the timestamps, then the status."""
    if dates["Canceled"]:
        return vocabulary.DONE, vocabulary.WONT_DO, dates["Canceled"]
    if dates["Completed"]:
        resolution = vocabulary.normalize_resolution(status)
        if resolution != vocabulary.DUPLICATE:
            resolution = vocabulary.RESOLVED_DONE
        return vocabulary.DONE, resolution, dates["Completed"]
    category = vocabulary.status_category_from_name(status)
    if category == vocabulary.DONE:
        return category, vocabulary.normalize_resolution(status) or vocabulary.RESOLVED_DONE, None
    if dates["Started"] and category == vocabulary.TODO and not _is_backlog(status):
        return vocabulary.IN_PROGRESS, "", None
    return category, "", None


def _is_backlog(status: str) -> bool:
    # An issue moved back from In Progress keeps its Started time; its status says where it is.
    return status.casefold() in {"backlog", "todo", "to do", "triage", "unstarted"}


def _cycle(
    team: str, number: str, name: str, dates: dict[str, datetime | None]
) -> SprintRecord | None:
    if not number and not name:
        return None
    source_id = f"cycle-{number}" if number else name
    if team:
        source_id = f"{team}/{source_id}"
    return SprintRecord(
        source_id=source_id,
        name=name or (f"{team} cycle {number}" if team else f"Cycle {number}"),
        start=dates.get("Cycle Start"),
        planned_end=dates.get("Cycle End"),
    )
