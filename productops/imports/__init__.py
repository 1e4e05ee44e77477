"""The small interface every importer shares.

An importer reads a source and returns validated records plus row-numbered errors; an
action then writes the records in one transaction. By default nothing is written when
any error was found; with `skip_invalid` the good records are written and the errors are
listed. A CSV importer names its columns with `CsvColumns`, which finds the delimiter and
reads the header the same way for every file (see docs/development.md).

The pieces: `errors` (RowError, ParseResult, ImportReport), `text` (the upload's text,
size and encoding checked), `csv_header` (CsvColumns) and `command` (ImportCommand, the
base of every import management command).
"""

from productops.imports.csv_header import CsvColumns, ErrorSink
from productops.imports.errors import (
    ImportRejected,
    ImportReport,
    ParseResult,
    Record,
    RowError,
    UnreadableFile,
)
from productops.imports.text import SAVE_AS_UTF8, decode_utf8, read_upload_text

__all__ = [
    "SAVE_AS_UTF8",
    "CsvColumns",
    "ErrorSink",
    "ImportRejected",
    "ImportReport",
    "ParseResult",
    "Record",
    "RowError",
    "UnreadableFile",
    "decode_utf8",
    "read_upload_text",
]
