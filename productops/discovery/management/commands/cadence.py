"""`cadence`: every team's discovery cadence on the command line, as the page shows it.

    productops cadence [--team NAME] [--start YYYY-MM-DD --end YYYY-MM-DD] [--json]

The numbers come from `discovery.cadence.load_cadence`, like the pages and the API, so
they agree: which kinds count is the setting PRODUCTOPS_DISCOVERY_KINDS
(`discovery.kinds`). Below the table come each team's kind mix and the trio findings.
Cadence is an aggregate: no touchpoint notes are printed.
"""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from productops.discovery.cadence import TeamCadence, load_cadence
from productops.discovery.kinds import SHADOWING_VALUES, labels, phrase
from productops.org.models import Team


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"'{text}' is not a date written YYYY-MM-DD, such as 2025-01-31."
        ) from None


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def _strip(cadence: TeamCadence) -> str:
    """One character a week: '#' counted, 's' shadowing only, '.' neither, '_' the running
    week without either yet."""
    marks = []
    for monday, count in cadence.weeks:
        if count:
            marks.append("#")
        elif cadence.week_shadowing(monday):
            marks.append("s")
        elif monday == cadence.running_week:
            marks.append("_")
        else:
            marks.append(".")
    return "".join(marks)


class Command(BaseCommand):
    help = (
        "Show each team's discovery cadence: ISO weeks with a customer touchpoint by the "
        "team, the current and longest streaks, trio participation, shadowing apart, each "
        "team's mix of kinds, the trio findings and silent teams. "
        "Default period: the last 12 full weeks and the current week up to today."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--team", help="Only this team (its name, any case).")
        parser.add_argument("--start", help="First day of the period, YYYY-MM-DD.")
        parser.add_argument("--end", help="Last day of the period, YYYY-MM-DD (default: today).")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        start = _day(options["start"]) if options.get("start") else None
        end = _day(options["end"]) if options.get("end") else None
        team_ids = None
        if options.get("team"):
            name = options["team"].strip()
            team = Team.objects.filter(name__iexact=name).first()
            if team is None:
                raise CommandError(
                    f"No team is named '{name}'; `productops cadence` lists them all."
                )
            team_ids = [team.pk]
        try:
            cadences = load_cadence(team_ids, start=start, end=end)
        except ValueError as problem:
            raise CommandError(f"{str(problem)[0].upper()}{str(problem)[1:]}.") from None
        if options["json"]:
            body = [cadence.as_dict() for cadence in cadences]
            self.stdout.write(json.dumps(body, indent=2, default=str, ensure_ascii=False))
            return
        if not cadences:
            self.stdout.write("No teams yet: add teams, then log touchpoints.")
            return
        on_terminal = self.stdout.isatty()
        out = io.StringIO()
        console = Console(
            file=out,
            force_terminal=on_terminal,
            width=None if on_terminal else 160,
            no_color=options.get("no_color", False),
            highlight=False,
        )
        self._print(console, cadences)
        self.stdout.write(out.getvalue(), ending="")

    def _print(self, console: Console, cadences: list[TeamCadence]) -> None:
        first = cadences[0]
        console.print(
            f"Discovery cadence from {first.start:%Y-%m-%d} to {first.end:%Y-%m-%d} "
            f"({first.week_count} ISO weeks)"
        )
        table = Table(title_justify="left")
        table.add_column("Team")
        table.add_column("Weeks")
        for column in (
            "With one",
            "Share",
            "Streak",
            "Longest",
            "Trio",
            "Shadowing",
            "Shadow-only",
            "Touchpoints",
            "Customers",
        ):
            table.add_column(column, justify="right")
        table.add_column("Last")
        table.add_column("Silent")
        for c in cadences:
            table.add_row(
                c.team_name,
                _strip(c),
                f"{c.counted_weeks}/{c.week_count}",
                _percent(c.weekly_share),
                str(c.current_streak),
                str(c.longest_streak),
                _percent(c.trio_share),
                str(c.shadowing),
                str(c.shadowing_only_weeks),
                str(c.touchpoints),
                str(c.customers),
                f"{c.last_date:%Y-%m-%d}" if c.last_date else "—",
                "silent" if c.silent else "",
            )
        console.print(table)
        counting = labels(first.discovery_kinds)
        shadowing = SHADOWING_VALUES - first.discovery_kinds
        console.print(
            "A week counts when the team had a touchpoint of a kind that counts "
            f"({', '.join(counting).lower()}) with one of its members. "
            + (
                f"{phrase(shadowing)} are shown apart and do not count on their own. "
                if shadowing
                else ""
            )
            + "# counted, s shadowing only, . neither, _ this week so far. "
            "Silent: none that counts in the last 28 days. "
            "Which kinds count: the setting PRODUCTOPS_DISCOVERY_KINDS."
        )
        console.print("")
        console.print("Kinds of touchpoint per team (share of the team's touchpoints):")
        for c in cadences:
            mix = [
                f"{row.label} {row.count} ({row.percent}%)" for row in c.kind_rows() if row.count
            ]
            console.print(f"  {c.team_name}: {', '.join(mix) if mix else 'no touchpoint'}")
        findings = [(c.team_name, c.trio_finding) for c in cadences if c.trio_finding]
        console.print("")
        if not findings:
            console.print("Trio findings: none.")
            return
        console.print("Trio findings:")
        for name, finding in findings:
            console.print(f"  {name}: {finding.sentence}")
            console.print(f"    What to try: {finding.try_next}")
