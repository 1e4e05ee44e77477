"""The one CSV row reader: records numbered as a spreadsheet numbers them, and a cell
too long for Python's csv module reported with its row and column instead of raised.

Python's csv module refuses a cell over `csv.field_size_limit()` characters (128 KiB)
with `_csv.Error`. That limit is process-wide and protects every import from a quote
that is never closed in a large file, so it stays; `CsvRows` turns the refusal into an
error on that row and column, skips the rest of that record and reads on from the next
one:

    rows = CsvRows(text, delimiter=COLUMNS.guess_delimiter(first_line(text)), error=error)
    columns = rows.header(COLUMNS)  # row 1 through CsvColumns.read_header
    if columns is None:
        return None
    for row, cells in rows:
        ...
    if rows.broken:  # quoting so far off that nothing after it can be trusted
        return None

`error` is an `ErrorSink` (row, column, reason). Rows count records, not lines: a cell
spanning several lines is still one row, as a spreadsheet shows it. The header is row 1.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator

from productops.imports.csv_header import CsvColumns, ErrorSink
from productops.imports.errors import shown


def first_line(text: str) -> str:
    """The first line of a text, for `CsvColumns.guess_delimiter`."""
    end = len(text)
    for newline in ("\n", "\r"):
        found = text.find(newline)
        if found != -1:
            end = min(end, found)
    return text[:end]


def too_long_reason(limit: int | None = None) -> str:
    limit = csv.field_size_limit() if limit is None else limit
    return (
        f"the cell is longer than {limit:,} characters, more than a cell of a CSV file may "
        "hold here; if it should be shorter, check the quotes before it (a quote that is "
        "never closed runs on into the next rows)"
    )


class _Lines:
    """The source's lines, keeping those of the record being read (to find, after an
    overlong cell, which column it was and where the record ends)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.kept: list[str] = []
        self.keep = True

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        if self.keep:
            self.kept.append(line)
        return line

    def new_record(self) -> None:
        self.kept = []


class CsvRows:
    """The records of a CSV text (or of a file's lines), with their row numbers."""

    def __init__(
        self, source: str | Iterable[str], *, error: ErrorSink, delimiter: str = ","
    ) -> None:
        lines = io.StringIO(source, newline="") if isinstance(source, str) else source
        self._lines = _Lines(lines)
        self._error = error
        self.delimiter = delimiter
        self.row = 0  # the records read so far; the last one's row number
        self.broken = False  # reading stopped at a record that cannot be read at all
        self.overlong_rows: list[int] = []  # rows reported for a cell over the limit
        self.column_names: dict[int, str] = {}
        self._reader = csv.reader(self._lines, delimiter=delimiter)

    def header(self, columns: CsvColumns) -> dict[str, int] | None:
        """Row 1 read by `columns` (column name -> index); None (reported) when it is
        missing, unreadable or lacks a required column."""
        cells = next(iter(self), None)
        if cells is None:
            if self.row == 0:  # an empty file: read_header says which columns it needs
                return columns.read_header([], self._error)
            return None  # row 1 could not be read, and that was reported
        row, header = cells
        if row != 1:
            return None  # row 1 was unreadable and reported; no later row is a header
        found = columns.read_header(header, self._error)
        if found is not None:
            self.column_names = {index: name for name, index in found.items()}
        return found

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while not self.broken:
            self._lines.new_record()
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as problem:
                self.row += 1
                if "field larger than field limit" not in str(problem):
                    self.broken = True
                    self._error(
                        None,
                        None,
                        f"row {self.row} cannot be read as CSV ({problem}); check its quotes",
                    )
                    return
                index = self._skip_overlong_record()
                column = None if index is None else self._column_name(index)
                self.overlong_rows.append(self.row)
                self._error(self.row, column, too_long_reason())
                self._reader = csv.reader(self._lines, delimiter=self.delimiter)
                continue
            self.row += 1
            if self.row == 1 and not self.column_names:
                self.column_names = {
                    index: shown(name.strip().lstrip("\ufeff")) for index, name in enumerate(cells)
                }
            yield self.row, cells

    def _column_name(self, index: int) -> str:
        return self.column_names.get(index) or str(index + 1)

    def _skip_overlong_record(self) -> int | None:
        """Read the rest of a record whose cell was too long; the index of that cell."""
        kept, self._lines.keep = self._lines.kept, False
        try:
            return _scan_record(
                itertools.chain(kept, self._lines), self.delimiter, csv.field_size_limit()
            )
        finally:
            self._lines.keep = True


def _scan_record(lines: Iterable[str], delimiter: str, limit: int) -> int | None:
    """Follow one record the way the csv module's default dialect reads it, consuming
    `lines` to the record's end; returns the index of its first cell over `limit`
    characters (None if none is).

    Quoted cells may span lines; a doubled quote inside one is a quote; a quote inside
    an unquoted cell is text.
    """
    special = re.compile("[" + re.escape(delimiter) + '"\r\n]')
    column, length, at_start, quoted = 0, 0, True, False
    overlong: int | None = None
    for line in lines:
        at, end = 0, len(line)
        while at < end:
            if quoted:
                quote = line.find('"', at)
                if quote < 0:
                    length += end - at
                    at = end
                elif quote + 1 < end and line[quote + 1] == '"':
                    length += quote - at + 1
                    at = quote + 2
                else:
                    length += quote - at
                    at = quote + 1
                    quoted = False
            else:
                found = special.search(line, at)
                if found is None:
                    length += end - at
                    at = end
                    at_start = at_start and length == 0
                else:
                    length += found.start() - at
                    at = found.end()
                    char = found.group()
                    if length:
                        at_start = False
                    if char == '"' and at_start:
                        quoted, at_start = True, False
                    elif char == '"':
                        length += 1
                    else:
                        if overlong is None and length > limit:
                            overlong = column
                        if char != delimiter:
                            return overlong  # the end of the record
                        column, length, at_start = column + 1, 0, True
            if overlong is None and length > limit:
                overlong = column
    return overlong
