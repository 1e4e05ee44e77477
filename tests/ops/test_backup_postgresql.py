"""On PostgreSQL (DATABASE_URL set, as in CI's second run): backup through pg_dump and
restore through pg_restore into a second database this test creates, row for row."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.ops.test_backup_round_trip import PRIVATE_TEXT, WRITES

if TYPE_CHECKING:
    import psycopg

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(
    not DATABASE_URL.startswith(("postgres://", "postgresql://")),
    reason="a PostgreSQL round trip needs DATABASE_URL (make test-pg)",
)


def url_for(database: str) -> str:
    parts = urlsplit(DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{database}"))


def admin_connection() -> psycopg.Connection[tuple[object, ...]]:
    import psycopg

    return psycopg.connect(url_for("postgres"), autocommit=True)


@pytest.fixture
def two_databases() -> Iterator[tuple[str, str]]:
    names = (f"backup_source_{secrets.token_hex(4)}", f"backup_target_{secrets.token_hex(4)}")
    with admin_connection() as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield names
    finally:
        with admin_connection() as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def productops_on(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = url_for(database)
    return subprocess.run(
        [sys.executable, "-m", "productops", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def every_row(database: str) -> dict[str, list[tuple[object, ...]]]:
    import psycopg

    with psycopg.connect(url_for(database)) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: sorted(db.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in tables
        }


def test_a_postgresql_round_trip_gives_back_every_row(
    two_databases: tuple[str, str], tmp_path: os.PathLike[str]
) -> None:
    source, target = two_databases
    backup = f"{tmp_path}/pg.backup"
    for args in (
        ("migrate", "-v", "0"),
        ("demo", "--people", "60", "--password", "a-long-demo-password-42"),
        ("shell", "-c", WRITES),
        ("backup", "--out", backup),
    ):
        done = productops_on(source, *args)
        assert done.returncode == 0, done.stderr
    assert productops_on(target, "migrate", "-v", "0").returncode == 0  # a fresh migrate is empty

    restored = productops_on(target, "restore", backup)

    assert restored.returncode == 0, restored.stderr
    before, after = every_row(source), every_row(target)
    assert sorted(before) == sorted(after) and len(before) > 60
    assert len(before["django_session"]) == 1 and after["django_session"] == []
    for table in before:
        if table != "django_session":
            assert after[table] == before[table], table
    assert [PRIVATE_TEXT in note for note in after["coaching_privatenote"]] == [True]

    again = productops_on(target, "restore", backup)
    assert again.returncode == 1 and "already holds data" in again.stderr
    assert "DATABASE_URL at an empty database" in again.stderr and "Traceback" not in again.stderr
