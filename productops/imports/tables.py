"""A table a page shows (a header and rows), as a CSV or an XLSX download.

CSV cells go through `csv_cells.safe_row`, so a cell that begins like a formula is
written as text. XLSX cells keep their type: numbers are numbers, dates are dates, and
text is written with `write_string`, which a spreadsheet never runs as a formula.

The CSV is streamed a row at a time. The XLSX is written by XlsxWriter in
`constant_memory` mode (one row in memory at a time) to a temporary file, which is then
sent as a FileResponse and removed when the response closes.

A page's view builds its rows through its own visibility helper and hands them here:
`table_download(format, name, header, rows)`, with `format` taken from `?format=`.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from xlsxwriter.exceptions import FileCreateError

from productops.imports.csv_cells import safe_row

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIN_WIDTH = 6
MAX_WIDTH = 60
# Column widths are measured on the first rows only: constant_memory writes rows as they
# come, and a width must be set before the column's first cell is written.
WIDTH_SAMPLE = 200


def requested_format(request: HttpRequest) -> str | None:
    """`csv` or `xlsx` when the query asks for a download, else None (show the page)."""
    value = request.GET.get("format", "")
    return value if value in FORMATS else None


def shown_number(text: str) -> int | float | str:
    """A number a page printed as text ("2.33", "+1.5", "-3") back as a number for a
    spreadsheet; anything else ("—", "3 or more") stays the text it was."""
    candidate = text.strip().replace("\u2212", "-")
    if not candidate or not candidate.lstrip("+-").replace(".", "", 1).isdigit():
        return text
    return float(candidate) if "." in candidate else int(candidate)


class _Echo:
    """A file-like object whose write returns the line, for a streamed csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The table as CSV lines, every cell neutralized against formulas."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow(safe_row(header))
    for row in rows:
        yield writer.writerow(safe_row(_csv_value(value) for value in row))


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_xlsx(
    target: str | IO[bytes],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sheet_name: str = "Table",
) -> int:
    """Write the table as one sheet of an XLSX workbook; returns the number of data rows.

    Header bold and frozen, column widths from the header and the first rows, numbers
    as numbers, dates as dates, any text as text (never a formula)."""
    return write_xlsx_sheets(target, [(sheet_name, header, rows)])[0]


def write_xlsx_sheets(
    target: str | IO[bytes],
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> list[int]:
    """Write several tables into one workbook, a sheet each, in the order given, every
    sheet written as `write_xlsx` writes its one; returns each sheet's number of data rows.

    Sheet names are cleaned as Excel requires (no `[]:*?/\\`, 31 characters at most);
    two tables whose cleaned names collide raise ValueError before anything is written
    to `target`."""
    tables = list(sheets)
    names = [_sheet_name(name) for name, _, _ in tables]
    lowered = [name.lower() for name in names]
    shared = sorted({name for name in names if lowered.count(name.lower()) > 1})
    if shared:
        # Excel compares sheet names ignoring case
        raise ValueError(f"two tables would share the sheet name {shared[0]!r}")
    workbook = xlsxwriter.Workbook(
        target,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    try:
        formats = _CellFormats(
            bold=workbook.add_format({"bold": True}),
            date=workbook.add_format({"num_format": "yyyy-mm-dd"}),
            datetime=workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        )
        counts = [
            _write_sheet(workbook.add_worksheet(name), formats, header, rows)
            for name, (_, header, rows) in zip(names, tables, strict=True)
        ]
    finally:
        _close(workbook)
    return counts


@dataclass(frozen=True)
class _CellFormats:
    bold: Any
    date: Any
    datetime: Any


def _write_sheet(
    sheet: Any, formats: _CellFormats, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    sheet.freeze_panes(1, 0)
    iterator = iter(rows)
    sample: list[Sequence[Any]] = []
    for row in iterator:
        sample.append(row)
        if len(sample) >= WIDTH_SAMPLE:
            break
    for column, title in enumerate(header):
        widest = max(
            [len(str(title))] + [_display_width(row[column]) for row in sample if column < len(row)]
        )
        sheet.set_column(column, column, min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))
    for column, title in enumerate(header):
        sheet.write_string(0, column, str(title), formats.bold)

    count = 0
    for row in _chain(sample, iterator):
        count += 1
        for column, value in enumerate(row):
            _write_cell(sheet, count, column, value, formats.date, formats.datetime)
    return count


def _close(workbook: xlsxwriter.Workbook) -> None:
    """Close the workbook; a file that cannot be created is an OSError, as for open()."""
    try:
        workbook.close()
    except FileCreateError as error:
        cause = error.args[0] if error.args else None
        raise cause if isinstance(cause, OSError) else OSError(str(error)) from None


def _chain(first: list[Sequence[Any]], rest: Iterator[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    yield from first
    yield from rest


def _write_cell(
    sheet: Any, row: int, column: int, value: Any, date_format: Any, datetime_format: Any
) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, column, float(value))
    elif isinstance(value, datetime.datetime):
        # Excel has no time zones: write the wall-clock time as it was shown.
        sheet.write_datetime(row, column, value.replace(tzinfo=None), datetime_format)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, value, date_format)
    else:
        sheet.write_string(row, column, str(value))


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in name).strip("'")
    return (cleaned or "Table")[:31]


def _filename(name: str, format: str) -> str:
    safe = "".join(char if char.isalnum() or char in "-_" else "-" for char in name)
    return f"{safe or 'table'}.{format}"


def csv_response(
    name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(name, "csv")}"'
    return response


def xlsx_response(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> FileResponse:
    # The temporary file is deleted when FileResponse closes it after sending.
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    write_xlsx(handle, header, rows, sheet_name=name)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=_filename(name, "xlsx"), content_type=XLSX_TYPE
    )


def table_download(
    format: str, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse | FileResponse:
    """The table as a download in `format` (`csv` or `xlsx`), named `name.<format>`."""
    if format == "xlsx":
        return xlsx_response(name, header, rows)
    if format == "csv":
        return csv_response(name, header, rows)
    raise ValueError(f"unknown table format {format!r}: use csv or xlsx")
