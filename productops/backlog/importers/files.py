"""The files of a tracker export: folders expanded, CSV rows read with their row numbers.

Nothing here touches Django or the database. Trouble is yielded as a `RowError`
instead of raised: a tracker export that cannot be read is something to tell the person
who brought it, never a traceback.
"""

from __future__ import annotations

import contextlib
import csv
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from productops.backlog.records import SprintRecord
from productops.imports import RowError
from productops.imports.csv_rows import CsvRows


def expand_paths(paths: Sequence[Path | str], suffixes: Iterable[str]) -> Iterator[Path]:
    """The files to read, in order: each path as given, or a folder's matching files.

    A folder contributes the files under it whose name ends with one of `suffixes`
    (compared without case), sorted by path so two runs read in the same order. The
    folder is listed when it is reached, not before, so nothing is read ahead.
    """
    wanted = tuple(suffix.lower() for suffix in suffixes)
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(
                child
                for child in path.rglob("*")
                if child.is_file() and child.name.lower().endswith(wanted)
            )
            yield from found
        else:
            yield path


# A tracker's cell may legitimately be huge (a description with pasted logs): tracker
# CSVs are read with this bound instead of the csv module's 128 KiB. It still stops a
# quote that is never closed from holding a whole multi-gigabyte file in memory.
TRACKER_CELL_LIMIT = 64 * 1024 * 1024
_limit_lock = threading.Lock()
_limit_users = 0
_limit_before = 0


@contextlib.contextmanager
def tracker_cell_limit() -> Iterator[None]:
    """The csv module's cell limit raised to `TRACKER_CELL_LIMIT` while a tracker CSV is
    read. The limit is process-wide: readers running at once (threads of the server)
    share one raise, counted, and the last one out puts the old limit back."""
    global _limit_users, _limit_before
    with _limit_lock:
        if _limit_users == 0:
            _limit_before = csv.field_size_limit()
            csv.field_size_limit(max(_limit_before, TRACKER_CELL_LIMIT))
        _limit_users += 1
    try:
        yield
    finally:
        with _limit_lock:
            _limit_users -= 1
            if _limit_users == 0:
                csv.field_size_limit(_limit_before)


def read_csv_rows(path: Path) -> Iterator[tuple[int, list[str]] | RowError]:
    """The rows of a CSV file with their spreadsheet row number (the header is row 1).

    Rows are counted as records, so a description spanning several lines is still one
    row, as a spreadsheet shows it. A file that cannot be opened, is not UTF-8 text or is
    not CSV yields one RowError and ends (a file that stops being CSV halfway says which
    rows were not read); entirely blank rows are skipped. Cells may be as long as
    `TRACKER_CELL_LIMIT`.
    """
    source = path.name
    problems: list[RowError] = []
    rows: CsvRows | None = None

    def problem(row: int | None, column: str | None, reason: str) -> None:
        problems.append(RowError(row=row, column=column, reason=reason, source=source))

    try:
        with tracker_cell_limit(), path.open(encoding="utf-8-sig", newline="") as handle:
            # A cell over TRACKER_CELL_LIMIT is an error on its row and column; the rows
            # after it are read on.
            rows = CsvRows(handle, error=problem)
            for row_number, row in rows:
                yield from problems
                problems.clear()
                if not any(cell.strip() for cell in row):
                    continue
                yield row_number, row
            yield from problems
            if rows.broken:
                yield RowError(
                    row=None,
                    column=None,
                    reason=f"the rows after row {rows.row} were not read: fix the quotes "
                    "there and import the file again",
                    source=source,
                )
    except UnicodeDecodeError:
        yield from problems
        yield RowError(
            row=(rows.row if rows is not None else 0) + 1,
            column=None,
            reason="the file is not UTF-8 text; export or save it again as UTF-8 CSV",
            source=source,
        )
    except OSError as error:
        yield RowError(
            row=None, column=None, reason=f"cannot read the file: {error.strerror}", source=source
        )


class SprintsSeen:
    """Yields each sprint once per import, however many items name it."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def new(self, sprints: Iterable[SprintRecord]) -> Iterator[SprintRecord]:
        for sprint in sprints:
            if sprint.source_id not in self._seen:
                self._seen.add(sprint.source_id)
                yield sprint
