"""The labels file: a sample a coach labelled by hand in a spreadsheet, read as CSV.

Columns: source, key, dimension (origin, kind or framing) and label. Each row becomes a
correction of that item's dimension. The whole file is checked before anything is
written, and every problem is reported with its row as a spreadsheet numbers it (the
header is row 1). Parsing writes nothing and does not touch the database; whether each
item exists is checked by `productops.backlog.actions.do_import_labels`. The text is
read by `productops.imports` (size and UTF-8 checked) and the header names compared as
every CSV import compares them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import IO

from productops.backlog.classification import DIMENSIONS, labels_for
from productops.backlog.models import Source
from productops.imports import ParseResult, RowError, UnreadableFile, read_upload_text, shown
from productops.imports.csv_header import CsvColumns
from productops.imports.csv_rows import CsvRows

HEADER_ROW = 1
FIRST_DATA_ROW = 2
COLUMNS = ("source", "key", "dimension", "label")
MAX_FILE_BYTES = 50 * 2**20
SIZE_HINT = "a labelled sample of thousands of items takes well under a megabyte."
LABEL_COLUMNS = CsvColumns(
    columns=COLUMNS,
    required=COLUMNS,
    header_row=HEADER_ROW,
    missing_message=lambda missing: (
        f"missing column(s) {', '.join(missing)}: the header must name {', '.join(COLUMNS)}"
    ),
    first_of_repeated=True,
)

LabelsFile = str | os.PathLike | IO[bytes] | IO[str]


@dataclass(frozen=True)
class LabelRow:
    row: int
    source: str
    key: str
    dimension: str
    label: str
    file: str = ""


def _text_of(file: LabelsFile) -> tuple[str, str]:
    """The file's text (without a byte order mark) and the name errors use; raises
    UnreadableFile saying why."""
    if isinstance(file, str | os.PathLike):
        name = os.path.basename(os.fspath(file))
    else:
        name = os.path.basename(str(getattr(file, "name", "") or ""))
    text = read_upload_text(file, max_bytes=MAX_FILE_BYTES, size_hint=SIZE_HINT)
    return text.lstrip("\ufeff"), name


def parse_labels_file(file: LabelsFile, *, source: str = "") -> ParseResult[LabelRow]:
    result: ParseResult[LabelRow] = ParseResult()
    try:
        text, name = _text_of(file)
    except UnreadableFile as error:
        result.add_error(RowError(None, None, str(error), source))
        return result
    source = source or name
    rows = CsvRows(
        text,
        error=lambda row, column, reason: result.add_error(RowError(row, column, reason, source)),
    )
    at = rows.header(LABEL_COLUMNS)
    if at is None:
        return result
    seen: dict[tuple[str, str, str], tuple[int, str]] = {}
    sources = set(Source.values)
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        values = {c: (cells[i].strip() if i < len(cells) else "") for c, i in at.items()}
        item_source = values["source"].lower()
        dimension = values["dimension"].lower()
        label = values["label"].lower().replace(" ", "_").replace("-", "_")
        key = values["key"]

        def problem(column: str, reason: str, row: int = number, key: str = key) -> None:
            result.add_error(RowError(row, column, reason, source, key))

        if item_source not in sources:
            problem(
                "source",
                f"'{shown(values['source'])}' is not a source: use {', '.join(sorted(sources))}",
            )
        if not key:
            problem("key", "the item key is empty")
        if dimension not in DIMENSIONS:
            problem(
                "dimension",
                f"'{shown(values['dimension'])}' is not a dimension: use {', '.join(DIMENSIONS)}",
            )
        elif label not in labels_for(dimension):
            allowed = ", ".join(labels_for(dimension))
            problem(
                "label", f"'{shown(values['label'])}' is not a label for {dimension}: use {allowed}"
            )
        if number in result.bad_rows:
            continue
        first = seen.setdefault((item_source, key, dimension), (number, label))
        if first[1] != label:
            problem("label", f"row {first[0]} gives this item's {dimension} another label")
            continue
        result.records.append(LabelRow(number, item_source, key, dimension, label, source))
    if rows.broken:  # the quoting is off: no row after it can be trusted
        result.records.clear()
    return result
