"""The small interface every importer shares.

An importer reads a source and returns validated records plus row-numbered errors; an
action then writes the records in one transaction. By default nothing is written when
any error was found; with `skip_invalid` the good records are written and the errors are
listed. A CSV importer names its columns with `CsvColumns`, which finds the delimiter and
reads the header the same way for every file (see docs/development.md).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

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


SAVE_AS_UTF8 = "In Excel use Save As and pick 'CSV UTF-8 (Comma delimited)'."


def read_upload_text(file: Any, *, max_bytes: int, size_hint: str) -> str:
    """The text of an uploaded file or a path, checked for size and encoding.

    `size_hint` finishes the too-large sentence ("5,000 people take about half a
    megabyte. Is this the right file?"). A UTF-8 byte order mark is kept for the caller's
    header handling. Raises UnreadableFile with a sentence that says what to do.
    """
    if isinstance(file, str | os.PathLike):
        try:
            with open(file, "rb") as opened:
                data: bytes | str = opened.read(max_bytes + 1)
        except OSError as problem:
            raise UnreadableFile(f"cannot read the file: {problem.strerror or problem}") from None
    else:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableFile(f"the file is larger than {max_bytes // 2**20} MB; {size_hint}")
    if isinstance(data, str):
        return data
    return decode_utf8(bytes(data))


def decode_utf8(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile(f"the file is UTF-16 text, not UTF-8. {SAVE_AS_UTF8}")
    if data.startswith(b"PK\x03\x04"):
        raise UnreadableFile(f"this looks like an Excel workbook, not a CSV file. {SAVE_AS_UTF8}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise UnreadableFile(
            f"the file is not UTF-8 text: line {line} has the byte 0x{data[problem.start]:02X}, "
            f"which UTF-8 does not allow. {SAVE_AS_UTF8}"
        ) from None


ErrorSink = Callable[[int | None, str | None, str], None]  # (row, column, reason)
_HEADER_SEPARATORS = re.compile(r"[\s\-.]+")


@dataclass(frozen=True)
class CsvColumns:
    """The columns a CSV import knows, and how its header row is read.

    Headers compare without case, spaces, dashes or dots ("Manager e-mail" is
    `manager_email`), then through `aliases`; other columns are ignored. `required_note`
    ends the "missing column" error, e.g. "(only name and email are required)".
    """

    columns: tuple[str, ...]
    required: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    required_note: str = ""
    header_row: int = 1

    def name(self, header: str) -> str:
        name = _HEADER_SEPARATORS.sub("_", header.strip().lower()).strip("_*")
        return self.aliases.get(name, name)

    def guess_delimiter(self, header_line: str) -> str:
        """The one of , ; or tab that finds the most known columns (Excel writes ';'
        between cells where the decimal mark is a comma)."""
        best, best_score = ",", -1
        for delimiter in (",", ";", "\t"):
            cells = next(csv.reader([header_line], delimiter=delimiter), [])
            score = sum(self.name(cell) in self.columns for cell in cells)
            if score > best_score:
                best, best_score = delimiter, score
        return best

    def read_header(self, cells: list[str], error: ErrorSink) -> dict[str, int] | None:
        """Column name -> its index; None (after reporting why) when one is missing or
        given twice."""
        found: dict[str, int] = {}
        repeated = []
        for index, cell in enumerate(cells):
            name = self.name(cell)
            if name not in self.columns:
                continue  # other columns of a spreadsheet are fine to ignore
            if name in found:
                repeated.append(f"{name} (columns {found[name] + 1} and {index + 1})")
            else:
                found[name] = index
        missing = [column for column in self.required if column not in found]
        if missing:
            error(
                self.header_row,
                None,
                f"missing required column(s): {', '.join(missing)}. Row 1 must be a header "
                f"naming the columns: {', '.join(self.columns)} {self.required_note}".rstrip(),
            )
        if repeated:
            error(self.header_row, None, f"column(s) given twice: {'; '.join(repeated)}")
        return None if missing or repeated else found
