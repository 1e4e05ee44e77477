"""`import_touchpoints`: bring customer touchpoints logged in a spreadsheet into productops.

Written `productops import-touchpoints FILE.csv [--skip-invalid]`. The command only reads
the options and prints; the import is `discovery.touchpoints_import.import_touchpoints_file`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.discovery.touchpoints_import import COLUMNS, import_touchpoints_file


class Command(BaseCommand):
    help = (
        f"Import touchpoints from a CSV file with the columns {', '.join(COLUMNS)} (team, date "
        "and kind are required; participants are emails separated by ';'). A row matching a "
        "touchpoint already there is left as it is. By default nothing is written when any "
        "row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8; Excel's 'CSV UTF-8' works).")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the good rows and list the bad ones instead of writing nothing.",
        )

    def handle(self, *args: Any, file: str, skip_invalid: bool, **options: Any) -> None:
        report = import_touchpoints_file(file, skip_invalid=skip_invalid)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.written:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
