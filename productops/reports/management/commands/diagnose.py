"""`productops diagnose --people P.csv --tracker EXPORT --out report/`: the coach's command.

Thin over `productops.reports.diagnose`: it reads the options, shows a progress bar over
the steps and prints the executive summary; the steps are the domain module's.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from productops.accounts.roles import Login
from productops.backlog.writer import FORMATS
from productops.imports.command import add_skip_invalid
from productops.reports import diagnose
from productops.reports.actions import do_generate_health_report
from productops.reports.pdf import html_to_pdf
from productops.reports.render import render_document
from productops.reports.workbook import diagnosis_sheets, write_workbook

# the steps after the imports: login, report, HTML, PDF, workbook
STEPS_AFTER_IMPORTS = 5


class Command(BaseCommand):
    help = (
        "Diagnose a company from its files on an empty data dir: import the people and the "
        "tracker export (and touchpoints and ratings when given), run every analysis the "
        "data allows, write report.html, report.pdf and tables.xlsx into --out, and print "
        "the executive summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", required=True, help="the people CSV (HR export)")
        parser.add_argument(
            "--tracker", required=True, nargs="+", help="tracker export files or folders"
        )
        parser.add_argument(
            "--format", default="jira-json", choices=list(FORMATS), help="the tracker's format"
        )
        parser.add_argument(
            "--mapping", help="with --format csv: the column mapping file (JSON or YAML)"
        )
        parser.add_argument("--touchpoints", help="a touchpoints CSV")
        parser.add_argument("--ratings", help="a ratings CSV (needs --model)")
        parser.add_argument("--model", help="the competency model slug of the ratings")
        parser.add_argument("--out", required=True, help="the folder to write the report into")
        parser.add_argument(
            "--force", action="store_true", help="write into a non-empty --out folder"
        )
        parser.add_argument("--org", default="", help="the organization's name for the cover")
        add_skip_invalid(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        inputs = diagnose.Inputs(
            people=options["people"],
            tracker=list(options["tracker"]),
            format=options["format"],
            mapping=options["mapping"],
            touchpoints=options["touchpoints"],
            ratings=options["ratings"],
            model=options["model"],
            skip_invalid=options["skip_invalid"],
        )
        out = Path(options["out"])
        diagnose.check_out_dir(out, force=options["force"])
        diagnose.check_inputs(inputs)
        quiet = options["verbosity"] == 0
        imports = diagnose.import_steps(inputs)
        console = Console(stderr=True, quiet=quiet)
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        # No bar off a terminal: rich would leave blank lines in a log.
        with Progress(
            *columns, console=console, transient=True, disable=quiet or not console.is_terminal
        ) as bar:
            task = bar.add_task(
                "Preparing the data dir", total=1 + len(imports) + STEPS_AFTER_IMPORTS
            )

            def step(description: str) -> None:
                bar.update(task, description=description, advance=1)

            diagnose.prepare_database()
            # one transaction: a refused file or a failed write leaves the data dir empty
            with transaction.atomic():
                imported = []
                for description, run in imports:
                    step(description)
                    # each importer draws its own bar: two live bars on one terminal garble
                    bar.stop()
                    imported.append(run())
                    bar.start()
                step("Creating the report's reader")
                reader = diagnose.diagnosis_reader()
                step("Running every analysis")
                report = do_generate_health_report(reader).report
                step("Writing the report")
                html = render_document(report, options["org"])
                step("Writing the PDF")
                pdf = html_to_pdf(html)
                step("Writing the workbook")
                counts = self._write(out, html, pdf, reader)
        self._print(report, imported, diagnose.missing_inputs(inputs), counts, out)

    def _write(self, out: Path, html: str, pdf: bytes, reader: Login) -> dict[str, int]:
        try:
            return diagnose.write_outputs(
                out, html, pdf, lambda path: write_workbook(str(path), diagnosis_sheets(reader))
            )
        except OSError as error:
            raise CommandError(f"Could not write into {out}: {error}. Check the path.") from None

    def _print(
        self,
        report: dict[str, Any],
        imported: list[str],
        missing: list[str],
        counts: dict[str, int],
        out: Path,
    ) -> None:
        # Rich renders into a buffer: Django's stdout wrapper would add a newline to
        # every partial write rich makes.
        on_terminal = self.stdout.isatty()
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            force_terminal=on_terminal,
            width=None if on_terminal else 120,
            no_color=not on_terminal,
            highlight=False,
            # a log or a pipe keeps each finding on one line, to grep
            soft_wrap=not on_terminal,
        )
        for line in imported:
            console.print(line, markup=False)
        console.rule("Executive summary")
        for number, finding in enumerate(report["summary"], start=1):
            console.print(f"{number}. [bold]{_escaped(finding['sentence'])}[/bold]")
            if finding.get("try_first"):
                console.print(f"   Try first: {_escaped(finding['try_first'])}")
        others = diagnose.other_findings(report)
        if others:
            console.rule("Also found")
            for finding in others:
                console.print(f"- ({finding['severity']}) {_escaped(finding['sentence'])}")
        if missing:
            console.rule("What more input would add")
            for line in missing:
                console.print(f"- {_escaped(line)}")
        sheets = ", ".join(f"{name} ({count})" for name, count in counts.items())
        console.print(
            f"Wrote {out / 'report.html'}, {out / 'report.pdf'} and {out / 'tables.xlsx'} "
            f"(sheets: {_escaped(sheets)}).",
            markup=False,
        )
        self.stdout.write(buffer.getvalue(), ending="")


def _escaped(text: str) -> str:
    from rich.markup import escape

    return escape(text)
