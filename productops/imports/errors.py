"""What an import says about its input: row errors, parse results, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

Record = TypeVar("Record")


@dataclass(frozen=True)
class RowError:
    """One problem in the input, placed precisely enough to fix it."""

    row: int | None  # 1-based line in the file as a spreadsheet shows it (header = 1)
    column: str | None
    reason: str
    source: str = ""  # file name, when an import reads several
    key: str = ""  # the record's own key (an email, an issue key), when known

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

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if not self.written:
            return (
                f"Nothing was written: {len(self.errors)} problem(s) found. "
                "Fix them and import again, or import with skip-invalid to write the good rows."
            )
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.skipped:
            text += f", {self.skipped} row(s) skipped because of errors"
        return text + "."


class ImportRejected(Exception):
    """Raised inside the import transaction to roll it back; carries the report."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


class UnreadableFile(Exception):
    """A file that cannot be read as UTF-8 text; the message says why and what to do."""
