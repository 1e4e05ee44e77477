"""The base of every import management command: one file, `--skip-invalid`, the summary.

A command names what it imports and the call that does it; the options, the progress
bar, the error listing and the exit status are the same for every source:

    class Command(ImportCommand):
        help = "Import people from a CSV file ..."
        what = "people"

        def run_import(self, file, *, skip_invalid, **options):
            return import_people_file(file, skip_invalid=skip_invalid)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from productops.imports.errors import ImportReport, cli_skip_hint

FILE_HELP = "The CSV file (UTF-8; Excel's 'CSV UTF-8' works)."
SKIP_INVALID_HELP = "Write the good rows and list the bad ones instead of writing nothing."


def add_skip_invalid(parser: CommandParser) -> None:
    """The `--skip-invalid` option every import command takes, with the same words."""
    parser.add_argument("--skip-invalid", action="store_true", help=SKIP_INVALID_HELP)


class ImportCommand(BaseCommand):
    what = "rows"  # "Importing <what> from FILE…"
    file_help = FILE_HELP
    # False for a source that is all or nothing by nature (a career framework: a ladder
    # with a level missing is wrong, not partly right).
    takes_skip_invalid = True
    # True for a source that comes as several files or folders (a tracker export): `file`
    # is then the list of them.
    many_files = False

    def add_arguments(self, parser: CommandParser) -> None:
        if self.many_files:
            parser.add_argument("file", nargs="+", metavar="PATH", help=self.file_help)
        else:
            parser.add_argument("file", help=self.file_help)
        if self.takes_skip_invalid:
            add_skip_invalid(parser)
        self.add_import_arguments(parser)

    def add_import_arguments(self, parser: CommandParser) -> None:
        """Options of one source beyond the file and `--skip-invalid`."""

    def run_import(self, file: Any, *, skip_invalid: bool, **options: Any) -> Any:
        """Import the file; returns a report with `errors`, `written` and `summary()`
        (an `ImportReport`, or a source's own report shaped the same). `options` holds
        `progress(done, total)`, for an import that can tell how far it is."""
        raise NotImplementedError

    def handle(self, *args: Any, file: Any, skip_invalid: bool = False, **options: Any) -> None:
        # Thousands of rows take a few seconds on a slow disk: show that work is going on.
        # The bar draws only on a terminal, so logs and tests see plain lines.
        named = ", ".join(file) if isinstance(file, list) else file
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        console = Console(stderr=True)
        # Off the terminal (a log, a pipe, another command calling this one) and under
        # --verbosity 0 there is no bar: rich would still leave a blank line behind.
        quiet = not console.is_terminal or int(options.get("verbosity", 1)) == 0
        with Progress(*columns, console=console, transient=True, disable=quiet) as bar:
            task = bar.add_task(f"Importing {self.what} from {named}", total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            report = self.run_import(file, skip_invalid=skip_invalid, progress=progress, **options)
        self.report(report, skip_invalid=skip_invalid)

    def describe(self, error: Any) -> str:
        """One error as the command prints it."""
        return str(error)

    def report(self, report: ImportReport, *, skip_invalid: bool = False) -> None:
        """Every error on stderr; the summary on stdout, or as the error when nothing was
        written (advising `--skip-invalid` only to a run that did not have it)."""
        for error in report.errors:
            self.stderr.write(self.describe(error))
        if not report.written:
            hint = cli_skip_hint(used=skip_invalid) if self.takes_skip_invalid else None
            raise CommandError(report.summary(hint) if hint else report.summary())
        self.report_written(report)

    def report_written(self, report: Any) -> None:
        """What a written import prints; a source with more to say overrides it."""
        self.stdout.write(self.style.SUCCESS(report.summary()))
