"""`import_model`: add a competency model, or a new version of one, from a YAML or JSON file.

Written `productops import-model FILE` on the command line. The command only reads the
file and prints; the import is `productops.competencies.actions.import_model_text`, the
same call the upload page makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.competencies.actions import import_model_text
from productops.competencies.model_format import read_model_bytes


class Command(BaseCommand):
    help = (
        "Import a competency model from a .yaml, .yml or .json file (the format is in "
        "docs/competency-model-format.md). A new model becomes v1, a changed one gets the "
        "next version, and a file identical to the latest version changes nothing. Every "
        "problem is printed, one per line, and nothing is written when there is any."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The model file: .yaml, .yml or .json.")
        parser.add_argument("--note", default="", help="Why this version was made (kept with it).")

    def handle(self, *args: Any, file: str, note: str, **options: Any) -> None:
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as problem:
            raise CommandError(f"cannot read {file}: {problem.strerror or problem}") from None
        text, errors = read_model_bytes(data, filename=path.name)
        report = None
        if text is not None:
            report = import_model_text(text, filename=path.name, note=note)
            errors = report.errors
        for error in errors:
            self.stderr.write(str(error))
        if report is None or not report.ok:
            raise CommandError(f"Nothing was written: {len(errors)} problem(s) found.")
        self.stdout.write(self.style.SUCCESS(report.summary()))
