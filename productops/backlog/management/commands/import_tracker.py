"""`import_tracker`: bring tracker exports (Jira, GitHub, Linear, CSV) into the backlog.

Written `productops import-tracker --format jira-json PATH...` on the command line. The
command reads the options, shows progress and prints; the import itself is
`productops.backlog.actions.import_tracker`, the same call the upload page makes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from productops.backlog.actions import import_tracker
from productops.backlog.importers.jira_json import load_field_names
from productops.backlog.writer import FORMATS
from productops.imports import RowError


def describe_error(error: RowError, *, position_word: str = "row") -> str:
    """`file, position 3, key SHOP-2, field created: reason` — the parts that are known."""
    where = [error.source or "input"]
    if error.row is not None:
        where.append(f"{position_word} {error.row}")
    if error.key:
        where.append(f"key {error.key}")
    if error.column:
        where.append(f"field {error.column}")
    return f"{', '.join(where)}: {error.reason}"


def position_word(format: str) -> str:
    """JSON exports place an issue by its position in the page; CSV files by row."""
    return "position" if format.endswith("json") else "row"


def load_mapping(path: str) -> dict:
    """A mapping file for the generic CSV importer: JSON or YAML, one object."""
    text = Path(path).read_text(encoding="utf-8-sig")
    data = json.loads(text) if path.lower().endswith(".json") else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("a mapping file holds one object: column names by field")
    return data


class Command(BaseCommand):
    help = (
        "Import tracker exports (files or folders). Items are matched by source and key, so "
        "importing the same export again changes nothing and a newer one updates in place. "
        "By default nothing is written when any record has a problem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Export files or folders of them.")
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--mapping", help="Column mapping file (JSON or YAML) for csv.")
        parser.add_argument(
            "--fields", help="Jira's field list (GET /rest/api/3/field) to find custom fields."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Write the good records and list the bad ones instead of writing nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths = options["paths"]
        for path in paths:
            if not Path(path).exists():
                raise CommandError(f"{path}: no such file or folder")
        try:
            mapping = load_mapping(options["mapping"]) if options["mapping"] else None
            fields = load_field_names(options["fields"]) if options["fields"] else None
        except (OSError, ValueError, yaml.YAMLError) as problem:
            raise CommandError(f"cannot read the mapping or fields file: {problem}") from None
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Importing items", total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            report = import_tracker(
                paths,
                format=options["format"],
                mapping=mapping,
                fields=fields,
                skip_invalid=options["skip_invalid"],
                progress=progress,
            )
        word = position_word(options["format"])
        for error in report.errors:
            self.stderr.write(describe_error(error, position_word=word))
        if not report.written:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
