"""`import_people`: load people, managers and teams from an HR export (a CSV file).

Written `productops import-people FILE.csv` on the command line. The command only reads
the options and prints; the import itself is `productops.org.actions.import_people_file`,
the same call the upload page makes.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from productops.org.actions import import_people_file
from productops.org.people_import import COLUMNS


class Command(BaseCommand):
    help = (
        "Import people from a CSV file with the columns "
        f"{', '.join(COLUMNS)}. People are matched by email, so importing the same file "
        "again changes nothing. By default nothing is written when any row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8; Excel's 'CSV UTF-8' works).")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the good rows and list the bad ones instead of writing nothing.",
        )

    def handle(self, *args: Any, file: str, skip_invalid: bool, **options: Any) -> None:
        # Thousands of rows take a few seconds on a slow disk: show that work is going on.
        # The spinner draws only on a terminal, so logs and tests see plain lines.
        with Console(stderr=True).status(f"Importing people from {file}…"):
            report = import_people_file(file, skip_invalid=skip_invalid)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.written:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
