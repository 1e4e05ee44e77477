"""What an import says about its input: row errors, parse results, the report."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Record = TypeVar("Record")

SHOWN_CHARS = 80  # an echoed value is cut to about this many characters
REASON_CHARS = 600  # a reason longer than this was built around an uncut value


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value from the input as an error message echoes it: one line, cut to about
    `limit` characters, with how long it really is when cut (a 100,000-character key is
    named, never printed)."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


def nested_too_deep(kind: str = "JSON") -> str:
    """The sentence for a document nested deeper than Python's parsers go (instead of
    "maximum recursion depth exceeded")."""
    return (
        f"the {kind} is nested deeper than {sys.getrecursionlimit():,} levels, deeper than any "
        "export productops reads; is this the right file?"
    )


@dataclass(frozen=True)
class RowError:
    """One problem in the input, placed precisely enough to fix it."""

    row: int | None  # 1-based line in the file as a spreadsheet shows it (header = 1)
    column: str | None
    reason: str
    source: str = ""  # file name, when an import reads several
    key: str = ""  # the record's own key (an email, an issue key), when known

    def __post_init__(self) -> None:
        # A safety net under `shown()`: an uncut value never reaches a page or a terminal.
        if len(self.reason) > REASON_CHARS:
            object.__setattr__(self, "reason", shown(self.reason, REASON_CHARS))
        if len(self.key) > SHOWN_CHARS:
            object.__setattr__(self, "key", shown(self.key))
        if self.column and len(self.column) > SHOWN_CHARS:
            object.__setattr__(self, "column", shown(self.column))

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        if self.key:
            where.append(f"({self.key})")
        prefix = ", ".join(where) if where else "input"
        return f"{prefix}: {self.reason}"


@dataclass(frozen=True)
class RowWarning(RowError):
    """Something a record lacks that the analysis can live without (an empty title, a
    change without an author): the record is imported, and the warning says what is
    missing and what productops did instead. Never an error: `ImportReport.errors` holds
    none, and no warning stops a file or skips a row.

    A reader yields it like a `RowError`; check `isinstance(x, RowWarning)` first, since
    a warning is a RowError by shape (the same place and words)."""


@dataclass
class ParseResult(Generic[Record]):
    records: list[Record] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # the rows that produced each error, so skip_invalid can drop whole rows
    bad_rows: set[int] = field(default_factory=set)

    def add_error(self, error: RowError) -> None:
        self.errors.append(error)
        if error.row is not None:
            self.bad_rows.add(error.row)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False
    warnings: list[RowWarning] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self, skip_hint: str | None = None) -> str:
        """One sentence on what happened. When nothing was written, `skip_hint` is how the
        person can write the good rows where they are (`cli_skip_hint`, `form_skip_hint`,
        `API_SKIP_HINT`); None when there is no such way (the run already skipped the bad
        rows, or the source is all or nothing)."""
        if not self.written:
            text = f"Nothing was written: {len(self.errors)} problem(s) found. Fix them and import again"
            if skip_hint:
                text += f", or {skip_hint} to write the good rows"
            return text + "."
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.skipped:
            text += f", {self.skipped} row(s) skipped because of errors"
        return text + "."


API_SKIP_HINT = "send skip_invalid=true"


def cli_skip_hint(*, used: bool) -> str | None:
    """The advice of a command: `--skip-invalid`, unless this run already had it."""
    return None if used else "run it again with --skip-invalid"


def form_skip_hint(label: object, *, used: bool) -> str | None:
    """The advice of an upload page: tick its checkbox (named by its label), unless it
    was ticked."""
    return None if used else f"upload it again with “{label}” ticked"


class ImportRejected(Exception):
    """Raised inside the import transaction to roll it back; carries the report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


class UnreadableFile(Exception):
    """A file that cannot be read as UTF-8 text; the message says why and what to do."""
