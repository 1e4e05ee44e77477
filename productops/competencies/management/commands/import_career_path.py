"""`import_career_path`: bring a career framework from an HR tool in as a model plus ladder.

Written `productops import-career-path FILE.csv [--model-name NAME]`. The file has the
columns path, job title, key behavior, competency and skill; how they map to a model and
a ladder is described in `productops/competencies/importers/career_path_csv.py` and
docs/competency-model-format.md. Nothing is written when any row has a problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from productops.competencies.actions import CareerPathReport, import_career_path_file
from productops.imports.command import ImportCommand
from productops.org.models import Discipline


class Command(ImportCommand):
    help = (
        "Import a career-path CSV (columns: path, job title, key behavior, competency, "
        "skill) as one competency model and one ladder per path. Importing the same file "
        "again changes nothing; a changed file adds a model version and updates the ladder."
    )
    what = "career paths"
    takes_skip_invalid = False  # a ladder with a level missing is wrong, not partly right

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--model-name", help="Name of the model (a file with one path only); default: the path."
        )
        parser.add_argument(
            "--discipline",
            choices=Discipline.values,
            help="Discipline of the model and ladder; default: guessed from the path's name.",
        )

    def run_import(
        self,
        file: str,
        *,
        skip_invalid: bool,
        model_name: str | None = None,
        discipline: str | None = None,
        **options: Any,
    ) -> CareerPathReport:
        return import_career_path_file(
            file, model_name=model_name, discipline=discipline, source=Path(file).name
        )

    def report_written(self, report: CareerPathReport) -> None:
        for model_report in report.models:
            self.stdout.write(self.style.SUCCESS(model_report.summary()))
        for ladder in report.ladders:
            self.stdout.write(f"Ladder {ladder.name}: {ladder.levels.count()} levels.")
