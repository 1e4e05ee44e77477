"""Tables as CSV and XLSX: read back, typed, and safe against formulas."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from xml.etree import ElementTree

from django.test import SimpleTestCase

from productops.imports.tables import csv_lines, table_download, write_xlsx, write_xlsx_sheets

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
HEADER = ["Name", "Direct reports", "Since", "Note"]
ROWS = [
    ["Freya Costa", 40, datetime.date(2024, 3, 1), '=HYPERLINK("http://evil.example")'],
    ["Marco Manager", 2.5, datetime.date(2025, 1, 15), None],
]


def read_xlsx(data: bytes) -> dict[str, object]:
    """The first sheet as {cell reference: value}, plus its column widths and panes."""
    book = zipfile.ZipFile(io.BytesIO(data))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in book.namelist():
        strings = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in strings]
    sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    cells: dict[str, object] = {}
    for cell in sheet.iter(f"{MAIN}c"):
        kind = cell.get("t")
        value = cell.find(f"{MAIN}v")
        inline = cell.find(f"{MAIN}is")
        if cell.find(f"{MAIN}f") is not None:
            cells[cell.get("r", "")] = ("formula", cell.find(f"{MAIN}f").text)  # type: ignore[union-attr]
        elif kind == "s" and value is not None:
            cells[cell.get("r", "")] = shared[int(value.text or "0")]
        elif kind == "inlineStr" and inline is not None:
            cells[cell.get("r", "")] = "".join(t.text or "" for t in inline.iter(f"{MAIN}t"))
        elif value is not None:
            cells[cell.get("r", "")] = ("number", float(value.text or "0"), cell.get("s"))
    cells["_widths"] = [float(c.get("width", "0")) for c in sheet.iter(f"{MAIN}col")]
    pane = sheet.find(f".//{MAIN}pane")
    cells["_frozen"] = None if pane is None else (pane.get("ySplit"), pane.get("state"))
    cells["_styles"] = book.read("xl/styles.xml").decode()
    return cells


def excel_serial(day: datetime.date) -> float:
    return float((day - datetime.date(1899, 12, 30)).days)


class TableAsCsv(SimpleTestCase):
    def test_header_and_rows_read_back(self) -> None:
        rows = list(csv.reader(io.StringIO("".join(csv_lines(HEADER, ROWS)))))
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(rows[1][:3], ["Freya Costa", "40", "2024-03-01"])
        self.assertEqual(rows[2], ["Marco Manager", "2.5", "2025-01-15", ""])

    def test_a_cell_that_begins_like_a_formula_is_written_as_text(self) -> None:
        rows = list(csv.reader(io.StringIO("".join(csv_lines(HEADER, ROWS)))))
        self.assertEqual(rows[1][3], '\'=HYPERLINK("http://evil.example")')
        negative = list(csv.reader(io.StringIO("".join(csv_lines(["n"], [[-3], ["-3"]])))))
        self.assertEqual(negative[1], ["-3"])  # a number is not a formula
        self.assertEqual(negative[2], ["'-3"])  # text that looks like one is neutralized

    def test_the_download_is_streamed_as_an_attachment(self) -> None:
        response = table_download("csv", "org audit", HEADER, iter(ROWS))
        self.assertTrue(response.streaming)
        self.assertEqual(response["Content-Disposition"], 'attachment; filename="org-audit.csv"')
        body = b"".join(response.streaming_content).decode()  # type: ignore[union-attr]
        self.assertIn("Freya Costa", body)

    def test_an_unknown_format_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            table_download("ods", "people", HEADER, ROWS)


class TableAsXlsx(SimpleTestCase):
    def setUp(self) -> None:
        out = io.BytesIO()
        self.count = write_xlsx(out, HEADER, ROWS, sheet_name="People")
        self.cells = read_xlsx(out.getvalue())

    def test_the_header_and_text_read_back(self) -> None:
        self.assertEqual(self.count, 2)
        self.assertEqual([self.cells[f"{c}1"] for c in "ABCD"], HEADER)
        self.assertEqual(self.cells["A2"], "Freya Costa")
        self.assertEqual(self.cells["A3"], "Marco Manager")
        self.assertNotIn("D3", self.cells)  # an empty cell stays empty

    def test_numbers_are_numbers_and_dates_are_dates(self) -> None:
        self.assertEqual(self.cells["B2"][:2], ("number", 40.0))  # type: ignore[index]
        self.assertEqual(self.cells["B3"][:2], ("number", 2.5))  # type: ignore[index]
        date_cell = self.cells["C2"]
        self.assertEqual(date_cell[:2], ("number", excel_serial(datetime.date(2024, 3, 1))))  # type: ignore[index]
        self.assertIsNotNone(date_cell[2])  # type: ignore[index]
        self.assertIn('formatCode="yyyy-mm-dd"', self.cells["_styles"])  # type: ignore[operator]

    def test_a_formula_like_text_is_stored_as_text_not_formula(self) -> None:
        self.assertEqual(self.cells["D2"], '=HYPERLINK("http://evil.example")')
        self.assertFalse(
            any(isinstance(v, tuple) and v[0] == "formula" for v in self.cells.values())
        )

    def test_header_is_bold_and_frozen_and_columns_fit(self) -> None:
        self.assertEqual(self.cells["_frozen"], ("1", "frozen"))
        self.assertIn("<b/>", self.cells["_styles"])  # type: ignore[operator]
        widths = self.cells["_widths"]
        self.assertEqual(len(widths), 4)  # type: ignore[arg-type]
        self.assertGreaterEqual(widths[0], len("Marco Manager"))  # type: ignore[index]
        self.assertGreaterEqual(widths[1], len("Direct reports"))  # type: ignore[index]
        self.assertTrue(all(6 <= w <= 61 for w in widths))  # type: ignore[union-attr]

    def test_a_long_sheet_is_written_in_constant_memory(self) -> None:
        out = io.BytesIO()
        rows = ([f"Person {n}", n] for n in range(20_000))
        self.assertEqual(write_xlsx(out, ["Name", "n"], rows), 20_000)
        cells = read_xlsx(out.getvalue())
        self.assertEqual(cells["A20001"], "Person 19999")
        self.assertEqual(cells["B20001"][:2], ("number", 19999.0))  # type: ignore[index]

    def test_the_download_is_a_file_response(self) -> None:
        response = table_download("xlsx", "people", HEADER, ROWS)
        self.assertIn('filename="people.xlsx"', response["Content-Disposition"])
        data = b"".join(response.streaming_content)  # type: ignore[arg-type]
        # close the temporary file itself: response.close() would signal a request's end
        response.file_to_stream.close()  # type: ignore[union-attr]
        self.assertEqual(read_xlsx(data)["A2"], "Freya Costa")


class ShownNumbers(SimpleTestCase):
    def test_a_printed_number_becomes_a_number_and_other_text_stays(self) -> None:
        from productops.imports.tables import shown_number

        self.assertEqual(shown_number("4"), 4)
        self.assertEqual(shown_number("+0.67"), 0.67)
        self.assertEqual(shown_number("\u22121"), -1)
        for text in ("—", "2.67 (3 or more)", "", "1.2.3", "+"):
            self.assertEqual(shown_number(text), text)


RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read_xlsx_sheets(data: bytes) -> dict[str, dict[str, object]]:
    """Every sheet by name, in the workbook's order, each read as `read_xlsx` reads the
    first: the sheet's part is copied in as sheet1 of a new archive and read the same way."""
    book = zipfile.ZipFile(io.BytesIO(data))
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{PACKAGE_RELS}Relationship")
    }
    sheets: dict[str, dict[str, object]] = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        part = "xl/" + targets[sheet.get(f"{RELS}id")].removeprefix("/xl/")
        copy = io.BytesIO()
        with zipfile.ZipFile(copy, "w") as single:
            for name in book.namelist():
                if name == "xl/worksheets/sheet1.xml":
                    continue
                single.writestr(name, book.read(name))
            single.writestr("xl/worksheets/sheet1.xml", book.read(part))
        sheets[sheet.get("name", "")] = read_xlsx(copy.getvalue())
    return sheets


def sheet_rows(cells: dict[str, object]) -> list[list[object]]:
    """A sheet read by `read_xlsx` as rows of values (numbers as floats), header first."""
    by_row: dict[int, dict[int, object]] = {}
    for ref, value in cells.items():
        match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        if not match:
            continue
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        shown = value[1] if isinstance(value, tuple) else value
        by_row.setdefault(int(match.group(2)), {})[column] = shown
    width = max((max(row) for row in by_row.values()), default=0)
    return [
        [by_row[number].get(column) for column in range(1, width + 1)] for number in sorted(by_row)
    ]


class SeveralTablesInOneWorkbook(SimpleTestCase):
    def test_each_table_is_a_sheet_written_as_write_xlsx_writes_one(self) -> None:
        out = io.BytesIO()
        counts = write_xlsx_sheets(
            out,
            [
                ("People", HEADER, ROWS),
                ("Spans: managers?", ["Manager", "Direct reports"], iter([["Freya Costa", 17]])),
            ],
        )
        self.assertEqual(counts, [2, 1])
        sheets = read_xlsx_sheets(out.getvalue())
        self.assertEqual(list(sheets), ["People", "Spans_ managers_"])
        alone = io.BytesIO()
        write_xlsx(alone, HEADER, ROWS, sheet_name="People")
        self.assertEqual(sheet_rows(sheets["People"]), sheet_rows(read_xlsx(alone.getvalue())))
        spans = sheets["Spans_ managers_"]
        self.assertEqual(sheet_rows(spans), [["Manager", "Direct reports"], ["Freya Costa", 17.0]])
        self.assertEqual(spans["_frozen"], ("1", "frozen"))
        self.assertEqual(sheets["People"]["D2"], '=HYPERLINK("http://evil.example")')

    def test_two_tables_with_one_sheet_name_are_refused_before_writing(self) -> None:
        out = io.BytesIO()
        with self.assertRaisesRegex(ValueError, "share the sheet name"):
            write_xlsx_sheets(out, [("Gaps", HEADER, ROWS), ("gaps", HEADER, ROWS)])
        self.assertEqual(out.getvalue(), b"")

    def test_a_workbook_of_no_rows_still_has_its_headers(self) -> None:
        out = io.BytesIO()
        self.assertEqual(write_xlsx_sheets(out, [("Empty", HEADER, [])]), [0])
        self.assertEqual(sheet_rows(read_xlsx_sheets(out.getvalue())["Empty"]), [HEADER])
