"""`audit_org`: the org audit on the command line, as a report or as JSON for scripts."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from productops.org.audit import (
    RULES,
    AuditResult,
    AuditThresholds,
    Severity,
    audit_org,
    load_org_snapshot,
)

SPAN_ROWS_SHOWN = 10
SEVERITY_STYLE = {Severity.CRITICAL: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class Command(BaseCommand):
    help = (
        "Audit the org: span of control, 1:1 load, trio completeness, PM spread, who manages "
        "PMs, leadership mix, people outside the tree, deep chains and reporting cycles."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--span-warn", type=int, help="Warn above this many direct reports.")
        parser.add_argument(
            "--span-critical", type=int, help="Critical above this many direct reports."
        )
        parser.add_argument(
            "--max-depth", type=int, help="Warn about people more than this many levels deep."
        )
        parser.add_argument(
            "--max-teams-per-pm", type=int, help="Warn about PMs on more teams than this."
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument(
            "--fail-on",
            choices=[Severity.WARNING.value, Severity.CRITICAL.value],
            help="Exit with status 1 if any finding is at or above this severity.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            thresholds = AuditThresholds.from_settings(
                span_warn=options["span_warn"],
                span_critical=options["span_critical"],
                max_chain_depth=options["max_depth"],
                max_teams_per_pm=options["max_teams_per_pm"],
            )
        except (TypeError, ValueError) as error:
            raise CommandError(str(error)) from error

        snapshot = load_org_snapshot()
        result = audit_org(snapshot, thresholds)

        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
        else:
            # Rich renders into a buffer: Django's stdout wrapper would add a newline to
            # every partial write rich makes.
            on_terminal = self.stdout.isatty()
            buffer = io.StringIO()
            console = Console(
                file=buffer,
                force_terminal=on_terminal,
                width=None if on_terminal else 120,
                no_color=options.get("no_color", False),
                highlight=False,
            )
            self._print_report(console, result, len(snapshot.people), len(snapshot.teams))
            self.stdout.write(buffer.getvalue(), ending="")

        if options["fail_on"]:
            failing = result.at_or_above(options["fail_on"])
            if failing:
                raise CommandError(
                    f"{len(failing)} finding(s) at or above {options['fail_on']}", returncode=1
                )

    def _print_report(self, console: Console, result: AuditResult, people: int, teams: int) -> None:
        console.print(
            f"Org audit of {people} active people in {teams} teams: "
            f"{len(result.findings)} finding(s)."
        )
        for severity in Severity:
            found = [finding for finding in result.findings if finding.severity == severity]
            if not found:
                continue
            table = Table(
                title=f"{severity.capitalize()} ({len(found)})",
                title_style=SEVERITY_STYLE[severity],
                title_justify="left",
                show_lines=True,
            )
            table.add_column("Rule")
            table.add_column("Subject")
            table.add_column("Finding")
            table.add_column("Why it matters")
            for finding in found:
                table.add_row(
                    RULES[finding.rule], finding.subject_name, finding.message, finding.why
                )
            console.print(table)

        if not result.spans:
            console.print("No one manages anyone yet.")
            return
        shown = min(SPAN_ROWS_SHOWN, len(result.spans))
        spans = Table(
            title=f"Spans of control ({shown} of {len(result.spans)})", title_justify="left"
        )
        spans.add_column("Manager")
        spans.add_column("Direct", justify="right")
        spans.add_column("Total", justify="right")
        spans.add_column("Flag")
        for row in result.spans[:SPAN_ROWS_SHOWN]:
            flag = str(row.severity) if row.severity else ""
            spans.add_row(row.name, str(row.direct), str(row.total), flag)
        console.print(spans)
