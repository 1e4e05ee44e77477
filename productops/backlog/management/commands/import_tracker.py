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
from productops.backlog.importers.suggest_mapping import suggest_for_files
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


SHOWN_WARNINGS = 20  # the first warnings printed; the rest are counted
SHOWN_FILES = 50  # the per-file lines printed; the rest are counted


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
        parser.add_argument(
            "--suggest-mapping",
            action="store_true",
            help="With --format csv: print a mapping guessed from the file's header, to check "
            "and pass back with --mapping. Nothing is imported.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["file"]:
            if not Path(path).exists():
                raise CommandError(f"{path}: no such file or folder")
        if options.get("suggest_mapping"):
            if options["format"] != "csv":
                raise CommandError(
                    "--suggest-mapping works with --format csv; the other formats need no mapping."
                )
            try:
                self.stdout.write(suggest_for_files(options["file"]), ending="")
            except ValueError as problem:
                raise CommandError(f"cannot suggest a mapping: {problem}") from None
            return
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

    def report(self, report: Any, *, skip_invalid: bool = False) -> None:
        """The warnings (a count and the first few), what became of each file, then the
        problems and the summary as every import command prints them."""
        self.report_warnings(report)
        self.report_files(report)
        super().report(report, skip_invalid=skip_invalid)

    def report_warnings(self, report: Any) -> None:
        total = getattr(report, "warning_count", 0) or len(report.warnings)
        if not total:
            return
        done = "were imported" if report.written else "would be imported"
        self.stderr.write(f"{total} warning(s): these records {done}, with what they lack noted.")
        for warning in report.warnings[:SHOWN_WARNINGS]:
            self.stderr.write(f"warning: {self.describe(warning)}")
        if total > SHOWN_WARNINGS:
            self.stderr.write(
                f"… and {total - SHOWN_WARNINGS} more warning(s); the import page and the "
                "API list more of them."
            )

    def report_files(self, report: Any) -> None:
        files = getattr(report, "files", [])
        if not files:
            return
        # the files that lost records first, so a long export still shows them
        shown_files = sorted(files, key=lambda f: not (f.skipped or f.problems))[:SHOWN_FILES]
        self.stdout.write(f"{len(files)} file(s) read:")
        for summary in shown_files:
            self.stdout.write(f"  {summary.sentence(written=report.written)}")
        if len(files) > SHOWN_FILES:
            self.stdout.write(f"  … and {len(files) - SHOWN_FILES} more file(s).")
