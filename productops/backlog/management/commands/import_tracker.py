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
from django.core.management.base import CommandError, CommandParser

from productops.backlog.actions import import_tracker
from productops.backlog.importers.jira_json import load_field_names
from productops.backlog.writer import FORMATS
from productops.imports import RowError, nested_too_deep, shown
from productops.imports.command import ImportCommand


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


class Command(ImportCommand):
    help = (
        "Import tracker exports (files or folders). Items are matched by source and key, so "
        "importing the same export again changes nothing and a newer one updates in place. "
        "By default nothing is written when any record has a problem."
    )
    what = "items"
    many_files = True
    file_help = "Export files or folders of them."

    def add_import_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--mapping", help="Column mapping file (JSON or YAML) for csv.")
        parser.add_argument(
            "--fields", help="Jira's field list (GET /rest/api/3/field) to find custom fields."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["file"]:
            if not Path(path).exists():
                raise CommandError(f"{path}: no such file or folder")
        try:
            options["mapping"] = load_mapping(options["mapping"]) if options["mapping"] else None
            options["fields"] = load_field_names(options["fields"]) if options["fields"] else None
        except RecursionError:
            raise CommandError(
                f"cannot read the mapping or fields file: {nested_too_deep('file')}"
            ) from None
        except (OSError, ValueError, yaml.YAMLError) as problem:
            raise CommandError(
                f"cannot read the mapping or fields file: {shown(problem, 300)}"
            ) from None
        self.word = position_word(options["format"])
        super().handle(*args, **options)

    def run_import(
        self,
        file: list[str],
        *,
        skip_invalid: bool,
        format: str = "",
        mapping: dict | None = None,
        fields: Any = None,
        progress: Any = None,
        **options: Any,
    ) -> Any:
        return import_tracker(
            file,
            format=format,
            mapping=mapping,
            fields=fields,
            skip_invalid=skip_invalid,
            progress=progress,
        )

    def describe(self, error: RowError) -> str:
        return describe_error(error, position_word=self.word)
