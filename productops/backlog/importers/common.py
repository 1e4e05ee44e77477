"""What the tracker importers share: finding files, reading CSV rows, dates and names.

Nothing here touches Django or the database, so an importer stays a pure reader. The
normalized values (item types, status categories, resolutions) are the plain strings of
`backlog.models.ItemType`, `StatusCategory` and `Source`; a test keeps them in step.

Every reader here reports trouble as a `RowError` instead of raising: a tracker export
that cannot be read is something to tell the person who brought it, never a traceback.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from productops.backlog.records import SprintRecord
from productops.imports import RowError

# backlog.models.ItemType / StatusCategory values, spelled out so importers need no Django.
FEATURE, BUG, INCIDENT, TASK, EPIC, SUBTASK, OTHER = (
    "feature",
    "bug",
    "incident",
    "task",
    "epic",
    "subtask",
    "other",
)
ITEM_TYPES = (FEATURE, BUG, INCIDENT, TASK, EPIC, SUBTASK, OTHER)
TODO, IN_PROGRESS, DONE = "todo", "in_progress", "done"
STATUS_CATEGORIES = (TODO, IN_PROGRESS, DONE)
SOURCES = ("jira", "github", "linear", "csv")

# Resolutions are normalized to a few words the analysis can count on.
RESOLVED_DONE, WONT_DO, DUPLICATE = "done", "won't do", "duplicate"

HEADER_ROW = 1


# --- files -------------------------------------------------------------------------------


def expand_paths(paths: Sequence[Path | str], suffixes: Iterable[str]) -> Iterator[Path]:
    """The files to read, in order: each path as given, or a folder's matching files.

    A folder contributes the files under it whose name ends with one of `suffixes`
    (compared without case), sorted by path so two runs read in the same order. The
    folder is listed when it is reached, not before, so nothing is read ahead.
    """
    wanted = tuple(suffix.lower() for suffix in suffixes)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                child
                for child in path.rglob("*")
                if child.is_file() and child.name.lower().endswith(wanted)
            )
            yield from found
        else:
            yield path


# --- CSV ---------------------------------------------------------------------------------


def normalized_header(name: str) -> str:
    """A header compared without case, surrounding spaces or a BOM: 'Issue key ' == 'issue key'."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


@dataclass
class CsvHeader:
    """Where each column is, allowing the same name several times (Jira repeats them)."""

    names: list[str]
    positions: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: list[str]) -> CsvHeader:
        header = cls(names=[name.strip() for name in row])
        for index, name in enumerate(row):
            header.positions.setdefault(normalized_header(name), []).append(index)
        return header

    def has(self, name: str) -> bool:
        return normalized_header(name) in self.positions

    def find(self, *names: str) -> str | None:
        """The first of `names` the file has (the caller's spelling), or None."""
        for name in names:
            if self.has(name):
                return name
        return None

    def first(self, row: list[str], *names: str) -> str:
        """The first non-empty value under any of `names`, stripped; '' when none."""
        for name in names:
            for index in self.positions.get(normalized_header(name), ()):
                if index < len(row) and row[index].strip():
                    return row[index].strip()
        return ""

    def every(self, row: list[str], *names: str) -> list[str]:
        """Every non-empty value under any of `names`, in column order, without repeats."""
        values: list[str] = []
        for name in names:
            for index in self.positions.get(normalized_header(name), ()):
                if index < len(row):
                    value = row[index].strip()
                    if value and value not in values:
                        values.append(value)
        return values


def read_csv_rows(path: Path) -> Iterator[tuple[int, list[str]] | RowError]:
    """The rows of a CSV file with their spreadsheet row number (the header is row 1).

    Rows are counted as records, so a description spanning several lines is still one
    row, as a spreadsheet shows it. A file that cannot be opened, is not UTF-8 text or is
    not CSV yields one RowError and ends; entirely blank rows are skipped.
    """
    source = path.name
    row_number = 0
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):
                row_number += 1
                if not any(cell.strip() for cell in row):
                    continue
                yield row_number, row
    except UnicodeDecodeError:
        yield RowError(
            row=row_number + 1,
            column=None,
            reason="the file is not UTF-8 text; export or save it again as UTF-8 CSV",
            source=source,
        )
    except csv.Error as error:
        # Python's csv module refuses cells over 128 KiB (csv.field_size_limit); that limit
        # is process-wide and other importers rely on it, so it is reported, not raised.
        yield RowError(
            row=row_number + 1, column=None, reason=f"not readable as CSV: {error}", source=source
        )
    except OSError as error:
        yield RowError(
            row=None, column=None, reason=f"cannot read the file: {error.strerror}", source=source
        )


def missing_columns_errors(
    header: CsvHeader, required: Iterable[tuple[str, ...]], source: str
) -> list[RowError]:
    """A row-1 error for each required column (any of its spellings) the header lacks."""
    return [
        RowError(
            row=HEADER_ROW,
            column=spellings[0],
            reason=f"the file has no '{spellings[0]}' column"
            + (f" (also looked for: {', '.join(spellings[1:])})" if len(spellings) > 1 else ""),
            source=source,
        )
        for spellings in required
        if header.find(*spellings) is None
    ]


def split_list(text: str, separator: str = ",") -> list[str]:
    """'Bug, Frontend,,' -> ['Bug', 'Frontend']; repeats dropped, order kept."""
    values: list[str] = []
    for part in text.split(separator):
        value = part.strip()
        if value and value not in values:
            values.append(value)
    return values


# --- dates -------------------------------------------------------------------------------

# Jira writes dates in the exporting user's format; these are the ones it offers.
TRACKER_DATE_FORMATS = (
    "%d/%b/%y %I:%M %p",  # 3/Nov/20 12:17 PM (Jira's default)
    "%d/%b/%y %H:%M",  # 03/Nov/20 12:17
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%Y %H:%M",
    "%Y-%m-%d %H:%M",  # 2020-11-03 12:17
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d/%b/%y",
    "%Y-%m-%d",
)
# Linear (and other JavaScript tools) sometimes write Date.toString():
# "Mon Jan 15 2024 10:23:45 GMT+0100 (Central European Standard Time)"
JS_DATE = re.compile(
    r"^\w{3} (\w{3} \d{1,2} \d{4} \d{2}:\d{2}:\d{2}) GMT([+-]\d{4})(?: \(.*\))?$", re.ASCII
)


def parse_datetime(text: str, formats: Sequence[str] = ()) -> datetime | None:
    """A timezone-aware datetime from a tracker's date text; None for an empty cell.

    Tries `formats` first (a mapping file's), then ISO 8601 (with 'Z' or an offset),
    JavaScript's Date.toString() and Jira's export formats. A date without a timezone
    is taken as UTC: CSV exports do not say which zone they were written in.
    Raises ValueError naming the text when nothing fits.
    """
    text = text.strip()
    if not text:
        return None
    parsed = _parse_naive_or_aware(text, formats)
    if parsed is None:
        raise ValueError(f"'{_shorten(text)}' is not a date this importer understands")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def _parse_naive_or_aware(text: str, formats: Sequence[str]) -> datetime | None:
    for date_format in formats:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            pass
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        pass
    js = JS_DATE.match(text)
    if js:
        try:
            return datetime.strptime(f"{js.group(1)} {js.group(2)}", "%b %d %Y %H:%M:%S %z")
        except ValueError:
            return None
    for date_format in TRACKER_DATE_FORMATS:
        try:
            return datetime.strptime(text, date_format)
        except ValueError:
            pass
    return None


def parse_number(text: str) -> float | None:
    """Story points or an estimate: '3', '2.5', '2,5'; None for an empty cell."""
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"'{_shorten(text)}' is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"'{_shorten(text)}' is not a number")
    return value


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- names -------------------------------------------------------------------------------

TYPE_NAMES = {
    FEATURE: (
        "story",
        "user story",
        "feature",
        "new feature",
        "feature request",
        "improvement",
        "enhancement",
        "requirement",
    ),
    BUG: ("bug", "defect", "bug report", "regression"),
    INCIDENT: ("incident", "outage", "problem", "production incident"),
    TASK: ("task", "chore", "technical task", "spike"),
    EPIC: ("epic",),
    SUBTASK: ("sub-task", "subtask", "sub task", "sub-bug"),
}
TYPE_BY_NAME = {name: item_type for item_type, names in TYPE_NAMES.items() for name in names}


def normalize_type(name: str) -> str:
    """Jira's 'Story', GitHub's 'enhancement', a sheet's 'Defect' -> an ItemType value.

    A name nobody recognizes becomes 'other'; the importer keeps the original alongside.
    """
    return TYPE_BY_NAME.get(" ".join(name.split()).casefold(), OTHER)


def type_from_labels(labels: Iterable[str]) -> tuple[str, str]:
    """The (type, label) of the first label naming a type, or (OTHER, '') when none does."""
    for label in labels:
        item_type = normalize_type(label.split(":")[-1])
        if item_type != OTHER:
            return item_type, label
    return OTHER, ""


DONE_STATUSES = {
    "done",
    "closed",
    "resolved",
    "complete",
    "completed",
    "released",
    "shipped",
    "won't do",
    "wont do",
    "won't fix",
    "canceled",
    "cancelled",
    "duplicate",
    "rejected",
    "declined",
}
IN_PROGRESS_STATUSES = {
    "in progress",
    "in review",
    "review",
    "code review",
    "in development",
    "testing",
    "in testing",
    "qa",
    "in qa",
    "started",
    "doing",
    "wip",
    "blocked",
}
STATUS_CATEGORY_NAMES = {
    "to do": TODO,
    "todo": TODO,
    "new": TODO,
    "open": TODO,
    "in progress": IN_PROGRESS,
    "indeterminate": IN_PROGRESS,
    "done": DONE,
    "complete": DONE,
}


def status_category_from_name(status: str) -> str:
    """Infer the category when a source gives only the status name; unknown -> to do."""
    name = " ".join(status.replace("-", " ").split()).casefold()
    if name in DONE_STATUSES:
        return DONE
    if name in IN_PROGRESS_STATUSES:
        return IN_PROGRESS
    return TODO


def normalize_status_category(category: str) -> str | None:
    """Jira's 'To Do' / 'In Progress' / 'Done' column -> a StatusCategory value, or None."""
    return STATUS_CATEGORY_NAMES.get(" ".join(category.replace("_", " ").split()).casefold())


RESOLUTION_NAMES = {
    RESOLVED_DONE: ("done", "fixed", "resolved", "complete", "completed", "implemented"),
    WONT_DO: (
        "won't do",
        "wont do",
        "won't fix",
        "wont fix",
        "not planned",
        "declined",
        "rejected",
        "obsolete",
        "canceled",
        "cancelled",
        "abandoned",
    ),
    DUPLICATE: ("duplicate", "duplicated"),
}
RESOLUTION_BY_NAME = {name: value for value, names in RESOLUTION_NAMES.items() for name in names}


def normalize_resolution(resolution: str) -> str:
    """'Won't Fix' -> "won't do", 'Fixed' -> 'done'; other resolutions lower-cased as given."""
    name = " ".join(resolution.replace("’", "'").split()).casefold()
    if name in ("unresolved", "none"):
        return ""
    return RESOLUTION_BY_NAME.get(name, name)


class SprintsSeen:
    """Yields each sprint once per import, however many items name it."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def new(self, sprints: Iterable[SprintRecord]) -> Iterator[SprintRecord]:
        for sprint in sprints:
            if sprint.source_id not in self._seen:
                self._seen.add(sprint.source_id)
                yield sprint
