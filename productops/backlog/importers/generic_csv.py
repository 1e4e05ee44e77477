"""Any tracker's CSV, with a small mapping saying which column is which.

The mapping (a YAML or JSON file the command loads and passes in as a dict):

    source: csv                 # which Source the items belong to (default csv)
    columns:                    # field -> the column's header in the file
      key: Ticket               # required
      title: Subject            # required
      type: Kind
      status: State
      created: Opened
    types: {Defect: bug}        # type values -> item types (optional)
    status_categories: {Closed: done}
    resolutions: {Rejected: "won't do"}
    date_format: "%d.%m.%Y"     # or a list of formats; ISO and Jira's are always tried
    list_separator: ";"         # between labels, components, sprints, fix versions

A mapped column missing from the file is an error on row 1 and the file is not read.
A type value neither the mapping nor the usual names know becomes `other`, without an
error: the original is kept and the classification works from text and labels.

Only a row without a key is unusable (an error). An empty title (the item is then titled
by its key) and an empty reporter, when the mapping names a reporter column, are
warnings: the row is imported and the warning says what is missing.

What other trackers write is read as they write it: a person as `Jane Doe <jane@x.com>`
(Azure DevOps) gives the name, and the email when no column is mapped to it; a date as
milliseconds or seconds since 1970 (ClickUp) is read as such; a list in brackets,
`[ui, billing]` (ClickUp), loses its brackets. When no column is mapped to the
resolution, a done item whose status names one ("Won't fix", "Duplicate", or a status
listed under `resolutions`) takes it from the status. When no column is mapped to the
type, the type comes from the first label naming one (`bug`, `feature`), as for Linear.
See docs/tracker-formats.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from productops.backlog.importers import files, values, vocabulary
from productops.backlog.records import ItemRecord, SprintRecord
from productops.imports import RowError, RowWarning, shown
from productops.imports.csv_header import RepeatedColumns, read_repeated_header

SUFFIXES = (".csv",)
MAPPING_SOURCE = "mapping"
TEXT_FIELDS = (
    "key",
    "title",
    "description",
    "type",
    "status",
    "status_category",
    "resolution",
    "reporter",
    "reporter_email",
    "reporter_account",
    "assignee",
    "project",
    "parent_key",
    "epic_key",
    "priority",
)
DATE_FIELDS = ("created", "updated", "resolved")
LIST_FIELDS = ("labels", "components", "sprints", "fix_versions")
NUMBER_FIELDS = ("story_points",)
FIELDS = TEXT_FIELDS + DATE_FIELDS + LIST_FIELDS + NUMBER_FIELDS
REQUIRED = ("key", "title")
RESOLUTION_WORDS = (vocabulary.RESOLVED_DONE, vocabulary.WONT_DO, vocabulary.DUPLICATE)
PERSON_FIELDS = ("reporter", "assignee")
# "Jane Doe <jane@example.com>", as Azure DevOps writes a person
NAME_AND_EMAIL = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>@\s]+@[^<>\s]+)>\s*$")
# a date as seconds (10 digits) or milliseconds (13 digits) since 1970, as ClickUp writes it
EPOCH = re.compile(r"^\d{10}(?:\d{3})?$")


@dataclass
class Mapping:
    source: str = "csv"
    columns: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    status_categories: dict[str, str] = field(default_factory=dict)
    resolutions: dict[str, str] = field(default_factory=dict)
    date_formats: list[str] = field(default_factory=list)
    list_separator: str = ","


def read(
    paths: Sequence[Path], *, mapping: dict | None = None, fields: dict | None = None
) -> Iterator[ItemRecord | SprintRecord | RowError]:
    """Items and sprints from CSV files read through `mapping`, one row at a time.

    A mapping that is missing or wrong yields its errors (source 'mapping') and no files
    are read.
    """
    parsed, errors = parse_mapping(mapping)
    if errors or parsed is None:
        yield from errors
        return
    sprints = files.SprintsSeen()
    for path in files.expand_paths(paths, SUFFIXES):
        yield from _read_file(path, parsed, sprints)


# --- the mapping -------------------------------------------------------------------------


def parse_mapping(raw: Any) -> tuple[Mapping | None, list[RowError]]:
    """Check a mapping as loaded from its file; every problem names the entry at fault."""

    def problem(column: str | None, reason: str) -> RowError:
        return RowError(row=None, column=column, reason=reason, source=MAPPING_SOURCE)

    if not isinstance(raw, dict):
        return None, [
            problem(None, "a CSV import needs a mapping naming at least the key and title columns")
        ]
    errors: list[RowError] = []
    mapping = Mapping()
    source = raw.get("source", "csv")
    if source not in vocabulary.SOURCES:
        errors.append(
            problem("source", f"'{shown(source)}' is not one of {', '.join(vocabulary.SOURCES)}")
        )
    else:
        mapping.source = source
    columns = raw.get("columns")
    if not isinstance(columns, dict):
        errors.append(problem("columns", "give 'columns': field name -> column header"))
        columns = {}
    for name, header in columns.items():
        if name not in FIELDS:
            errors.append(
                problem(
                    f"columns.{name}",
                    f"'{shown(name)}' is not a field; use one of {', '.join(FIELDS)}",
                )
            )
        elif not isinstance(header, str) or not header.strip():
            errors.append(problem(f"columns.{name}", "give the column's header as text"))
        else:
            mapping.columns[name] = header.strip()
    for name in REQUIRED:
        if name not in columns:
            errors.append(problem(f"columns.{name}", f"the mapping must name the {name} column"))
    mapping.types = _value_map(raw, "types", vocabulary.ITEM_TYPES, errors, problem)
    mapping.status_categories = _value_map(
        raw, "status_categories", vocabulary.STATUS_CATEGORIES, errors, problem
    )
    mapping.resolutions = _value_map(raw, "resolutions", None, errors, problem)
    date_format = raw.get("date_format", [])
    formats = [date_format] if isinstance(date_format, str) else date_format
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        errors.append(problem("date_format", "give a strptime format such as %d.%m.%Y, or a list"))
    else:
        mapping.date_formats = formats
    separator = raw.get("list_separator", ",")
    if not isinstance(separator, str) or not separator:
        errors.append(problem("list_separator", "give the character between list values"))
    else:
        mapping.list_separator = separator
    return (None if errors else mapping), errors


def _value_map(raw: dict, name: str, allowed: Sequence[str] | None, errors: list, problem) -> dict:
    given = raw.get(name, {})
    if not isinstance(given, dict):
        errors.append(problem(name, "give a table of values, e.g. {Defect: bug}"))
        return {}
    result: dict[str, str] = {}
    for original, normalized in given.items():
        if allowed is not None and normalized not in allowed:
            errors.append(
                problem(
                    f"{name}.{original}",
                    f"'{shown(normalized)}' is not one of {', '.join(allowed)}",
                )
            )
        elif isinstance(normalized, str):
            result[str(original).strip().casefold()] = normalized
    return result


# --- the file ----------------------------------------------------------------------------


def _read_file(
    path: Path, mapping: Mapping, sprints: files.SprintsSeen
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
            errors = [
                RowError(
                    1,  # the header row
                    column,
                    f"the mapping names '{shown(column)}' for {name}, but the file has no such column",
                    source,
                )
                for name, column in mapping.columns.items()
                if not header.has(column)
            ]
            if errors:
                yield from errors
                return
            continue
        yield from _row(header, row, row_number, source, mapping, sprints)


def _row(
    header: RepeatedColumns,
    row: list[str],
    row_number: int,
    source: str,
    mapping: Mapping,
    sprints: files.SprintsSeen,
) -> Iterator[ItemRecord | SprintRecord | RowError]:
    def value(name: str) -> str:
        column = mapping.columns.get(name)
        return header.first(row, column) if column else ""

    key = value("key")
    errors: list[RowError] = []
    warnings: list[RowWarning] = []

    def error(name: str, reason: str) -> None:
        errors.append(RowError(row_number, mapping.columns[name], reason, source, key))

    def warning(name: str, reason: str) -> None:
        warnings.append(RowWarning(row_number, mapping.columns[name], reason, source, key))

    if not key:
        error("key", "the key is empty")
    title = value("title")
    if not title and key:
        title = key
        warning("title", f"the title is empty; the item is shown as {key}")
    dates: dict[str, datetime | None] = {}
    for name in DATE_FIELDS:
        try:
            dates[name] = _parse_date(value(name), mapping.date_formats)
        except ValueError as problem:
            error(name, str(problem))
    story_points = None
    try:
        story_points = values.parse_number(value("story_points"))
    except ValueError as problem:
        error("story_points", str(problem))
    category_text = value("status_category")
    category = None
    if category_text:
        category = mapping.status_categories.get(
            category_text.casefold()
        ) or vocabulary.normalize_status_category(category_text)
        if category is None:
            error(
                "status_category",
                f"'{shown(category_text)}' is not a status category; map it under status_categories",
            )
    if errors:
        yield from errors
        return

    people = {name: _person(value(name)) for name in PERSON_FIELDS}
    reporter, reporter_email = people["reporter"]
    if "reporter" in mapping.columns and not reporter and not reporter_email:
        warning("reporter", "the reporter is empty; the item is imported without one")
    yield from warnings
    lists = {name: _split_list(value(name), mapping.list_separator) for name in LIST_FIELDS}
    original_type = value("type")
    if "type" in mapping.columns:
        item_type = mapping.types.get(original_type.casefold()) or vocabulary.normalize_type(
            original_type
        )
    else:  # no type column (ClickUp): the first label naming a type, as for Linear
        item_type, original_type = vocabulary.type_from_labels(lists["labels"])
    status = value("status")
    if category is None:
        category = mapping.status_categories.get(
            status.casefold()
        ) or vocabulary.status_category_from_name(status)
    resolution_text = value("resolution")
    resolution = mapping.resolutions.get(
        resolution_text.casefold()
    ) or vocabulary.normalize_resolution(resolution_text)
    if "resolution" not in mapping.columns and category == vocabulary.DONE:
        resolution = _resolution_of_status(status, mapping)
    yield from sprints.new(SprintRecord(source_id=name, name=name) for name in lists["sprints"])
    yield ItemRecord(
        source=mapping.source,
        key=key,
        title=title,
        type=item_type,
        original_type=original_type,
        description=value("description"),
        status=status,
        status_category=category,
        resolution=resolution,
        created=dates["created"],
        updated=dates["updated"],
        resolved=dates["resolved"],
        reporter=reporter or reporter_email,
        reporter_email=value("reporter_email") or reporter_email,
        reporter_account=value("reporter_account"),
        assignee=people["assignee"][0] or people["assignee"][1],
        project=value("project"),
        labels=lists["labels"],
        components=lists["components"],
        parent_key=value("parent_key"),
        epic_key=value("epic_key"),
        sprints=lists["sprints"],
        fix_versions=lists["fix_versions"],
        priority=value("priority"),
        story_points=story_points,
        origin_file=source,
        origin_position=row_number,
    )


def _parse_date(text: str, formats: Sequence[str]) -> datetime | None:
    """A cell's date: the mapping's formats and the usual ones, or a count of seconds or
    milliseconds since 1970."""
    text = text.strip()
    if EPOCH.match(text):
        seconds = int(text) / 1000 if len(text) == 13 else int(text)
        return datetime.fromtimestamp(seconds, tz=UTC)
    return values.parse_datetime(text, formats)


def _split_list(text: str, separator: str) -> list[str]:
    """A list cell's values; `[a, b]` (ClickUp) is read as `a, b`."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return values.split_list(text, separator)


def _person(text: str) -> tuple[str, str]:
    """(name, email) of a person cell: `Jane Doe <jane@x.com>` is both; `[Jane, Ann]`
    (several assignees, ClickUp) is the first; any other text is the name."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        text = next(iter(values.split_list(text[1:-1])), "")
    match = NAME_AND_EMAIL.match(text)
    if match:
        return match.group("name"), match.group("email")
    return text, ""


def _resolution_of_status(status: str, mapping: Mapping) -> str:
    """A done item's resolution when the file has no resolution column: the mapping's
    `resolutions` for its status, or the resolution the status names ("Won't fix")."""
    mapped = mapping.resolutions.get(status.casefold())
    if mapped:
        return mapped
    named = vocabulary.normalize_resolution(status)
    return named if named in RESOLUTION_WORDS else ""
