"""`labels`: the label vocabulary, every label and component with its count and reading.

    productops labels [--json] [--unmapped]

The rows come from `label_vocabulary.vocabulary()`, the same call the page and the API
make. Mapping a name is on the page (/backlog/labels/) and the API
(`POST /api/backlog/labels/mappings`).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.backlog.label_vocabulary import FROM_ORG, vocabulary


class Command(BaseCommand):
    help = (
        "List the labels and components of the imported tracker items with their counts, "
        "and what the mapping reads in each (origin, kind of work, framing), or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the list as JSON.")
        parser.add_argument(
            "--unmapped", action="store_true", help="Only the names the mapping does not read."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        found = vocabulary()
        rows = found.not_understood if options["unmapped"] else found.rows
        if options["json"]:
            data = {**found.as_dict(), "rows": [row.as_dict() for row in rows]}
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        if not found.items:
            raise CommandError(
                "No tracker items yet: import an export with `productops import-tracker` first."
            )
        self.stdout.write(
            f"{len(found.rows)} labels and components on {found.items} items; "
            f"{len(found.understood)} understood by the mapping, {len(found.not_understood)} not."
        )
        width = max([len(row.shown) for row in rows] + [8])
        for row in rows:
            readings = ", ".join(
                f"{dimension} {r.said}" + (" (the org's)" if r.by == FROM_ORG else "")
                for dimension, r in row.readings.items()
            )
            self.stdout.write(
                f"{row.shown:<{width}}  {row.items:>6}  {readings or 'not understood'}"
            )
        if found.not_understood:
            self.stdout.write(
                "Map the names not understood to an origin, kind or framing on the label "
                "vocabulary page (/backlog/labels/): their items are reclassified."
            )
