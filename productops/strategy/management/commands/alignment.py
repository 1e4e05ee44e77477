"""`alignment`: how much of the work traces to an objective, on the command line.

    productops alignment [--start 2026-01-01 --end 2026-03-31] [--json]

The numbers come from `strategy.alignment.compute_alignment`, the same call the page
and the API make; the period defaults to the current quarter. The command runs with the
operator's own rights, so it prints item keys and titles.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.strategy import alignment

SHOWN_UNALIGNED = 20


class Command(BaseCommand):
    help = (
        "Show how much of the work in progress and of the work done in a period traces to "
        "an objective, per objective, the objectives with no work and the unaligned items."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", help="First day of the period (YYYY-MM-DD).")
        parser.add_argument("--end", help="Last day of the period (YYYY-MM-DD).")
        parser.add_argument("--json", action="store_true", help="Print everything as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start, end = alignment.period_from(options["start"], options["end"])
        except ValidationError as problem:
            raise CommandError(" ".join(problem.messages)) from None
        result = alignment.compute_alignment(start, end)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
            return
        write = self.stdout.write
        write(f"Strategy alignment, {result.start} to {result.end}")
        write(
            f"Work in progress tracing to an objective: "
            f"{alignment.share_text(result.in_progress_share)} "
            f"({result.in_progress_aligned} of {result.in_progress})"
        )
        write(
            f"Work done in the period tracing to an objective: "
            f"{alignment.share_text(result.done_share)} ({result.done_aligned} of {result.done})"
        )
        if not result.objectives:
            write("No objective covers this period: add objectives on /strategy/objectives/.")
        else:
            write("")
            write("Objectives (in progress, done; traced by hand, by label, by epic):")
            for o in result.objectives:
                write(
                    f"  {o.title} [{o.level}]: {o.in_progress} in progress, {o.done} done "
                    f"({o.by_hand} by hand, {o.by_label} by label, {o.by_epic} by epic)"
                )
        idle = result.objectives_without_work
        if idle:
            write("")
            write("Objectives with no work:")
            for o in idle:
                write(f"  {o.title}")
        write("")
        count = len(result.unaligned)
        write(f"Unaligned items: {count}")
        for item in result.unaligned[:SHOWN_UNALIGNED]:
            state = "in progress" if item.state == alignment.IN_PROGRESS else "done"
            write(f"  {item.key}  {item.title}  [{item.status or state}]  {item.project}")
        if count > SHOWN_UNALIGNED:
            write(f"  … and {count - SHOWN_UNALIGNED} more (--json lists them all).")
