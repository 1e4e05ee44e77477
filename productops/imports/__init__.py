"""The small interface every importer shares.

An importer reads a source and returns validated records plus row-numbered errors; an
action then writes the records in one transaction. By default nothing is written when
any error was found; with `skip_invalid` the good records are written and the errors are
listed. A CSV importer names its columns with `CsvColumns`, which finds the delimiter and
reads the header the same way for every file (see docs/development.md).

The pieces: `errors` (RowError, ParseResult, ImportReport), `text` (the upload's text,
size and encoding checked), `csv_header` (CsvColumns), `csv_rows` (CsvRows, the one
row reader: a cell too long for the csv module is a row and column error), `csv_cells`
(`safe_cell`: every CSV export's cells, never read as a formula), `uploads` (the upload
folder, cleaned of what a killed process left) and `command` (ImportCommand, the base of
every import management command). Echoed values go through `shown()`.
"""

from productops.imports.csv_header import CsvColumns, ErrorSink
from productops.imports.errors import (
    API_SKIP_HINT,
    ImportRejected,
    ImportReport,
    ParseResult,
    Record,
    RowError,
    RowWarning,
    UnreadableFile,
    cli_skip_hint,
    form_skip_hint,
    nested_too_deep,
    shown,
)
from productops.imports.text import SAVE_AS_UTF8, decode_utf8, read_upload_text

__all__ = [
    "API_SKIP_HINT",
    "SAVE_AS_UTF8",
    "CsvColumns",
    "ErrorSink",
    "ImportRejected",
    "ImportReport",
    "ParseResult",
    "Record",
    "RowError",
    "RowWarning",
    "UnreadableFile",
    "cli_skip_hint",
    "decode_utf8",
    "form_skip_hint",
    "nested_too_deep",
    "read_upload_text",
    "shown",
]
