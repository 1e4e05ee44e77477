"""Assessment requests as download rows, for the tables the cycle page and "your
requests" show: one's own requests in a cycle, the peer nominations a manager decides,
and the nominations awaiting one's approval.

The views choose the requests through `competencies.visibility` (or the reader's own
person) before they call these, so a row here is a row the page already shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from productops.competencies.models import AssessmentRequest

MINE_COLUMNS = ("Rate", "As", "Status", "Overdue")
NOMINATION_COLUMNS = ("Peer", "For", "Nominated by")
MY_NOMINATION_COLUMNS = ("Peer", "For", "Cycle", "Nominated by")


def _nominated_by(request: AssessmentRequest) -> str:
    return request.nominated_by.name if request.nominated_by else ""


def mine_rows(requests: Iterable[AssessmentRequest]) -> list[list[Any]]:
    """The reader's requests in one cycle: whom they rate, as what, and where it stands."""
    return [
        [
            r.subject.name,
            r.get_kind_display(),
            r.get_status_display(),
            "overdue" if r.is_overdue else "",
        ]
        for r in requests
    ]


def nomination_rows(requests: Iterable[AssessmentRequest]) -> list[list[Any]]:
    """Peer nominations of one cycle waiting for a manager's decision."""
    return [[r.rater.name, r.subject.name, _nominated_by(r)] for r in requests]


def my_nomination_rows(requests: Iterable[AssessmentRequest]) -> list[list[Any]]:
    """Peer nominations, in any cycle, waiting for the reader's approval."""
    return [[r.rater.name, r.subject.name, r.cycle.name, _nominated_by(r)] for r in requests]
