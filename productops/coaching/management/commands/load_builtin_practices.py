"""`load_builtin_practices`: load the practice library that ships with productops.

Safe to run again: only practices productops does not have yet are added, and a practice
an admin edited, renamed or deactivated is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from productops.coaching.actions import do_load_builtin_practices
from productops.coaching.models import Practice
from productops.coaching.practices import InvalidLibrary


class Command(BaseCommand):
    help = (
        "Load the built-in practice library: at least three practices for every competency "
        "of the built-in models. Running it again adds only what is new."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            added = do_load_builtin_practices()
        except InvalidLibrary as problem:
            raise CommandError(str(problem)) from None
        total = Practice.objects.count()
        if added:
            self.stdout.write(f"Added {added} practice(s); the library now holds {total}.")
        else:
            self.stdout.write(
                f"Nothing to add: every built-in practice is already there ({total} in all)."
            )
