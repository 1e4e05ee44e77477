"""`productops backup` then `productops restore` into another data dir gives back every
table, row for row (sessions left out on purpose), with real processes on SQLite files."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from productops.ops.backup import MANIFEST, SQLITE_MEMBER

PRIVATE_TEXT = "Only mine: the reorg worries me more than I said."
WRITES = f"""
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from productops.accounts.actions import do_create_token
from productops.coaching.models import OneOnOne, PrivateNote
manager = get_user_model().objects.get(username="manager")
PrivateNote.objects.create(meeting=OneOnOne.objects.first(), author=manager, text={PRIVATE_TEXT!r})
do_create_token(manager, "nightly sync")
session = SessionStore()
session["signed_in"] = "yes"
session.create()
"""

Run = Callable[..., subprocess.CompletedProcess[str]]


def productops_in(data_dir: Path) -> Run:
    """`productops ARGS` with its own SQLite data dir (never the suite's DATABASE_URL)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PRODUCTOPS_DATA_DIR"] = str(data_dir)

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "productops", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, done.stderr
        return done

    return run


def every_row(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(db.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }


@pytest.fixture(scope="module")
def demo_install(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A data dir with the small demo, a private note, a token and a session; its backup."""
    data_dir = tmp_path_factory.mktemp("source") / "data"
    run = productops_in(data_dir)
    run("migrate", "-v", "0")
    run("demo", "--people", "60", "--password", "a-long-demo-password-42")
    run("shell", "-c", WRITES)
    backup = data_dir.parent / "nightly.backup"
    made = run("backup", "--out", str(backup))
    assert "Backed up" in made.stdout and "private note (1 now)" in made.stderr
    return data_dir, backup


def test_a_restore_gives_back_every_table_row_for_row(
    demo_install: tuple[Path, Path], tmp_path: Path
) -> None:
    source_dir, backup = demo_install
    restored_dir = tmp_path / "restored"

    done = productops_in(restored_dir)("restore", str(backup))

    assert "Restored" in done.stdout and "Everyone signs in again" in done.stdout
    before = every_row(source_dir / "productops.sqlite3")
    after = every_row(restored_dir / "productops.sqlite3")
    assert sorted(before) == sorted(after)
    assert len(before) > 60  # every app's tables, not a handful
    assert len(before["django_session"]) == 1 and after["django_session"] == []
    for table in before:
        if table != "django_session":
            assert after[table] == before[table], table
    assert [PRIVATE_TEXT in note for note in after["coaching_privatenote"]] == [True]
    assert len(after["accounts_accesstoken"]) == 1
    assert stat.S_IMODE((restored_dir / "productops.sqlite3").stat().st_mode) == 0o600


def test_the_backup_is_one_private_file_that_is_never_overwritten_by_accident(
    demo_install: tuple[Path, Path],
) -> None:
    source_dir, backup = demo_install
    run = productops_in(source_dir)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with tarfile.open(backup) as tar:
        assert tar.getnames() == [MANIFEST, SQLITE_MEMBER]
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
    assert manifest["engine"] == "sqlite" and manifest["tables"]["coaching_privatenote"] == 1
    assert manifest["tables"]["django_session"] == 0
    assert ["reports", "0003_status_per_objective"] in manifest["migrations"]

    refused = run("backup", "--out", str(backup), check=False)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr

    before = backup.stat().st_mtime_ns
    run("backup", "--out", str(backup), "--force")
    assert backup.stat().st_mtime_ns != before
    assert [p.name for p in backup.parent.iterdir() if ".partial" in p.name] == []


def test_restore_refuses_a_data_dir_that_holds_data(demo_install: tuple[Path, Path]) -> None:
    source_dir, backup = demo_install
    rows_before = every_row(source_dir / "productops.sqlite3")["org_person"]

    refused = productops_in(source_dir)("restore", str(backup), check=False)

    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "already holds data" in refused.stderr
    assert "point PRODUCTOPS_DATA_DIR at a new, empty folder" in refused.stderr
    assert every_row(source_dir / "productops.sqlite3")["org_person"] == rows_before


def rewritten(backup: Path, out: Path, change: Callable[[dict[str, object]], None]) -> Path:
    """A copy of `backup` whose manifest `change` edited."""
    with tarfile.open(backup) as tar:
        manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        database = tar.extractfile(SQLITE_MEMBER).read()  # type: ignore[union-attr]
    change(manifest)
    with tarfile.open(out, "w:gz") as tar:
        for name, body in ((MANIFEST, json.dumps(manifest).encode()), (SQLITE_MEMBER, database)):
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return out


def test_a_backup_from_a_newer_schema_is_refused(
    demo_install: tuple[Path, Path], tmp_path: Path
) -> None:
    _, backup = demo_install
    newer = rewritten(
        backup,
        tmp_path / "newer.backup",
        lambda manifest: manifest["migrations"].append(["ops", "0099_from_the_future"]),  # type: ignore[attr-defined]
    )
    target = tmp_path / "target"

    refused = productops_in(target)("restore", str(newer), check=False)

    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "newer productops" in refused.stderr and "ops.0099_from_the_future" in refused.stderr
    with sqlite3.connect(target / "productops.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def test_an_older_backup_is_migrated_after_the_restore(tmp_path: Path) -> None:
    old = productops_in(tmp_path / "old")
    old("migrate", "-v", "0")
    old("migrate", "reports", "0002_status_update", "-v", "0")  # as before the last migration
    old("create-login", "hana", "--role", "admin", "--password", "a-long-admin-password-7")
    old("backup", "--out", str(tmp_path / "old.backup"))

    done = productops_in(tmp_path / "new")("restore", str(tmp_path / "old.backup"))

    assert "Applied 1 migrations the backup did not have yet." in done.stdout
    with sqlite3.connect(tmp_path / "new" / "productops.sqlite3") as db:
        applied = db.execute(
            "SELECT count(*) FROM django_migrations WHERE app = 'reports' AND name = ?",
            ("0003_status_per_objective",),
        ).fetchone()[0]
        logins = db.execute("SELECT username FROM auth_user").fetchall()
    assert applied == 1 and logins == [("hana",)]
