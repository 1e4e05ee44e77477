"""`import_ratings`: bring assessments run in a spreadsheet into an assessment cycle.

Written `productops import-ratings FILE.csv [--cycle NAME] [--model SLUG] [--skip-invalid]`.
The command only reads the options and prints; the import itself is
`productops.competencies.ratings_import.import_ratings_file`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from productops.competencies.ratings_import import COLUMNS, import_ratings_file


class Command(BaseCommand):
    help = (
        f"Import ratings from a CSV file with the columns {', '.join(COLUMNS)} (evidence is "
        "optional; an empty or n/a score means not observed). Each subject, rater and kind "
        "becomes a submitted request in the cycle. Ratings are matched by competency key, "
        "so importing the same file into the same cycle again changes nothing. By default "
        "nothing is written when any row has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV file (UTF-8; Excel's 'CSV UTF-8' works).")
        parser.add_argument(
            "--cycle",
            help=(
                "The cycle to import into, by name. When no cycle has the name, it is created "
                "on --model's latest version. Without it, a cycle 'Imported <date>' is used."
            ),
        )
        parser.add_argument(
            "--model",
            dest="model_slug",
            help="Slug of the competency model for a new cycle (its latest version is used).",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the good rows and list the bad ones instead of writing nothing.",
        )

    def handle(
        self,
        *args: Any,
        file: str,
        cycle: str | None,
        model_slug: str | None,
        skip_invalid: bool,
        **options: Any,
    ) -> None:
        with Console(stderr=True).status(f"Importing ratings from {file}…"):
            report = import_ratings_file(
                file, cycle=cycle, model_slug=model_slug, skip_invalid=skip_invalid
            )
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.written:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
