"""`productops backup --out FILE`: a consistent copy of the database, taken while the
server runs (productops/ops/backup.py, docs/backups.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from productops.ops.backup import make_backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite's online backup, or pg_dump for PostgreSQL) into one "
        "file, readable by its owner only. It holds private notes and password hashes: keep "
        "it like the database itself."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="The backup file to write.")
        parser.add_argument(
            "--force", action="store_true", help="Replace --out if it already exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        made = make_backup(options["out"], force=options["force"])
        self.stdout.write(
            f"Backed up {made.rows} rows in {made.tables} tables ({made.engine}) to {made.path}."
        )
        self.stderr.write(
            f"It holds every private note ({made.private_notes} now) in clear text, password "
            "hashes and API token hashes: keep it readable by the backup operator only."
        )
