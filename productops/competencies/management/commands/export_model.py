"""`export_model`: print a competency model version as YAML or JSON.

Written `productops export-model NAME [--version V] [--format yaml|json]`. The output is
the stored document, so importing it again reports the version unchanged.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.competencies.model_format import FORMATS, render_document
from productops.competencies.models import CompetencyModel


class Command(BaseCommand):
    help = (
        "Print a competency model (by slug or name) as YAML or JSON, the latest version "
        "unless --version says otherwise. Importing the output again changes nothing."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Django gives every command --version (its own version); here it means the model's.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The model's slug (pm-toolkit) or its name.")
        parser.add_argument("--version", type=int, dest="number", help="A version number.")
        parser.add_argument("--format", choices=FORMATS, default="yaml", dest="fmt")

    def handle(self, *args: Any, name: str, number: int | None, fmt: str, **options: Any) -> None:
        model = (
            CompetencyModel.objects.filter(slug=name).first()
            or CompetencyModel.objects.filter(name__iexact=name).first()
        )
        if model is None:
            known = ", ".join(CompetencyModel.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f'No competency model "{name}". Models: {known}.')
        versions = model.versions.order_by("-number")
        version = versions.filter(number=number).first() if number else versions.first()
        if version is None:
            numbers = ", ".join(f"v{n}" for n in versions.values_list("number", flat=True))
            raise CommandError(
                f"{model.name} has no version {number}. Versions: {numbers or 'none'}."
            )
        self.stdout.write(render_document(version.document, fmt), ending="")
