"""Every item with its origin, kind and framing, the reasons, and what set each label.

Written as CSV (one row per item, reasons joined in one cell; a cell that begins like a
spreadsheet formula gets a leading ', see `productops.imports.csv_cells`) or as JSON (an
array of objects, reasons as lists, values as they are) or as XLSX (one sheet, the CSV's
columns, written by `productops.imports.tables.write_xlsx` in constant memory). Rows are streamed from the database with `iterator()`, so
exporting 100,000 items holds a few thousand in memory at a time.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from io import TextIOBase
from typing import IO, Any, TextIO

from productops.backlog.classification import DIMENSIONS
from productops.backlog.models import Item
from productops.imports.csv_cells import safe_dict
from productops.imports.tables import write_xlsx as write_table_xlsx

ITEM_FIELDS = ("source", "key", "title", "type", "status", "status_category", "project")
FIELDS = ITEM_FIELDS + tuple(
    f"{dimension}{suffix}" for dimension in DIMENSIONS for suffix in ("", "_set_by", "_reasons")
)
FORMATS = ("csv", "json", "xlsx")
TEXT_FORMATS = ("csv", "json")


def exported_items(chunk_size: int = 2000) -> Iterator[dict[str, Any]]:
    rows = Item.objects.order_by("source", "key").values(*FIELDS)
    yield from rows.iterator(chunk_size=chunk_size)


def reasons_in_words(reasons: list[dict[str, Any]]) -> str:
    """ "reporter Otto Outsider is in sales (sales, 3); text mentions 'for the ACME deal' (sales, 2)"."""
    parts = []
    for r in reasons or []:
        weight = r.get("weight")
        weight_text = "" if weight is None else f", {weight:g}"
        parts.append(f"{r.get('text', '')} ({r.get('label', '')}{weight_text})")
    return "; ".join(parts)


def exported_rows() -> Iterator[dict[str, Any]]:
    """The items as the CSV and XLSX show them: reasons in words."""
    for row in exported_items():
        for dimension in DIMENSIONS:
            row[f"{dimension}_reasons"] = reasons_in_words(row[f"{dimension}_reasons"])
        yield row


def write_csv(out: TextIO | TextIOBase) -> int:
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in exported_rows():
        writer.writerow(safe_dict(row))
        count += 1
    return count


def write_xlsx(out: str | IO[bytes]) -> int:
    """One sheet named Items with the CSV's columns; `out` is a path or a binary file."""
    rows = ([row[field] for field in FIELDS] for row in exported_rows())
    return write_table_xlsx(out, FIELDS, rows, sheet_name="Items")


def write_json(out: TextIO | TextIOBase) -> int:
    """A JSON array, written an item at a time."""
    count = 0
    out.write("[")
    for row in exported_items():
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_items(out: TextIO | TextIOBase, format: str = "csv") -> int:
    """Write every item to the text stream `out` as CSV or JSON; returns how many.
    XLSX is binary: see `write_xlsx`."""
    if format not in TEXT_FORMATS:
        raise ValueError(f"unknown text format {format!r}: use csv or json (xlsx: write_xlsx)")
    return write_csv(out) if format == "csv" else write_json(out)
