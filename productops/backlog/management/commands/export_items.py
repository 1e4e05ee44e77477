"""`export_items`: every item with its origin, kind and framing, reasons and who set them.

Written `productops export-items [--format csv|json|xlsx] [--output FILE]`; without --output
a CSV or JSON export goes to standard output (an XLSX workbook needs --output). Rows are streamed, so large backlogs export in flat
memory. The writing is `productops.backlog.item_export.write_items`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.backlog.item_export import FORMATS, write_items, write_xlsx


class Command(BaseCommand):
    help = (
        "Export every tracker item with its origin, kind of work and framing, the reasons "
        "for each, and whether the rules, the learned model or a correction set it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=list(FORMATS), default="csv")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, format: str, output: str | None, **options: Any) -> None:
        if format == "xlsx":
            self._write_xlsx(output)
            return
        if not output:
            self.stdout.ending = ""  # the export writes its own line endings
            write_items(self.stdout, format)
            return
        try:
            with open(output, "w", encoding="utf-8", newline="") as out:
                count = write_items(out, format)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        self.stderr.write(f"{count} item(s) written to {output}.")

    def _write_xlsx(self, output: str | None) -> None:
        if not output:
            raise CommandError(
                "An XLSX workbook cannot go to the terminal: add --output items.xlsx."
            )
        try:
            count = write_xlsx(output)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        self.stderr.write(f"{count} item(s) written to {output}.")
