"""The base of every import management command: one file, `--skip-invalid`, the summary.

A command names what it imports and the call that does it; the options, the progress
spinner, the error listing and the exit status are the same for every source:

    class Command(ImportCommand):
        help = "Import people from a CSV file ..."
        what = "people"

        def run_import(self, file, *, skip_invalid, **options):
            return import_people_file(file, skip_invalid=skip_invalid)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from productops.imports.errors import ImportReport

FILE_HELP = "The CSV file (UTF-8; Excel's 'CSV UTF-8' works)."
SKIP_INVALID_HELP = "Write the good rows and list the bad ones instead of writing nothing."


def add_skip_invalid(parser: CommandParser) -> None:
    """The `--skip-invalid` option every import command takes, with the same words."""
    parser.add_argument("--skip-invalid", action="store_true", help=SKIP_INVALID_HELP)


class ImportCommand(BaseCommand):
    what = "rows"  # "Importing <what> from FILE…"
    file_help = FILE_HELP

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help=self.file_help)
        add_skip_invalid(parser)
        self.add_import_arguments(parser)

    def add_import_arguments(self, parser: CommandParser) -> None:
        """Options of one source beyond the file and `--skip-invalid`."""

    def run_import(self, file: str, *, skip_invalid: bool, **options: Any) -> ImportReport:
        raise NotImplementedError

    def handle(self, *args: Any, file: str, skip_invalid: bool, **options: Any) -> None:
        # Thousands of rows take a few seconds on a slow disk: show that work is going on.
        # The spinner draws only on a terminal, so logs and tests see plain lines.
        with Console(stderr=True).status(f"Importing {self.what} from {file}…"):
            report = self.run_import(file, skip_invalid=skip_invalid, **options)
        self.report(report)

    def report(self, report: ImportReport) -> None:
        """Every error on stderr; the summary on stdout, or as the error when nothing was written."""
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.written:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
