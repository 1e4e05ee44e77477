"""`import_ratings`: bring assessments run in a spreadsheet into an assessment cycle.

Written `productops import-ratings FILE.csv [--cycle NAME] [--model SLUG] [--skip-invalid]`.
The command only reads the options and prints; the import itself is
`productops.competencies.importers.ratings_csv.import_ratings_file`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from productops.competencies.importers.ratings_csv import COLUMNS, import_ratings_file
from productops.imports import ImportReport
from productops.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        f"Import ratings from a CSV file with the columns {', '.join(COLUMNS)} (evidence is "
        "optional; an empty or n/a score means not observed). Each subject, rater and kind "
        "becomes a submitted request in the cycle. Ratings are matched by competency key, "
        "so importing the same file into the same cycle again changes nothing. By default "
        "nothing is written when any row has a problem."
    )
    what = "ratings"

    def add_import_arguments(self, parser: CommandParser) -> None:
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

    def run_import(
        self,
        file: str,
        *,
        skip_invalid: bool,
        cycle: str | None = None,
        model_slug: str | None = None,
        **options: Any,
    ) -> ImportReport:
        return import_ratings_file(
            file, cycle=cycle, model_slug=model_slug, skip_invalid=skip_invalid
        )
