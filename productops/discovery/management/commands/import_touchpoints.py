"""`import_touchpoints`: bring customer touchpoints logged in a spreadsheet into productops.

Written `productops import-touchpoints FILE.csv [--skip-invalid]`. The command only names
the source; the options, the errors and the summary are `productops.imports.command`'s,
and the import is `discovery.actions.import_touchpoints_file`, the upload page's call.
"""

from __future__ import annotations

from typing import Any

from productops.discovery.actions import import_touchpoints_file
from productops.discovery.importers.touchpoints_csv import COLUMNS
from productops.imports import ImportReport
from productops.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        f"Import touchpoints from a CSV file with the columns {', '.join(COLUMNS)} (team, date "
        "and kind are required; participants are emails separated by ';'). A row matching a "
        "touchpoint already there is left as it is. By default nothing is written when any "
        "row has a problem."
    )
    what = "touchpoints"

    def run_import(self, file: str, *, skip_invalid: bool, **options: Any) -> ImportReport:
        return import_touchpoints_file(file, skip_invalid=skip_invalid)
