"""The one CSV header reader: which known column sits where, found the same way for
every file (delimiter, case, spaces and dashes, aliases).

Two shapes of header: `CsvColumns`, for a file whose columns an import names (each once,
other columns ignored), and `RepeatedColumns` (`read_repeated_header`), for a tracker
export whose columns are the tracker's and where one name may come several times (Jira
writes one "Labels" or "Sprint" column per value).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from productops.imports.errors import RowError

ErrorSink = Callable[[int | None, str | None, str], None]  # (row, column, reason)
_HEADER_SEPARATORS = re.compile(r"[\s\-.]+")


@dataclass(frozen=True)
class CsvColumns:
    """The columns a CSV import knows, and how its header row is read.

    Headers compare without case, spaces, dashes or dots ("Manager e-mail" is
    `manager_email`), then through `aliases`; other columns are ignored. `required_note`
    ends the "missing column" error, e.g. "(only name and email are required)"; an
    import whose users know another sentence gives `missing_message` (the missing names
    -> the reason). A column given twice is an error, unless `first_of_repeated` says
    the first one counts (a spreadsheet with a copied column).
    """

    columns: tuple[str, ...]
    required: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    required_note: str = ""
    header_row: int = 1
    missing_message: Callable[[list[str]], str] | None = None
    first_of_repeated: bool = False

    def name(self, header: str) -> str:
        name = _HEADER_SEPARATORS.sub("_", header.strip().lower()).strip("_*")
        return self.aliases.get(name, name)

    def guess_delimiter(self, header_line: str) -> str:
        """The one of , ; or tab that finds the most known columns (Excel writes ';'
        between cells where the decimal mark is a comma)."""
        best, best_score = ",", -1
        for delimiter in (",", ";", "\t"):
            try:
                cells = next(csv.reader([header_line], delimiter=delimiter), [])
            except csv.Error:  # a header cell over the csv module's limit: no column here
                continue
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
                if self.first_of_repeated:
                    continue
                repeated.append(f"{name} (columns {found[name] + 1} and {index + 1})")
            else:
                found[name] = index
        missing = [column for column in self.required if column not in found]
        if missing and self.missing_message is not None:
            error(self.header_row, None, self.missing_message(missing))
        elif missing:
            error(
                self.header_row,
                None,
                f"missing required column(s): {', '.join(missing)}. Row 1 must be a header "
                f"naming the columns: {', '.join(self.columns)} {self.required_note}".rstrip(),
            )
        if repeated:
            error(self.header_row, None, f"column(s) given twice: {'; '.join(repeated)}")
        return None if missing or repeated else found


# --- headers with repeated columns (tracker exports) -----------------------------------


def normalized_header(name: str) -> str:
    """A header compared without case, surrounding spaces or a BOM: 'Issue key ' == 'issue key'."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


@dataclass
class RepeatedColumns:
    """Where each column is, allowing the same name several times (Jira repeats them)."""

    names: list[str]
    positions: dict[str, list[int]] = field(default_factory=dict)

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

    def missing(
        self, required: Iterable[tuple[str, ...]], source: str, header_row: int = 1
    ) -> list[RowError]:
        """An error on the header row for each required column (any of its spellings,
        the first named) the header lacks."""
        return [
            RowError(
                row=header_row,
                column=spellings[0],
                reason=f"the file has no '{spellings[0]}' column"
                + (f" (also looked for: {', '.join(spellings[1:])})" if len(spellings) > 1 else ""),
                source=source,
            )
            for spellings in required
            if self.find(*spellings) is None
        ]


def read_repeated_header(cells: list[str]) -> RepeatedColumns:
    """The header row of a tracker export: every column, repeated names kept."""
    header = RepeatedColumns(names=[name.strip() for name in cells])
    for index, name in enumerate(cells):
        header.positions.setdefault(normalized_header(name), []).append(index)
    return header
