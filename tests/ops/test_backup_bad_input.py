"""A file that is missing, a folder, damaged or not a backup: one sentence, never a
traceback, and the database is not touched."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from productops.ops.backup import FORMAT, FORMAT_VERSION, MANIFEST, pg_tool


def restore(path: Path) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))
    return str(refused.value)


def archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return path


def manifest(**fields: object) -> bytes:
    return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, **fields}).encode()


def test_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    assert restore(tmp_path / "gone.backup") == (
        f"{tmp_path}/gone.backup: no such file. Check the path of the backup."
    )
    assert "is a folder" in restore(tmp_path)


@pytest.mark.parametrize(
    "content",
    [
        b"Issue key,Summary\nBIG-1,Not a backup\n",  # a CSV
        b"",  # empty
        b"\x1f\x8b\x08\x00 cut short",  # the start of a gzip file only
    ],
)
def test_a_file_that_is_not_an_archive(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "nightly.backup"
    path.write_bytes(content)
    assert restore(path) == (
        f"{path} is not a productops backup (made by `productops backup --out FILE`)."
    )


def test_an_archive_without_our_manifest(tmp_path: Path) -> None:
    other = archive(tmp_path / "other.tar.gz", {"notes.txt": b"hello"})
    assert "is not a productops backup" in restore(other)
    foreign = archive(tmp_path / "foreign.tar.gz", {MANIFEST: b'{"format": "something-else"}'})
    assert "is not a productops backup" in restore(foreign)
    garbled = archive(tmp_path / "garbled.tar.gz", {MANIFEST: b"{not json"})
    assert "is not a productops backup" in restore(garbled)


def test_a_later_backup_format(tmp_path: Path) -> None:
    later = archive(
        tmp_path / "later.backup",
        {MANIFEST: json.dumps({"format": FORMAT, "format_version": 99}).encode()},
    )
    assert "format 99, which this productops" in restore(later)


def test_a_backup_of_the_other_engine(tmp_path: Path) -> None:
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    path = archive(tmp_path / "other.backup", {MANIFEST: manifest(engine=other, migrations=[])})
    message = restore(path)
    assert f"This backup is of a {other} database" in message
    assert "dumpdata --include-private-notes" in message


@pytest.mark.django_db
def test_a_damaged_database_inside(tmp_path: Path) -> None:
    # a manifest and no database member: read as damaged, before anything is written
    path = archive(
        tmp_path / "damaged.backup",
        {MANIFEST: manifest(engine=connection.vendor, migrations=[], tables={})},
    )
    assert restore(path) == (
        f"{path} is damaged: its database cannot be read. Restore another backup."
    )


def test_backup_refuses_a_folder_a_missing_folder_and_an_existing_file(tmp_path: Path) -> None:
    def backup(out: Path) -> str:
        with pytest.raises(CommandError) as refused:
            call_command("backup", "--out", str(out))
        return str(refused.value)

    assert "is a folder" in backup(tmp_path)
    assert backup(tmp_path / "nowhere" / "x.backup") == (
        f"The folder {tmp_path}/nowhere does not exist: create it or choose another --out."
    )
    existing = tmp_path / "kept.backup"
    existing.write_text("yesterday's")
    assert "already exists" in backup(existing) and existing.read_text() == "yesterday's"


def test_a_missing_pg_tool_says_what_to_install() -> None:
    with pytest.raises(CommandError, match="apt-get install postgresql-client") as refused:
        pg_tool("pg_dump_nowhere")  # looked for on PATH and under /usr/lib/postgresql
    assert str(refused.value).startswith("pg_dump_nowhere is not installed")
