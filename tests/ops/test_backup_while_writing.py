"""A backup taken while others write: it neither waits for an open write transaction nor
catches half of one (SQLite's online backup API on a WAL database)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tarfile
import threading
import time
from pathlib import Path

import pytest

from productops.ops.backup import SQLITE_MEMBER
from tests.ops.test_backup_round_trip import productops_in


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("migrated") / "data"
    productops_in(data_dir)("migrate", "-v", "0")
    return data_dir


@pytest.fixture
def data_dir(migrated: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(migrated, copy)
    return copy


def connect(data_dir: Path) -> sqlite3.Connection:
    db = sqlite3.connect(data_dir / "productops.sqlite3", timeout=30, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    return db


def add_run(db: sqlite3.Connection, number: int) -> None:
    """One scheduled run and one worker heartbeat: a backup sees both or neither."""
    now = dt.datetime(2026, 12, 3, tzinfo=dt.UTC).isoformat()
    db.execute(
        "INSERT INTO ops_scheduledrun (name, slot, enqueued_at) VALUES (?, ?, ?)",
        ("reminders", f"2026-12-03 09:{number // 60:02}:{number % 60:02}", now),
    )
    db.execute(
        "INSERT INTO ops_workerheartbeat (worker_id, host, pid, started_at, seen_at) "
        "VALUES (?, 'here', 1, ?, ?)",
        (f"worker-{number}", now, now),
    )


def counts_in(backup: Path, scratch: Path) -> tuple[int, int]:
    with tarfile.open(backup) as tar:
        tar.extract(SQLITE_MEMBER, scratch, filter="data")
    with sqlite3.connect(scratch / SQLITE_MEMBER) as db:
        runs = db.execute("SELECT count(*) FROM ops_scheduledrun").fetchone()[0]
        beats = db.execute("SELECT count(*) FROM ops_workerheartbeat").fetchone()[0]
    return runs, beats


def test_a_backup_does_not_wait_for_an_open_write_transaction(
    data_dir: Path, tmp_path: Path
) -> None:
    writer = connect(data_dir)
    for number in range(3):
        add_run(writer, number)  # committed
    writer.execute("BEGIN IMMEDIATE")  # the write lock, held through the backup
    for number in range(3, 10):
        add_run(writer, number)

    started = time.monotonic()
    productops_in(data_dir)("backup", "--out", str(tmp_path / "during.backup"))
    took = time.monotonic() - started
    writer.execute("COMMIT")
    writer.close()

    assert counts_in(tmp_path / "during.backup", tmp_path) == (3, 3)  # the committed rows only
    assert took < 20, "the backup waited for the writer"  # SQLite's busy timeout is 20 s


def test_a_backup_taken_during_many_commits_is_one_moment(data_dir: Path, tmp_path: Path) -> None:
    stop = threading.Event()
    committed: list[int] = []

    def keep_writing() -> None:
        db = connect(data_dir)
        number = 0
        while not stop.is_set():
            db.execute("BEGIN IMMEDIATE")
            add_run(db, number)
            db.execute("COMMIT")
            committed.append(number)
            number += 1
        db.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(committed) < 20:
            time.sleep(0.01)
        productops_in(data_dir)("backup", "--out", str(tmp_path / "busy.backup"))
    finally:
        stop.set()
        writer.join()

    runs, beats = counts_in(tmp_path / "busy.backup", tmp_path)
    assert runs == beats >= 20
    assert len(committed) > runs  # the writer went on while the backup ran
