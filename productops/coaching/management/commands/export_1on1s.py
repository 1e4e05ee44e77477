"""`export_1on1s`: a person's 1:1 series and every 1:1 in them, as Markdown.

    productops export-1on1s --person priya@example.com [--output priya-1on1s.md]

Shared parts only: talking points, shared notes, actions, check-ins and cadence health.
Private notes are never exported, whoever runs the command: a command has no logged-in
author to check, so there is no one it could safely export them for.
`--include-private-of` exists only to say so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from productops.coaching.one_on_one_export import (
    PRIVATE_NOTES_LEFT_OUT,
    load_export,
    render_markdown,
)
from productops.org.models import Person


class Command(BaseCommand):
    help = (
        "Export every 1:1 series a person is in, and every 1:1 in them, to Markdown: dates, "
        "status, talking points, shared notes, actions and check-ins. Private notes are "
        "never included."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", required=True, help="The person's email.")
        parser.add_argument(
            "--output", help="Write the Markdown to this file instead of the screen."
        )
        parser.add_argument(
            "--include-private-of",
            metavar="USERNAME",
            help="Refused: private notes stay with their author, in productops.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["include_private_of"]:
            raise CommandError(
                f"{PRIVATE_NOTES_LEFT_OUT} {options['include_private_of']} can copy their own "
                "from each 1:1's page. Run the command again without --include-private-of."
            )
        email = options["person"].strip()
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(
                f"No person has the email {email}. Check the spelling, or import them first "
                "with `productops import-people FILE.csv`."
            )
        today = timezone.localdate()
        markdown = render_markdown(person, load_export(person, today=today), today=today)
        output = options["output"]
        if not output:
            self.stdout.write(markdown, ending="")
            return
        try:
            Path(output).write_text(markdown, encoding="utf-8")
        except OSError as problem:
            raise CommandError(f"Could not write {output}: {problem.strerror}.") from None
        self.stdout.write(f"Wrote the 1:1s of {person.name} to {output}.")
