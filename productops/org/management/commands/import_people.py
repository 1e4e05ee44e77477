"""`import_people`: load people, managers and teams from an HR export (a CSV file).

Written `productops import-people FILE.csv` on the command line. The command only reads
the options and prints; the import itself is `productops.org.actions.import_people_file`,
the same call the upload page makes.
"""

from __future__ import annotations

from typing import Any

from productops.imports import ImportReport
from productops.imports.command import ImportCommand
from productops.org.actions import import_people_file
from productops.org.importers.people_csv import COLUMNS


class Command(ImportCommand):
    help = (
        "Import people from a CSV file with the columns "
        f"{', '.join(COLUMNS)}. People are matched by email, so importing the same file "
        "again changes nothing. By default nothing is written when any row has a problem."
    )
    what = "people"

    def run_import(self, file: str, *, skip_invalid: bool, **options: Any) -> ImportReport:
        return import_people_file(file, skip_invalid=skip_invalid)
