"""A folder of thousands of files imports under a low open-files limit: each file is
opened, read and closed before the next (the 50,000-file run is bench/bench_folder.py)."""

from __future__ import annotations

import dataclasses
import os
import resource
from pathlib import Path

import pytest

from productops.backlog.actions import import_tracker
from productops.backlog.importers.files import expand_paths
from productops.backlog.models import ImportedPage, Item
from productops.demo.tracker_export import benchmark_spec, write_export

FILES = 2000


def open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.fixture
def low_open_files_limit():  # type: ignore[no-untyped-def]
    """The soft limit of open files set to what is open now plus 24: far below the
    folder's 2,000 files, so holding them open would fail with EMFILE."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    limit = open_files() + 24
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    try:
        yield limit
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts open files in /proc")
@pytest.mark.django_db
def test_thousands_of_files_import_under_a_low_open_files_limit(
    tmp_path: Path, low_open_files_limit: int
) -> None:
    spec = dataclasses.replace(benchmark_spec(FILES, 3 * FILES, seed=5), page_size=1)
    summary = write_export(spec, tmp_path / "export")
    assert summary.pages == FILES > low_open_files_limit

    report = import_tracker([tmp_path / "export"], format="jira-json")

    assert report.errors == []
    assert report.created == FILES == Item.objects.count()
    assert ImportedPage.objects.count() == FILES  # every file read and remembered
    assert open_files() < low_open_files_limit


def test_a_folder_is_listed_without_opening_its_files(tmp_path: Path) -> None:
    for n in range(300):
        (tmp_path / f"issues-{n:03}.csv").write_text("Summary\nx\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an export", encoding="utf-8")
    before = open_files()
    found = expand_paths([tmp_path], [".csv"])
    names = [path.name for path in found]
    assert names == [f"issues-{n:03}.csv" for n in range(300)]
    assert open_files() == before
