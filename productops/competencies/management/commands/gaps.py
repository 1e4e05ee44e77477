"""`gaps`: one person's gap analysis on the command line, as the page shows it, or JSON.

    productops gaps --person priya@example.com [--cycle "H1 review"] [--json]

The numbers come from the same loader as the page and the API (`gap_data`), so they
agree to the digit with what the person and their manager see: peers appear only as a
mean, only with enough answers, and only once released (the cycle closed, or every
requested peer answered); counts read "3 or more".
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from productops.competencies import gap_data
from productops.competencies.gaps import (
    CONSENSUS_FORMULA,
    PEERS_PENDING,
    PEERS_PENDING_NOTE,
    SIGNAL_STEPS,
    TABLE_COLUMNS,
    shown,
)
from productops.competencies.visibility import PEER_ANONYMITY_THRESHOLD
from productops.org.models import Person


class Command(BaseCommand):
    help = (
        "Show a person's competency gaps in a cycle: self, manager, peer mean, consensus, "
        "expected step, gap and change, with blind spots, hidden strengths and top gaps."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--person", required=True, help="The person's email.")
        parser.add_argument(
            "--cycle",
            help="The cycle's name (or id); default: the latest with answers about them.",
        )
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["person"].strip().lower()
        person = Person.objects.filter(email=email).first()
        if person is None:
            raise CommandError(f"No person with the email {email}.")
        cycles = gap_data.cycles_for_person(person)
        cycle = None
        if options["cycle"]:
            wanted = options["cycle"].strip()
            matching = [c for c in cycles if c.name == wanted or str(c.pk) == wanted]
            if not matching:
                known = ", ".join(sorted({c.name for c in cycles})) or "none"
                raise CommandError(
                    f"{person.name} has no submitted answers in a cycle named {wanted!r} "
                    f"(cycles with answers: {known})."
                )
            cycle = matching[0]  # newest first: a repeated name means the latest
        result = gap_data.load_person_gaps(person, cycle)
        if result is None:
            raise CommandError(
                f"No submitted assessments about {person.name} yet: open a cycle under Assessments."
            )
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        on_terminal = self.stdout.isatty()
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            force_terminal=on_terminal,
            width=None if on_terminal else 140,
            no_color=options.get("no_color", False),
            highlight=False,
        )
        self._print(console, result)
        self.stdout.write(buffer.getvalue(), ending="")

    def _print(self, console: Console, result: Any) -> None:
        cycle = result.cycle
        console.print(
            f"{result.person.name} in {cycle.name} ({cycle.model} v{cycle.version})"
            + (f", expected for {result.expected_for}" if result.expected_for else "")
        )
        if not result.expected_for:
            console.print(
                f"No ladder level matches the career level {result.person.level!r}: "
                "gaps are unknown."
            )
        if result.previous_cycle:
            console.print(f"Change against {result.previous_cycle.name}.")
        if result.peer_results == PEERS_PENDING:
            console.print(
                PEERS_PENDING_NOTE.format(cycle=cycle.name, threshold=PEER_ANONYMITY_THRESHOLD)
            )
        table = Table(title_justify="left")
        for index, column in enumerate(TABLE_COLUMNS):
            table.add_column(column, justify="left" if index == 0 else "right")
        table.add_column("Consensus from")
        for row, cells in zip(result.rows, result.table(), strict=True):
            table.add_row(*cells, row.basis_label)
        console.print(table)
        console.print(
            "Top gaps: "
            + (
                "; ".join(f"{row.name} {shown(row.gap, signed=True)}" for row in result.top_gaps)
                or "none"
            )
        )
        for label, rows in (
            ("Blind spots", result.blind_spots),
            ("Hidden strengths", result.hidden_strengths),
        ):
            console.print(
                f"{label}: "
                + (
                    "; ".join(
                        f"{row.name} (self {shown(row.self_score)}, others {shown(row.others)})"
                        for row in rows
                    )
                    or "none"
                )
            )
        console.print(
            CONSENSUS_FORMULA.format(threshold=PEER_ANONYMITY_THRESHOLD, signal=shown(SIGNAL_STEPS))
        )
