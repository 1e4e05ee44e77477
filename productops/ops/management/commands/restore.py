"""`productops restore FILE`: put a backup made by `productops backup` into an empty
data dir or an empty database (productops/ops/backup.py, docs/backups.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from productops.ops.backup import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `productops backup` into an empty data dir (or the empty "
        "database DATABASE_URL names), then run the migrations it lacks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        restored = restore_backup(options["file"])
        self.stdout.write(
            f"Restored {restored.rows} rows in {restored.tables} tables ({restored.engine}) "
            f"from a backup made on {restored.made_at} by productops {restored.made_by}."
        )
        if restored.migrations_applied:
            self.stdout.write(
                f"Applied {restored.migrations_applied} migrations the backup did not have yet."
            )
        self.stdout.write(
            "Everyone signs in again: sessions are not kept in backups. Passwords and API "
            "tokens work as before."
        )
