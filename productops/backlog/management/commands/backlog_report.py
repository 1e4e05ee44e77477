"""`backlog-report`: the backlog health report on the command line, or its JSON.

    productops backlog-report [--json] [--start 2026-01-01 --end 2026-03-31] [--project P]

The numbers come from `report.build_report`, the same call the page and the API make,
and the rows from `report_rows`, as on the page. Without --start and --end the period is
the last 90 days of the data (ending at its newest change), and the header says so.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from productops.backlog import report as report_domain
from productops.backlog import report_rows
from productops.backlog.models import Framing, Origin, WorkKind


def _date(text: str | None, option: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} {text!r} is not a date: write it as YYYY-MM-DD.") from None


def _pct(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


class Command(BaseCommand):
    help = (
        "Show the backlog health report: the verdict, the origin mix of the open backlog "
        "and of the work done, the investment balance, sprint churn and accuracy, shelved work."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")
        parser.add_argument(
            "--start",
            help="First day of the period (YYYY-MM-DD); without dates, the last 90 days of the data.",
        )
        parser.add_argument(
            "--end",
            help="Last day of the period (YYYY-MM-DD); default today when --start is given.",
        )
        parser.add_argument("--project", help="Only this project or product area.")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = report_rows.fill_period(
            _date(options["start"], "--start"),
            _date(options["end"], "--end"),
            today=timezone.localdate(),
        )
        if start and end and start > end:
            raise CommandError(f"--start {start} comes after --end {end}.")
        project = options["project"] or None
        data = report_domain.build_report(start=start, end=end, project=project).as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str))
            return
        if not data.get("item_count"):
            raise CommandError(
                f"{report_rows.EMPTY} with `productops import-tracker` first"
                + (f" (no item in project {project!r})." if project else ".")
            )
        on_terminal = self.stdout.isatty()
        output = io.StringIO()
        console = Console(
            file=output,
            force_terminal=on_terminal,
            width=None if on_terminal else 140,
            no_color=options.get("no_color", False),
            highlight=False,
        )
        console.print(
            f"Backlog health{f' of {project}' if project else ''}, {data['period_text']}: "
            f"{data['item_count']} items"
        )
        for sentence in data.get("verdict") or []:
            console.print(f"• {sentence}")
        self._origin_mix(console, data)
        self._unknowns(console, data)
        self._classifier(console, data)
        self._investment(console, data)
        self._sprints(console, data)
        self._shelved(console, data)
        self.stdout.write(output.getvalue(), ending="")

    def _origin_mix(self, console: Console, data: dict[str, Any]) -> None:
        open_mix = report_rows.counts(data.get("origin_mix_open"))
        done_mix = report_rows.counts(data.get("origin_mix_done"))
        framing = report_rows.counts(data.get("framing_share"))
        table = Table(title="Origin mix", title_justify="left")
        for column in ("Origin", "Open", "Share", "Done in period", "Share"):
            table.add_column(column, justify="left" if column == "Origin" else "right")
        open_total, done_total = sum(open_mix.values()), sum(done_mix.values())
        for origin in Origin:
            if open_mix.get(origin) or done_mix.get(origin):
                table.add_row(
                    str(origin.label),
                    f"{open_mix.get(origin, 0):g}",
                    _pct(open_mix.get(origin, 0), open_total),
                    f"{done_mix.get(origin, 0):g}",
                    _pct(done_mix.get(origin, 0), done_total),
                )
        console.print(table)
        if framing:
            total = sum(framing.values())
            console.print(
                "Framing of the open backlog: "
                + ", ".join(
                    f"{f.label} {_pct(framing.get(f, 0), total)}" for f in Framing if framing.get(f)
                )
            )

    def _unknowns(self, console: Console, data: dict[str, Any]) -> None:
        for unknown in data.get("unknowns") or []:
            console.print(f"Unknown: {unknown['sentence']}")

    def _classifier(self, console: Console, data: dict[str, Any]) -> None:
        rows = report_rows.classifier_rows(data.get("classifier"))
        if not rows:
            return
        table = Table(
            title="Rules and learned model (macro-F1 on corrections)", title_justify="left"
        )
        for column in ("Dimension", "Corrections", "Rules", "Model", "Chance"):
            table.add_column(column, justify="left" if column == "Dimension" else "right")
        for row in rows:
            table.add_row(
                row["name"],
                str(row["corrections"]),
                row["rules_text"],
                row["model_text"],
                row["chance_text"],
            )
        console.print(table)
        for row in rows:
            console.print(row["sentence"])
            if row["curve_text"]:
                console.print(f"  Learning curve ({row['name']}): {row['curve_text']}")

    def _investment(self, console: Console, data: dict[str, Any]) -> None:
        months = report_rows.months(data.get("investment_by_month"))
        if not months:
            return
        kinds = [k for k in WorkKind if any(numbers.get(k) for _, numbers in months)]
        table = Table(title="Investment balance (items done per month)", title_justify="left")
        table.add_column("Month")
        for kind in kinds:
            table.add_column(str(kind.label), justify="right")
        for month, numbers in months:
            total = sum(numbers.values())
            table.add_row(
                month,
                *(f"{numbers.get(k, 0):g} ({_pct(numbers.get(k, 0), total)})" for k in kinds),
            )
        console.print(table)

    def _sprints(self, console: Console, data: dict[str, Any]) -> None:
        sprints = report_rows.sprint_rows(data.get("sprints"))
        notes = data.get("sprint_notes") or []
        if not sprints:
            for note in notes or ["No sprints in this period."]:
                console.print(note)
            return
        table = Table(title="Sprints", title_justify="left")
        columns = ("Sprint", "Committed", "Added", "Removed", "Completed", "Carried over")
        for column in (*columns, "Churn", "Accuracy", "Added mid-sprint by origin"):
            numeric = column not in ("Sprint", "Added mid-sprint by origin")
            table.add_column(column, justify="right" if numeric else "left")
        for sprint in sprints:
            table.add_row(
                str(sprint.get("name", "")),
                *(
                    str(sprint.get(k, ""))
                    for k in ("committed", "added", "removed", "completed", "carried_over")
                ),
                sprint["churn_text"],
                sprint["accuracy_text"],
                sprint["added_mix"] or "—",
            )
        console.print(table)
        console.print(
            "Churn = (added + removed) / committed; accuracy = completed of the committed / committed."
        )
        for note in notes:
            console.print(note)

    def _shelved(self, console: Console, data: dict[str, Any]) -> None:
        shelved = data.get("shelved") or {}
        per_month = report_rows.months(shelved.get("per_month"))
        total = sum(sum(numbers.values()) for _, numbers in per_month)
        console.print(
            f"Shelved in-progress work: {total} item{'s' if total != 1 else ''}"
            + (
                " (" + ", ".join(f"{m}: {sum(n.values()):g}" for m, n in per_month) + ")"
                if per_month
                else ""
            )
        )
        items = report_rows.shelved_rows(shelved.get("items") or [])
        if items:
            table = Table(title_justify="left")
            for column in ("Item", "Title", "Days in progress", "Shelved", "How"):
                table.add_column(column, justify="right" if column.startswith("Days") else "left")
            for item in items:
                table.add_row(
                    str(item.get("key", "")),
                    item["title"],
                    item["days"],
                    item["day"],
                    item["how_text"],
                )
            console.print(table)
