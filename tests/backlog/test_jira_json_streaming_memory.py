"""One large JSON file is streamed: memory holds an issue and a chunk, not the file.

Measured with tracemalloc on two files, one eight times the other; the peak must stay
about the same (a ratio, never seconds). Also: the page's `names` expand after its
issues still names the custom fields, and a file that breaks halfway keeps what came
before.
"""

from __future__ import annotations

import json
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from productops.backlog.importers import jira_json
from productops.backlog.records import ItemRecord, PageRecord, SprintRecord
from productops.imports import RowError


def write_page(path: Path, issues: int) -> Path:
    text = "Steps to reproduce: open the cart, pay, see the error. " * 60  # ~3 KiB
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"expand": "names", "startAt": 0, "maxResults": 1000000, "total": ')
        handle.write(f'{issues}, "issues": [')
        for n in range(issues):
            issue = {
                "key": f"BIG-{n}",
                "fields": {
                    "summary": f"Issue {n}",
                    "description": text,
                    "issuetype": {"name": "Bug"},
                    "status": {"name": "Open", "statusCategory": {"key": "new"}},
                    "created": "2024-03-01T10:00:00.000+0000",
                    "customfield_5": n % 8,
                },
            }
            handle.write(("," if n else "") + json.dumps(issue))
        handle.write('], "names": {"customfield_5": "Story Points"}}')
    return path


def peak_while_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = 0
        for record in jira_json.read([path]):
            if isinstance(record, ItemRecord):
                count += 1
                assert record.story_points == float((count - 1) % 8)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def test_memory_does_not_grow_with_the_size_of_one_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jira_json, "READ_CHUNK", 64 * 1024)
    monkeypatch.setattr(jira_json, "MAX_REMEMBERED_KEYS", 500)
    small = write_page(tmp_path / "small.json", 400)  # about 1.3 MB
    large = write_page(tmp_path / "large.json", 3200)  # about 10 MB
    assert large.stat().st_size > 7 * small.stat().st_size

    small_count, small_peak = peak_while_reading(small)
    large_count, large_peak = peak_while_reading(large)

    assert (small_count, large_count) == (400, 3200)
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
    assert large_peak < large.stat().st_size / 4  # far from the whole file


def test_a_file_broken_halfway_keeps_the_issues_before_it(tmp_path: Path) -> None:
    path = write_page(tmp_path / "cut.json", 50)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('{"key": "BIG-30"') + 20], encoding="utf-8")

    records = list(jira_json.read([path]))

    assert [r.key for r in records if isinstance(r, ItemRecord)] == [f"BIG-{n}" for n in range(30)]
    [error] = [r for r in records if isinstance(r, RowError)]
    assert error.source == "cut.json" and error.row is None
    assert "the 30 issue(s) before it were read" in error.reason
    assert "broken JSON at line 1" in error.reason
    assert "the rest of the file could not be" in error.reason


def test_an_issue_spanning_many_chunks_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jira_json, "READ_CHUNK", 10)
    long = "é" * 50_000  # not ASCII: chunks are characters, not bytes
    page = {"issues": [{"key": "L-1", "fields": {"summary": "x", "description": long}}]}
    path = tmp_path / "long.json"
    path.write_text(json.dumps(page, ensure_ascii=False), encoding="utf-8")

    [item] = [r for r in jira_json.read([path]) if isinstance(r, ItemRecord)]

    assert item.description == long


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet='{}[],:"\\ 0123456789.-+eEtrufalsnkyiA\n\u00e9', max_size=120),
    st.integers(min_value=1, max_value=9),
)
def test_any_text_read_in_any_chunk_size_gives_records_or_errors(text: str, chunk: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.json"
        path.write_text('{"issues": [' + text, encoding="utf-8")
        original = jira_json.READ_CHUNK
        jira_json.READ_CHUNK = chunk
        try:
            for record in jira_json.read([path]):
                assert isinstance(record, ItemRecord | SprintRecord | PageRecord | RowError)
        finally:
            jira_json.READ_CHUNK = original


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(max_size=30), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=9),
)
def test_small_chunks_read_the_same_issues_as_one_big_read(
    summaries: list[str], chunk: int
) -> None:
    page = {
        "issues": [{"key": f"H-{n}", "fields": {"summary": s}} for n, s in enumerate(summaries)]
    }
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.json"
        path.write_text(json.dumps(page, ensure_ascii=False, indent=1), encoding="utf-8")
        original = jira_json.READ_CHUNK
        jira_json.READ_CHUNK = chunk
        try:
            items = [r for r in jira_json.read([path]) if isinstance(r, ItemRecord)]
        finally:
            jira_json.READ_CHUNK = original
    assert [item.title for item in items] == [
        s if s.strip() else f"H-{n}" for n, s in enumerate(summaries)
    ]
