"""`retrain`: train the learned classifier again from the corrections, and reclassify.

Written `productops retrain [--dimension origin|kind|framing]`. A dimension needs at
least 50 corrections in two labels; each model is scored by cross-validation against
the rules and put in use only when it beats them. The work is
`productops.backlog.actions.do_retrain`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console

from productops.backlog.actions import do_retrain
from productops.backlog.classification import DIMENSIONS


class Command(BaseCommand):
    help = "Retrain the learned classifier from corrections and reclassify every item."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dimension", choices=list(DIMENSIONS))

    def handle(self, *args: Any, dimension: str | None, **options: Any) -> None:
        with Console(stderr=True).status("Training on corrections…"):
            models = do_retrain(dimension)
        if not models:
            self.stdout.write(
                "Nothing trained: a dimension needs at least 50 corrections in two labels."
            )
            return
        for model in models:
            verdict = "in use" if model.in_use else "not used: the rules score higher"
            self.stdout.write(
                f"{model.dimension}: {model.examples} corrections, cross-validated macro-F1 "
                f"{model.cv_macro_f1:.2f} against the rules' {model.rules_macro_f1:.2f} — {verdict}."
            )
