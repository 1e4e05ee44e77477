"""`import_labels`: bring in labels a person gave by hand, as corrections.

Written `productops import-labels FILE.csv` on the command line. The file has the
columns source, key, dimension (origin, kind or framing) and label; each row corrects
that item's dimension. Afterwards the learned models are retrained (where there are
enough corrections) and the items reclassified. The import itself is
`productops.backlog.actions.import_labels_file`.
"""

from __future__ import annotations

from typing import Any

from productops.backlog.actions import import_labels_file
from productops.backlog.importers.labels_csv import COLUMNS
from productops.imports import ImportReport
from productops.imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        f"Import hand-given labels from a CSV file with the columns {', '.join(COLUMNS)}; "
        "each row becomes a correction. By default nothing is written when any row has a "
        "problem. Retrains the learned models and reclassifies afterwards."
    )
    what = "labels"

    def run_import(self, file: str, *, skip_invalid: bool, **options: Any) -> ImportReport:
        return import_labels_file(file, skip_invalid=skip_invalid)
