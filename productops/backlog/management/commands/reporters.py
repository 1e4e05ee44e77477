"""`reporters`: who files the backlog, with their count and share, matched to a person or not.

    productops reporters [--json] [--unmatched] [--source jira]

The rows come from `reporters.reporters()`, the same call the page and the API make.
Assigning a reporter to a person or a discipline is on the page (/backlog/reporters/)
and the API (`POST /api/backlog/reporters/assignments`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.backlog import reporters as reporters_domain
from productops.backlog.models import Source


class Command(BaseCommand):
    help = (
        "List the reporters of the imported tracker items: how many items each filed, "
        "their share, and whether the import matched them to a person of the org."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the list as JSON.")
        parser.add_argument(
            "--unmatched", action="store_true", help="Only the reporters nobody matched."
        )
        parser.add_argument("--source", choices=Source.values, help="Only this tracker.")

    def handle(self, *args: Any, **options: Any) -> None:
        found = reporters_domain.reporters(options["source"])
        rows = [
            row
            for row in found.rows
            if not options["unmatched"] or row.status == reporters_domain.UNMATCHED
        ]
        if options["json"]:
            data = {"summary": found.summary.as_dict(), "reporters": [r.as_dict() for r in rows]}
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        summary = found.summary
        if not summary.items:
            raise CommandError(
                "No tracker items yet: import an export with `productops import-tracker` first."
            )
        self.stdout.write(
            f"{summary.items} items from {summary.reporters} reporters: {summary.matched} "
            f"matched to a person, {summary.assigned} assigned, {summary.unmatched} not matched "
            f"({round(100 * summary.share(summary.items_unmatched))}% of the items)."
        )
        width = max([len(row.name) for row in rows] + [8])
        for row in rows:
            who = row.name if row.key else "(no reporter)"
            to = row.person_name or reporters_domain.discipline_label(row.discipline) or "—"
            self.stdout.write(
                f"{who:<{width}}  {row.source:<7} {row.items:>6}  {100 * row.share:5.1f}%  "
                f"{reporters_domain.STATUS_TEXT[row.status]}: {to}"
            )
        if summary.unmatched:
            self.stdout.write(
                "Assign the reporters not matched to a person or a discipline on the "
                "reporters page (/backlog/reporters/): their items are reclassified."
            )
