"""A person's gap table as download rows: the page's cells, numbers as numbers, and where
each consensus came from.

The person's page and the diagnosis workbook both build these from a `PersonGaps` that
`gap_data.load_person_gaps` returned for a reader `visibility.can_see_results` allowed.
"""

from __future__ import annotations

from typing import Any

from productops.competencies import gaps
from productops.imports.tables import shown_number

PERSON_GAP_COLUMNS = (*gaps.TABLE_COLUMNS, "Consensus from")


def person_gap_rows(result: gaps.PersonGaps | None) -> list[list[Any]]:
    """A competency a row; none without a result (nobody rated the person yet)."""
    if result is None:
        return []
    return [
        [cells[0], *(shown_number(cell) for cell in cells[1:]), row.basis_label]
        for row, cells in zip(result.rows, result.table(), strict=True)
    ]
