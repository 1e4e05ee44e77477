"""Jira's CSV export ("Export Excel CSV (all fields)" or "current fields").

Jira writes one column per value for multi-valued fields, all under the same name:
three labels become three `Labels` columns, an issue that sat in two sprints fills two
`Sprint` columns. Those are read back as lists. Custom fields are named
`Custom field (Story Points)`; the usual spellings of story points, epic link and sprint
are recognized, and a mapping can name others: `{"columns": {"story_points":
"Custom field (Effort)"}}`. Dates come in the exporting user's format (`3/Nov/20 12:17
PM` by default). A CSV export has no history, so items carry no changes.

See docs/tracker-formats.md for every column read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from productops.backlog.importers import files, values, vocabulary
from productops.backlog.records import ItemRecord, SprintRecord
from productops.imports import RowError, RowWarning, shown
from productops.imports.csv_header import RepeatedColumns, read_repeated_header

SOURCE = "jira"
SUFFIXES = (".csv",)

# Each normalized field and the column names Jira has used for it, in order of preference.
COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("Issue key", "Key"),
    "id": ("Issue id", "Issue ID"),
    "title": ("Summary",),
    "description": ("Description",),
    "type": ("Issue Type", "Issue type", "Work type"),
    "status": ("Status",),
    "status_category": ("Status Category",),
    "resolution": ("Resolution",),
    "created": ("Created",),
    "updated": ("Updated",),
    "resolved": ("Resolved", "Resolution date"),
    "reporter": ("Reporter",),
    "reporter_email": ("Reporter email", "Reporter Email", "Reporter e-mail"),
    "reporter_account": ("Reporter Id", "Reporter ID", "Reporter account id"),
    "assignee": ("Assignee",),
    "project": ("Project name", "Project"),
    "labels": ("Labels",),
    "components": ("Component/s", "Components"),
    "fix_versions": ("Fix Version/s", "Fix versions", "Fix Versions"),
    "sprints": ("Sprint", "Custom field (Sprint)", "Sprints"),
    "priority": ("Priority",),
    "story_points": (
        "Custom field (Story Points)",
        "Custom field (Story point estimate)",
        "Story Points",
        "Story point estimate",
    ),
    "epic_key": ("Custom field (Epic Link)", "Epic Link"),
    "parent": ("Parent key", "Parent", "Parent id", "Parent ID"),
}
REQUIRED = ("key",)  # a file without summaries imports, each title then its key
DATE_FIELDS = ("created", "updated", "resolved")
ISSUE_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*-\d+$")


def read(
    paths: Sequence[Path], *, mapping: dict | None = None, fields: dict | None = None
) -> Iterator[ItemRecord | SprintRecord | RowError]:
    """Items and sprints from Jira CSV exports, one file and one row at a time."""
    columns = _columns(mapping)
    sprints = files.SprintsSeen()
    for path in files.expand_paths(paths, SUFFIXES):
        yield from _read_file(path, columns, sprints)


def _columns(mapping: dict | None) -> dict[str, tuple[str, ...]]:
    """The column names to look for: the defaults, with a mapping's names tried first."""
    columns = dict(COLUMNS)
    overrides = (mapping or {}).get("columns") if isinstance(mapping, dict) else None
    if isinstance(overrides, dict):
        for name, column in overrides.items():
            if name in columns and isinstance(column, str):
                columns[name] = (column, *columns[name])
    return columns


def _read_file(
    path: Path, columns: dict[str, tuple[str, ...]], sprints: files.SprintsSeen
) -> Iterator[ItemRecord | SprintRecord | RowError]:
    source = path.name
    header: RepeatedColumns | None = None
    # Jira's `Parent` column holds the parent's numeric id; children whose parent comes
    # later in the file wait here until the end of the file, when every id is known.
    key_by_id: dict[str, str] = {}
    assumed: set[str] = set()  # statuses whose category was guessed, said once a file
    waiting_for_parent: list[tuple[ItemRecord, str, str]] = []
    for entry in files.read_csv_rows(path):
        if isinstance(entry, RowError):
            yield entry
            if header is None:
                return  # no header, no row can be read
            continue  # one bad row (a cell too long); the reader goes on with the next
        row_number, row = entry
        if header is None:
            header = read_repeated_header(row)
            errors = header.missing((columns[name] for name in REQUIRED), source)
            if errors:
                yield from errors
                return
            continue
        record, errors = _item(header, row, row_number, source, columns)
        if record is None:
            yield from errors
            continue
        yield from errors  # warnings: the record is written
        if (
            record.status
            and not header.first(row, *columns["status_category"])
            and not _is_known_status(record.status)
        ):
            if record.status.casefold() not in assumed:
                assumed.add(record.status.casefold())
                yield _assumed_category(record, row_number, source, header, columns)
        item_id = header.first(row, *columns["id"])
        if item_id:
            key_by_id[item_id] = record.key
        yield from sprints.new(SprintRecord(source_id=name, name=name) for name in record.sprints)
        parent, epic = record.parent_key, record.epic_key
        if _is_numeric_id(parent) or _is_numeric_id(epic):
            record.parent_key = key_by_id.get(parent, parent) if parent else ""
            record.epic_key = key_by_id.get(epic, epic) if epic else ""
            if _is_numeric_id(record.parent_key) or _is_numeric_id(record.epic_key):
                waiting_for_parent.append((record, parent, epic))
                continue
        yield record
    for record, parent, epic in waiting_for_parent:
        # An id that is not in this file points at an issue outside the export: drop it
        # rather than store a number where a key belongs.
        record.parent_key = key_by_id.get(parent, "") if _is_numeric_id(parent) else parent
        record.epic_key = key_by_id.get(epic, "") if _is_numeric_id(epic) else epic
        yield record


CATEGORY_WORDS = {"todo": "to do", "in_progress": "in progress", "done": "done"}


def _is_known_status(status: str) -> bool:
    """A status whose name alone tells its category ("Done", "In Review", "Open")."""
    name = " ".join(status.replace("-", " ").split()).casefold()
    return (
        name in vocabulary.DONE_STATUSES
        or name in vocabulary.IN_PROGRESS_STATUSES
        or name in vocabulary.STATUS_CATEGORY_NAMES
        or name in ("backlog", "selected for development", "reopened")
    )


def _assumed_category(
    record: ItemRecord,
    row_number: int,
    source: str,
    header: RepeatedColumns,
    columns: dict[str, tuple[str, ...]],
) -> RowWarning:
    """The file gives no Status Category for a status: say what its name was taken for
    (once per status and file; every row with that status is read the same way)."""
    column = header.find(*columns["status"]) or "Status"
    reason = (
        f"the file does not say which category the status '{shown(record.status, 40)}' "
        "belongs to (no Status Category column, or it is empty) and its name says nothing "
        f"more; taken as {CATEGORY_WORDS.get(record.status_category, record.status_category)}"
        ", for every row with this status"
    )
    return RowWarning(row_number, column, reason, source=source, key=record.key)


def _is_numeric_id(value: str) -> bool:
    return value.isdigit()


def _item(
    header: RepeatedColumns,
    row: list[str],
    row_number: int,
    source: str,
    columns: dict[str, tuple[str, ...]],
) -> tuple[ItemRecord | None, list[RowError]]:
    def value(name: str) -> str:
        return header.first(row, *columns[name])

    def every(name: str) -> list[str]:
        return header.every(row, *columns[name])

    key = value("key")
    errors: list[RowError] = []
    warnings: list[RowError] = []

    def error(name: str, reason: str) -> None:
        column = header.find(*columns[name]) or columns[name][0]
        errors.append(
            RowError(row=row_number, column=column, reason=reason, source=source, key=key)
        )

    if not key:
        error("key", "the issue key is empty")
    title = value("title")
    if not title.strip() and key:
        column = header.find(*columns["title"]) or columns["title"][0]
        reason = f"the summary is empty; the key {key} is shown as the title"
        warnings.append(RowWarning(row_number, column, reason, source=source, key=key))
        title = key
    dates = {}
    for name in DATE_FIELDS:
        try:
            dates[name] = values.parse_datetime(value(name))
        except ValueError as problem:
            error(name, str(problem))
    story_points = None
    story_points_column = next(
        (column for column in columns["story_points"] if header.first(row, column)), None
    )
    if story_points_column:
        try:
            story_points = values.parse_number(header.first(row, story_points_column))
        except ValueError as problem:
            errors.append(
                RowError(row_number, story_points_column, str(problem), source=source, key=key)
            )
    if errors:
        return None, errors

    original_type = value("type")
    status = value("status")
    category = vocabulary.normalize_status_category(value("status_category"))
    resolution = vocabulary.normalize_resolution(value("resolution"))
    parent = value("parent")
    epic = value("epic_key")
    return (
        ItemRecord(
            source=SOURCE,
            key=key,
            title=title,
            type=vocabulary.normalize_type(original_type),
            original_type=original_type,
            description=value("description"),
            status=status,
            status_category=category or vocabulary.status_category_from_name(status),
            resolution=resolution,
            created=dates["created"],
            updated=dates["updated"],
            resolved=dates["resolved"],
            reporter=value("reporter"),
            reporter_email=value("reporter_email"),
            reporter_account=value("reporter_account"),
            assignee=value("assignee"),
            project=value("project"),
            labels=every("labels"),
            components=every("components"),
            parent_key=parent if ISSUE_KEY.match(parent) or parent.isdigit() else "",
            epic_key=epic if ISSUE_KEY.match(epic) or epic.isdigit() else "",
            sprints=every("sprints"),
            fix_versions=every("fix_versions"),
            priority=value("priority"),
            story_points=story_points,
            origin_file=source,
            origin_position=row_number,
        ),
        warnings,
    )
