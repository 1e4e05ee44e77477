"""The one CSV header reader: which known column sits where, found the same way for
every file (delimiter, case, spaces and dashes, aliases)."""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

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
