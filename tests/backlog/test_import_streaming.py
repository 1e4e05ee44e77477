"""Reading an export streams: memory does not grow with the number of files.

The Jira reader is a generator that opens one file, yields its records and lets them go
before it opens the next; the writer keeps at most one batch of items.
"""

from __future__ import annotations

import builtins
import gc
import json
import weakref
from pathlib import Path

import pytest

from productops.backlog.importers import jira_json
from productops.backlog.records import ItemRecord
from productops.backlog.writer import TrackerWriter


def write_pages(folder: Path, pages: int, per_page: int = 3) -> list[Path]:
    paths = []
    for page in range(pages):
        issues = [
            {"key": f"S-{page * per_page + n}", "fields": {"summary": f"Item {n} of page {page}"}}
            for n in range(per_page)
        ]
        path = folder / f"page-{page:02}.json"
        path.write_text(json.dumps({"issues": issues}), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        names.append(Path(file).name)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(jira_json, "open", spy, raising=False)
    return names


def test_the_first_record_comes_before_the_second_file_is_opened(
    tmp_path: Path, opened: list[str]
) -> None:
    write_pages(tmp_path, pages=3)
    records = jira_json.read([tmp_path])
    first = next(records)
    assert isinstance(first, ItemRecord) and first.key == "S-0"
    assert opened == ["page-00.json"]
    list(records)
    assert opened == ["page-00.json", "page-01.json", "page-02.json"]


def test_earlier_files_records_are_let_go(tmp_path: Path) -> None:
    write_pages(tmp_path, pages=3)
    records = jira_json.read([tmp_path])
    first_page = [weakref.ref(next(records)) for _ in range(3)]
    next(records)  # the first record of the second file
    gc.collect()
    assert [ref() for ref in first_page] == [None, None, None]


def test_the_writer_holds_at_most_one_batch(tmp_path: Path) -> None:
    write_pages(tmp_path, pages=4, per_page=5)
    flushed = []

    class CountingWriter(TrackerWriter):
        def flush(self) -> None:  # count instead of writing: no database needed
            flushed.append(len(self.pending))
            self.pending = {}

    writer = CountingWriter(sprint_source="jira", batch_size=4)
    for record in jira_json.read([tmp_path]):
        writer.add(record)
        assert len(writer.pending) < 4
    assert flushed == [4, 4, 4, 4, 4]
