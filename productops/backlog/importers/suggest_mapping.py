"""A mapping for the generic CSV importer, guessed from a file's header (and a few rows).

`productops import-tracker --format csv FILE --suggest-mapping` prints it as YAML, to be
checked and passed back with `--mapping`. The guess knows the column names of the usual
trackers' CSV exports (Jira, GitHub, Linear, Azure DevOps, YouTrack, ClickUp) and the
values some of them use that the usual names do not ("Active", "Removed", "Product
Backlog Item"); with sample rows it also picks the date format and the list separator.
Columns it could not place are listed as comments. Nothing here touches Django or the
database: it reads a header and rows and returns text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from productops.backlog.importers import files, generic_csv, values, vocabulary
from productops.imports import RowError

SAMPLE_ROWS = 200  # rows the command reads to guess values; the guess needs no more
COMMENT_CHARS = 80

# field -> the column names trackers give it, best first (compared without case or
# repeated spaces; Jira's "Custom field (Story Points)" compares as "story points")
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "key": (
        "issue key",
        "key",
        "issue id",
        "id",
        "task id",
        "work item id",
        "ticket",
        "ticket id",
        "number",
        "issue number",
        "item id",
        "#",
        "url",
    ),
    "title": ("summary", "title", "task name", "subject", "name", "issue title"),
    "description": ("description", "body", "task content", "details", "content"),
    "type": ("issue type", "work item type", "type", "task type", "item type", "kind"),
    "status": ("status", "state"),
    "status_category": ("status category",),
    "resolution": ("resolution",),
    "reporter": (
        "reporter",
        "created by",
        "creator",
        "author",
        "opened by",
        "reported by",
        "requested by",
        "requester",
    ),
    "reporter_email": ("reporter email", "reporter e-mail", "creator email", "author email"),
    "reporter_account": ("reporter id", "creator id", "author id"),
    "assignee": ("assignee", "assigned to", "assignees", "owner"),
    "project": ("project name", "project", "team project", "repository", "space name", "team"),
    "parent_key": ("parent issue", "parent id", "parent key", "parent"),
    "epic_key": ("epic link", "epic key", "epic"),
    "priority": ("priority",),
    "created": (
        "created",
        "created date",
        "date created",
        "created at",
        "creation date",
        "created on",
        "opened",
    ),
    "updated": ("updated", "changed date", "date updated", "updated at", "last updated"),
    "resolved": (
        "resolved",
        "closed date",
        "date closed",
        "closed at",
        "resolved date",
        "completed",
        "closed on",
        "resolved on",
        "completed on",
        "date done",
        "closed",
    ),
    "labels": ("labels", "label", "tags", "tag"),
    "components": ("component/s", "components", "component", "area path", "subsystem"),
    "sprints": ("sprint", "sprints", "iteration path", "iteration", "cycle name"),
    "fix_versions": (
        "fix version/s",
        "fix versions",
        "fix version",
        "project milestone",
        "milestone",
        "release",
    ),
    "story_points": (
        "story points",
        "story point estimate",
        "estimate",
        "points",
        "effort",
    ),
}

# The trackers a header looks like: (name, the columns that tell, the source, the format
# that reads the file without a mapping, or "")
TRACKERS: tuple[tuple[str, frozenset[str], str, str], ...] = (
    ("Jira", frozenset({"issue key", "summary", "issue type"}), "jira", "jira-csv"),
    ("Linear", frozenset({"id", "team", "title", "cycle number"}), "linear", "linear-csv"),
    ("Azure DevOps", frozenset({"id", "work item type", "title"}), "csv", ""),
    ("YouTrack", frozenset({"issue id", "summary"}), "csv", ""),
    ("ClickUp", frozenset({"task id", "task name"}), "csv", ""),
    ("GitHub Projects", frozenset({"title", "url", "repository"}), "github", ""),
)

# Values some trackers use that the usual names read otherwise (casefolded).
KNOWN_TYPES = {
    "product backlog item": vocabulary.FEATURE,  # Azure DevOps, Scrum
    "issue": vocabulary.FEATURE,  # Azure DevOps, Basic
    "impediment": vocabulary.TASK,
    "test case": vocabulary.TASK,
    "exception": vocabulary.BUG,  # YouTrack
    "cosmetics": vocabulary.BUG,
    "usability problem": vocabulary.BUG,
    "performance problem": vocabulary.BUG,
}
KNOWN_STATUSES = {
    "active": vocabulary.IN_PROGRESS,  # Azure DevOps
    "committed": vocabulary.IN_PROGRESS,
    "removed": vocabulary.DONE,
    "fixed": vocabulary.DONE,  # YouTrack
    "verified": vocabulary.DONE,
    "obsolete": vocabulary.DONE,
    "can't reproduce": vocabulary.DONE,
    "incomplete": vocabulary.DONE,
    "complete": vocabulary.DONE,  # ClickUp
}
# the resolution a done status means, when the file has no resolution column
KNOWN_RESOLUTIONS = {
    "removed": vocabulary.WONT_DO,
    "closed": vocabulary.RESOLVED_DONE,
    "resolved": vocabulary.RESOLVED_DONE,
    "verified": vocabulary.RESOLVED_DONE,
    "complete": vocabulary.RESOLVED_DONE,
    "can't reproduce": vocabulary.WONT_DO,
    "incomplete": vocabulary.WONT_DO,
}
# date formats tried on sample dates that the usual ones do not read, in order
DATE_FORMATS = (
    "%m/%d/%Y %I:%M:%S %p",  # Azure DevOps, en-US: 3/4/2024 9:12:05 AM
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d %b %Y %H:%M",
    "%d %b %Y",
    "%b %d, %Y",
)
LIST_SEPARATORS = (";", "|", ",")
_SPACES = re.compile(r"\s+")
_CUSTOM_FIELD = re.compile(r"^custom field \((.*)\)$")


@dataclass
class Suggestion:
    """The guessed mapping (shaped as `--mapping` reads it) and what the guess left open."""

    mapping: dict[str, Any]
    unplaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    looks_like: str = ""

    def as_yaml(self, file_name: str = "") -> str:
        """The mapping as YAML, with comments: how to use it, what to check, and the
        columns that were not placed."""
        shown_name = _comment(file_name) if file_name else "the file"
        lines = [
            f"# A mapping guessed from the header of {shown_name}. Check it, save it, then run:",
            "#   productops import-tracker --format csv --mapping MAPPING.yaml "
            + (_comment(file_name) if file_name else "FILE"),
        ]
        lines += [f"# {_comment(note, 300)}" for note in self.notes]
        lines.append(
            yaml.safe_dump(
                self.mapping, sort_keys=False, allow_unicode=True, default_flow_style=False
            ).rstrip("\n")
        )
        if self.unplaced:
            lines.append("# Columns not placed (add one under columns: if it holds a field):")
            lines += [f"#   {_comment(name)}" for name in self.unplaced]
        return "\n".join(lines) + "\n"


def suggest(header: Sequence[str], rows: Iterable[Sequence[str]] = ()) -> Suggestion:
    """The mapping guessed from `header` (a CSV file's first row) and sample `rows`."""
    names = [_normalized(column) for column in header]
    by_name: dict[str, int] = {}
    for index, name in enumerate(names):
        by_name.setdefault(name, index)
    columns: dict[str, str] = {}
    used: set[str] = set()
    for field_name, candidates in COLUMN_NAMES.items():
        for candidate in candidates:
            if candidate in by_name and candidate not in used:
                columns[field_name] = header[by_name[candidate]].strip()
                used.add(candidate)
                break
    notes: list[str] = []
    tracker = _tracker(set(by_name))
    source = "csv"
    if tracker:
        name, _, source, format_name = tracker
        note = f"The header looks like {name}'s CSV export."
        if format_name:
            note += f" --format {format_name} reads it without a mapping."
        notes.append(note)
    for required in generic_csv.REQUIRED:
        if required not in columns:
            notes.append(
                f"No column looked like the {required}: add it under columns: as "
                f"{required}: <its header>."
            )
    mapping: dict[str, Any] = {"source": source, "columns": columns}
    sample = list(_first(rows, SAMPLE_ROWS))
    if sample:
        _guess_values(mapping, header, sample, notes)
    unplaced = []
    for column, name in zip(header, names, strict=True):
        label = column.strip()
        if name not in used and label and label not in unplaced:
            unplaced.append(label)
    return Suggestion(
        mapping=mapping, unplaced=unplaced, notes=notes, looks_like=tracker[0] if tracker else ""
    )


def _guess_values(
    mapping: dict[str, Any], header: Sequence[str], rows: list[Sequence[str]], notes: list[str]
) -> None:
    """The value tables, date format and list separator the sample rows call for."""
    columns: dict[str, str] = mapping["columns"]
    index = {column.strip(): position for position, column in reversed(list(enumerate(header)))}

    def cells(field_name: str) -> list[str]:
        column = columns.get(field_name)
        if column is None:
            return []
        position = index[column]
        return [
            row[position].strip() for row in rows if position < len(row) and row[position].strip()
        ]

    types = {
        value: KNOWN_TYPES[value.casefold()]
        for value in dict.fromkeys(cells("type"))
        if vocabulary.normalize_type(value) == vocabulary.OTHER and value.casefold() in KNOWN_TYPES
    }
    statuses = list(dict.fromkeys(cells("status")))
    categories = {
        value: KNOWN_STATUSES[value.casefold()]
        for value in statuses
        if value.casefold() in KNOWN_STATUSES
        and vocabulary.status_category_from_name(value) != KNOWN_STATUSES[value.casefold()]
    }
    resolutions = {}
    if "resolution" not in columns:
        resolutions = {
            value: KNOWN_RESOLUTIONS[value.casefold()]
            for value in statuses
            if value.casefold() in KNOWN_RESOLUTIONS
        }
    if types:
        mapping["types"] = types
    if categories:
        mapping["status_categories"] = categories
    if resolutions:
        mapping["resolutions"] = resolutions
    formats = _date_formats([cell for name in generic_csv.DATE_FIELDS for cell in cells(name)])
    if formats:
        mapping["date_format"] = formats[0] if len(formats) == 1 else formats
        if any("%m/%d" in f for f in formats):
            notes.append(
                "Dates were read month first (3/4/2024 is 4 March); if your export writes "
                "the day first, change %m/%d to %d/%m in date_format."
            )
    separator = _list_separator([cell for name in generic_csv.LIST_FIELDS for cell in cells(name)])
    if separator != ",":
        mapping["list_separator"] = separator


def _date_formats(samples: list[str]) -> list[str]:
    """The formats the dates need beyond the ones always tried; [] when none is needed."""
    needed: list[str] = []
    for text in samples:
        if generic_csv.EPOCH.match(text) or _reads(text, needed):
            continue
        found = next((f for f in DATE_FORMATS if _reads(text, [f])), None)
        if found is not None:
            needed.append(found)
    return needed


def _reads(text: str, formats: Sequence[str]) -> bool:
    try:
        return values.parse_datetime(text, formats) is not None
    except ValueError:
        return False


def _list_separator(samples: list[str]) -> str:
    for separator in LIST_SEPARATORS:
        if any(separator in cell for cell in samples):
            return separator
    return ","


def _tracker(names: set[str]) -> tuple[str, frozenset[str], str, str] | None:
    return next((tracker for tracker in TRACKERS if tracker[1] <= names), None)


def _normalized(column: str) -> str:
    name = _SPACES.sub(" ", column.replace("\ufeff", "")).strip().casefold()
    custom = _CUSTOM_FIELD.match(name)
    return custom.group(1).strip() if custom else name


def _comment(text: str, limit: int = COMMENT_CHARS) -> str:
    """Text for a YAML comment: one line (a header's line break cannot end the comment),
    cut to about `limit` characters."""
    flat = "".join(" " if not char.isprintable() else char for char in text)
    flat = _SPACES.sub(" ", flat).strip()
    return flat if len(flat) <= limit else f"{flat[: limit - 1]}…"


def _first(rows: Iterable[Sequence[str]], count: int) -> Iterable[Sequence[str]]:
    for number, row in enumerate(rows):
        if number >= count:
            return
        yield row


def suggest_for_files(paths: Sequence[Path | str]) -> str:
    """The suggestion for the first CSV file among `paths` (files or folders), as YAML.

    Raises ValueError, with a sentence to show, when there is no CSV file or its header
    cannot be read.
    """
    path = next(iter(files.expand_paths(paths, generic_csv.SUFFIXES)), None)
    if path is None:
        raise ValueError("no .csv file to read a header from; give the CSV export itself")
    header: list[str] | None = None
    rows: list[list[str]] = []
    for entry in files.read_csv_rows(path):
        if isinstance(entry, RowError):
            if header is None:
                raise ValueError(str(entry))
            continue  # one bad row: the guess does without it
        if header is None:
            header = entry[1]
            continue
        rows.append(entry[1])
        if len(rows) >= SAMPLE_ROWS:
            break
    if header is None:
        raise ValueError(f"{path.name}: the file is empty; there is no header to read")
    return suggest(header, rows).as_yaml(path.name)
