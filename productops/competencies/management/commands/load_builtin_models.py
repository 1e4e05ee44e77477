"""`load_builtin_models`: load the competency models and ladders that ship with productops.

Safe to run again: a model already loaded (or edited since) is left alone, and so is a
ladder that exists.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from productops.competencies.actions import do_load_builtin_ladders, do_load_builtin_models


class Command(BaseCommand):
    help = (
        "Load the built-in competency models (pm-wheel, pm-toolkit, product-design, "
        "engineering-lead) and their ladders. Running it again changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for version in do_load_builtin_models():
            self.stdout.write(f"{version.model.name} ({version.model.slug}): v{version.number}")
        for ladder in do_load_builtin_ladders():
            self.stdout.write(f"{ladder.name}: {ladder.levels.count()} levels")
