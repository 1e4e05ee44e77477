"""`import_labels`: bring in labels a person gave by hand, as corrections.

Written `productops import-labels FILE.csv` on the command line. The file has the
columns source, key, dimension (origin, kind or framing) and label; each row corrects
that item's dimension. Afterwards the learned models are retrained (where there are
enough corrections) and the items reclassified. The import itself is
`productops.backlog.actions.import_labels_file`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from productops.backlog.actions import import_labels_file
from productops.backlog.labels_import import COLUMNS


class Command(BaseCommand):
    help = (
        f"Import hand-given labels from a CSV file with the columns {', '.join(COLUMNS)}; "
        "each row becomes a correction. By default nothing is written when any row has a "
        "problem. Retrains the learned models and reclassifies afterwards."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8; Excel's 'CSV UTF-8' works).")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the good rows and list the bad ones instead of writing nothing.",
        )

    def handle(self, *args: Any, file: str, skip_invalid: bool, **options: Any) -> None:
        with Console(stderr=True).status(f"Importing labels from {file}…"):
            report = import_labels_file(file, skip_invalid=skip_invalid)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.written:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
