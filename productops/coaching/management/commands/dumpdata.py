"""`productops dumpdata`: Django's dumpdata, without the private 1:1 notes.

A private note is readable by its author only (docs/privacy.md), and a dump is a file
anyone who runs the command can read, so `coaching.PrivateNote` (the only model that
holds private note text) is left out of every dump, even when it is named on the command
line. `--include-private-notes` puts the notes in, with a warning: for moving a whole
install to a new server, where the dump must be kept as carefully as the database file.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.core.management.commands import dumpdata

# Every model that holds the text of a private note.
PRIVATE_NOTE_MODELS = ["coaching.PrivateNote"]

WARNING = (
    "Warning: this dump contains every private 1:1 note in clear text, which only their "
    "authors may read. Keep the file as you keep the database file, and delete it once "
    "it has been loaded."
)
LEFT_OUT = (
    "Private 1:1 notes (coaching.PrivateNote) are left out of this dump; "
    "--include-private-notes puts them in."
)


class Command(dumpdata.Command):
    help = (
        dumpdata.Command.help
        + " Private 1:1 notes are left out unless --include-private-notes is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--include-private-notes",
            action="store_true",
            help="Also dump the private 1:1 notes, in clear text (prints a warning).",
        )

    def handle(self, *app_labels: str, **options: Any) -> None:
        if options.pop("include_private_notes", False):
            self.stderr.write(self.style.WARNING(WARNING))
        else:
            options["exclude"] = [*(options.get("exclude") or []), *PRIVATE_NOTE_MODELS]
            if options.get("verbosity", 1) >= 1:
                self.stderr.write(LEFT_OUT)
        super().handle(*app_labels, **options)
