"""Backups: one file that brings a whole productops install back (docs/backups.md).

A backup is a tar archive of two members:

- `productops-backup.json`, the manifest: what made it (productops version, database
  engine, date), the migrations applied, and each table's row count;
- the database: `database.sqlite3` (a copy taken with SQLite's online backup API, gzip
  compressed in the archive) or `database.pgdump` (`pg_dump` custom format).

What it holds and leaves out (docs/decisions.md, issue 14):

- every table, **private notes included, in clear text**, with password hashes and the
  hashes of API tokens: a backup exists to bring everything back, and a note left out is
  lost in the disaster the backup is for. It is an operator's file, to be kept like the
  database file itself (docs/privacy.md);
- not the signed-in sessions (`django_session` is empty in the copy): they are bearer
  credentials in clear, and a restored install signs everyone in again anyway;
- not the secret key: passwords and API tokens do not depend on it, so the restored
  install works with its own; only sessions and unused password-reset links end.

`restore` puts a backup into an empty data dir or an empty database only, refuses one
made by a newer schema than this code knows, checks each table's row count against the
manifest, then runs the migrations an older backup lacks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader

FORMAT = "productops-backup"
FORMAT_VERSION = 1
MANIFEST = "productops-backup.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
# Bearer credentials in clear: never in a backup (see the module's docstring).
LEFT_OUT_TABLES = ("django_session",)
# What `migrate` alone writes into a new database: a target holding rows only here is empty.
BOOKKEEPING_TABLES = frozenset(
    {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
)

HOW_TO_EMPTY = (
    "Restore into an empty data dir or database: point PRODUCTOPS_DATA_DIR at a new, "
    "empty folder (or DATABASE_URL at an empty database) and run `productops restore` "
    "again; the data already there stays as it is."
)


@dataclass(frozen=True)
class BackupMade:
    path: Path
    engine: str
    tables: int
    rows: int
    private_notes: int


@dataclass(frozen=True)
class Restored:
    engine: str
    tables: int
    rows: int
    migrations_applied: int
    made_at: str
    made_by: str


# --- the database in use ---------------------------------------------------------------


def _engine(using: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[using].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _productops_version() -> str:
    try:
        return metadata.version("productops")
    except metadata.PackageNotFoundError:
        return "unknown"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _known_migrations() -> set[tuple[str, str]]:
    """Every migration this code has (replaced ones included, under their own names)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update((app, name) for app, name in migration.replaces)
    return known


# --- backup ---------------------------------------------------------------------------


def check_out_file(out: Path, *, force: bool, using: str = DEFAULT_DB_ALIAS) -> None:
    """--out is a new file in an existing folder; an existing one only with --force."""
    if out.is_dir():
        raise CommandError(
            f"{out} is a folder: give --out a file name, e.g. {out}/productops.backup"
        )
    if not out.parent.is_dir():
        raise CommandError(
            f"The folder {out.parent} does not exist: create it or choose another --out."
        )
    if out.exists() and not force:
        raise CommandError(
            f"{out} already exists: choose a new file name, or pass --force to replace it."
        )
    if _engine(using) == "sqlite":
        database = Path(connections[using].settings_dict["NAME"]).resolve()
        if out.resolve() in {database, Path(f"{database}-wal"), Path(f"{database}-shm")}:
            raise CommandError(f"{out} is the database itself: write the backup somewhere else.")


def make_backup(out: Path, *, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> BackupMade:
    """Write a backup of the database to `out`: 0600, complete or not there at all."""
    check_out_file(out, force=force, using=using)
    engine = _engine(using)
    with _scratch_beside(out) as scratch:
        if engine == "sqlite":
            database, manifest = _copy_sqlite(scratch, using)
        else:
            database, manifest = _dump_postgresql(scratch, using)
        archive = scratch / "archive"
        _write_archive(archive, manifest, database, compress=engine == "sqlite")
        if out.exists() and not force:  # appeared while we copied
            raise CommandError(f"{out} appeared while the backup ran: run it again.")
        os.replace(archive, out)
    tables: dict[str, int] = manifest["tables"]
    return BackupMade(
        path=out,
        engine=engine,
        tables=len(tables),
        rows=sum(tables.values()),
        private_notes=tables.get("coaching_privatenote", 0),
    )


@contextlib.contextmanager
def _scratch_beside(out: Path) -> Iterator[Path]:
    """A private folder next to `out` (same file system, so the final rename is atomic)."""
    scratch = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _manifest(
    engine: str, migrations: list[tuple[str, str]], tables: dict[str, int]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "productops_version": _productops_version(),
        "engine": engine,
        "made_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "migrations": sorted([app, name] for app, name in migrations),
        "tables": tables,
        "left_out": {"rows_of": list(LEFT_OUT_TABLES), "secret_key": True},
    }


def _sqlite_source(using: str) -> sqlite3.Connection:
    """A connection of our own to the database file Django uses."""
    name = str(connections[using].settings_dict["NAME"])
    if name.startswith("file:"):  # an in-memory test database shared by URI
        return sqlite3.connect(name, uri=True)
    if not Path(name).is_file():
        raise CommandError(f"There is no database at {name}: run `productops migrate` first.")
    return sqlite3.connect(name, timeout=30)


def _copy_sqlite(scratch: Path, using: str) -> tuple[Path, dict[str, Any]]:
    """SQLite's online backup API, in one step: a consistent snapshot that neither waits
    for writers nor makes them wait (WAL), whatever the server is doing."""
    copy = scratch / SQLITE_MEMBER
    source = _sqlite_source(using)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)  # pages=-1: all of it under one read transaction
    finally:
        source.close()
    try:
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        target.execute("PRAGMA secure_delete=ON")  # the sessions' bytes are gone, not freed
        for table in LEFT_OUT_TABLES:
            if _sqlite_tables(target).count(table):
                target.execute(f"DELETE FROM {_quote(table)}")
        target.commit()
        target.execute("VACUUM")
        tables = _sqlite_row_counts(target)
        migrations = _sqlite_migrations(target)
    finally:
        target.close()
    copy.chmod(0o600)
    return copy, _manifest("sqlite", migrations, tables)


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    return [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]


def _sqlite_row_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {
        table: db.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
        for table in _sqlite_tables(db)
    }


def _sqlite_migrations(db: sqlite3.Connection) -> list[tuple[str, str]]:
    if "django_migrations" not in _sqlite_tables(db):
        return []
    return [(app, name) for app, name in db.execute("SELECT app, name FROM django_migrations")]


def _write_archive(
    archive: Path, manifest: dict[str, Any], database: Path, *, compress: bool
) -> None:
    fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as raw:
        with tarfile.open(fileobj=raw, mode="w:gz" if compress else "w") as tar:
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode = len(body), 0o600
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            tar.addfile(info, io.BytesIO(body))
            tar.add(database, arcname=database.name, recursive=False)
        raw.flush()
        os.fsync(raw.fileno())


# --- PostgreSQL -----------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """pg_dump or pg_restore: on PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    if candidates:
        return candidates[-1]
    raise CommandError(
        f"{name} is not installed: a PostgreSQL backup needs PostgreSQL's client tools "
        "(on Debian or Ubuntu: apt-get install postgresql-client), in the same major "
        "version as the server or newer."
    )


def _pg_environment(using: str) -> dict[str, str]:
    """libpq's variables for Django's connection: the password never on a command line."""
    settings = connections[using].settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    if settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(settings["OPTIONS"]["sslmode"])
    return env


def _run_pg(command: list[str], using: str, what: str) -> None:
    done = subprocess.run(
        command, env=_pg_environment(using), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[-3:]) or f"exit code {done.returncode}"
        raise CommandError(f"{what} failed: {detail}")


def _dump_postgresql(scratch: Path, using: str) -> tuple[Path, dict[str, Any]]:
    """pg_dump in custom format, reading the very snapshot the manifest's counts read."""
    dump = scratch / PG_MEMBER
    pg_dump = pg_tool("pg_dump")
    connection = connections[using]
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _pg_row_counts(cursor)
            migrations = _pg_migrations(cursor, tables)
            command = [pg_dump, "--format=custom", f"--file={dump}", f"--snapshot={snapshot}"]
            command += [f"--exclude-table-data={table}" for table in LEFT_OUT_TABLES]
            _run_pg(command, using, "pg_dump")
        finally:
            cursor.execute("ROLLBACK")
    for table in LEFT_OUT_TABLES:
        if table in tables:
            tables[table] = 0
    dump.chmod(0o600)
    return dump, _manifest("postgresql", migrations, tables)


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return [name for (name,) in cursor.fetchall()]


def _pg_row_counts(cursor: Any) -> dict[str, int]:
    counts = {}
    for table in _pg_tables(cursor):
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _pg_migrations(cursor: Any, tables: dict[str, int]) -> list[tuple[str, str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations")
    return [(app, name) for app, name in cursor.fetchall()]


# --- restore --------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup file, or one sentence saying why `path` is not one."""
    if not path.exists():
        raise CommandError(f"{path}: no such file. Check the path of the backup.")
    if path.is_dir():
        raise CommandError(f"{path} is a folder: give the backup file made by `productops backup`.")
    if not os.access(path, os.R_OK):
        raise CommandError(f"{path} cannot be read by this user: check its owner and mode.")
    not_one = f"{path} is not a productops backup (made by `productops backup --out FILE`)."
    try:
        with tarfile.open(path, mode="r:*") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.loads(member.read()) if member else None
    except (tarfile.TarError, KeyError, EOFError, ValueError, OSError, zlib.error):
        raise CommandError(not_one) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise CommandError(not_one)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CommandError(
            f"{path} is a productops backup in format {manifest.get('format_version')}, which "
            f"this productops ({_productops_version()}) does not read: restore it with the "
            f"productops that made it ({manifest.get('productops_version', 'unknown')}) or newer."
        )
    return manifest


def check_backup_fits(manifest: dict[str, Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """The same engine, and no migration this code does not know."""
    engine = _engine(using)
    if manifest.get("engine") != engine:
        where = (
            "with DATABASE_URL unset (into a data dir)"
            if manifest.get("engine") == "sqlite"
            else ("with DATABASE_URL pointing at an empty PostgreSQL database")
        )
        raise CommandError(
            f"This backup is of a {manifest.get('engine')} database and this productops uses "
            f"{engine}: restore it {where}. To move between the two, restore it there, then "
            "copy with `productops dumpdata --include-private-notes` and `loaddata`."
        )
    unknown = sorted(
        f"{app}.{name}"
        for app, name in manifest.get("migrations", [])
        if (app, name) not in _known_migrations()
    )
    if unknown:
        shown = ", ".join(unknown[:3]) + (
            f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        )
        raise CommandError(
            f"This backup was made by a newer productops ({manifest.get('productops_version')}): "
            f"its database has migrations this version does not know ({shown}). Install "
            f"productops {manifest.get('productops_version')} or later, then restore again."
        )


def held_data(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The tables of the target that hold rows a fresh `migrate` would not have written."""
    connection = connections[using]
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        held = []
        for table in tables:
            if table in BOOKKEEPING_TABLES or table in LEFT_OUT_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone():
                held.append(table)
    return held


def check_target_empty(using: str = DEFAULT_DB_ALIAS) -> None:
    held = held_data(using)
    if held:
        shown = ", ".join(held[:3]) + (f" and {len(held) - 3} more tables" if len(held) > 3 else "")
        where = (
            f"The data dir {Path(connections[using].settings_dict['NAME']).parent}"
            if _engine(using) == "sqlite"
            else f"The database {connections[using].settings_dict['NAME']}"
        )
        raise CommandError(f"{where} already holds data ({shown}). {HOW_TO_EMPTY}")


def restore_backup(path: Path, using: str = DEFAULT_DB_ALIAS) -> Restored:
    manifest = read_manifest(path)
    check_backup_fits(manifest, using)
    check_target_empty(using)
    engine = _engine(using)
    with tempfile.TemporaryDirectory(prefix="productops-restore.") as scratch_dir:
        scratch = Path(scratch_dir)
        member = SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER
        database = _extract(path, member, scratch)
        if engine == "sqlite":
            _restore_sqlite(database, using)
        else:
            _restore_postgresql(database, using)
    _check_row_counts(manifest, using)
    applied = _migrate(using)
    tables: dict[str, int] = manifest["tables"]
    return Restored(
        engine=engine,
        tables=len(tables),
        rows=sum(tables.values()),
        migrations_applied=applied,
        made_at=str(manifest.get("made_at", "")),
        made_by=str(manifest.get("productops_version", "")),
    )


def _extract(path: Path, member: str, scratch: Path) -> Path:
    target = scratch / member
    try:
        with tarfile.open(path, mode="r:*") as tar:
            source = tar.extractfile(member)
            if source is None:
                raise KeyError(member)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
    except (tarfile.TarError, KeyError, EOFError, OSError, zlib.error):
        raise CommandError(
            f"{path} is damaged: its database cannot be read. Restore another backup."
        ) from None
    return target


def _restore_sqlite(copy: Path, using: str) -> None:
    """Copy the backup into the database file with the backup API again, so the file
    keeps its path, its mode and its WAL files stay coherent."""
    source = sqlite3.connect(copy)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("quick_check failed")
    except sqlite3.DatabaseError:
        source.close()
        raise CommandError(
            "The database in this backup is damaged. Restore another backup."
        ) from None
    connections[using].close()
    name = str(connections[using].settings_dict["NAME"])
    target = sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        source.close()
        target.close()


def _restore_postgresql(dump: Path, using: str) -> None:
    """Drop what a fresh migrate left (checked empty above), then pg_restore in one
    transaction: a failure leaves the database as it was."""
    pg_restore = pg_tool("pg_restore")
    connection = connections[using]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
    connection.close()
    command = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={connection.settings_dict['NAME']}",
        str(dump),
    ]
    _run_pg(command, using, "pg_restore")


def _check_row_counts(manifest: dict[str, Any], using: str) -> None:
    connection = connections[using]
    connection.close()  # a new connection sees the restored schema
    wrong = []
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        for table, expected in manifest["tables"].items():
            if table not in present:
                wrong.append(f"{table} missing")
                continue
            cursor.execute(f"SELECT count(*) FROM {_quote(table)}")
            found = cursor.fetchone()[0]
            if found != expected:
                wrong.append(f"{table}: {found} rows, {expected} expected")
    if wrong:
        raise CommandError(
            "The restored database does not match the backup's manifest ("
            + "; ".join(wrong[:3])
            + "). Restore another backup, into an empty data dir or database again."
        )


def _migrate(using: str) -> int:
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[using]
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if pending:
        call_command("migrate", database=using, interactive=False, verbosity=0)
    return pending
