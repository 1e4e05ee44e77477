"""What the overview page shows each user about assessments.

The requests they owe, overdue ones first, and for managers the peer nominations waiting
for their approval. A fixed number of queries, however many requests there are.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from productops.accounts.roles import Login
from productops.competencies import visibility
from productops.competencies.progress import overdue_first

SHOWN = 8


def dashboard_context(user: Login) -> dict[str, Any]:
    owed = overdue_first(
        visibility.requests_owed_by(user).select_related("cycle", "subject"),
        timezone.localdate(),
    )
    nominations = list(
        visibility.nominations_awaiting(user)
        .select_related("cycle", "subject", "rater")
        .order_by("cycle__due_date", "subject__name", "rater__name")
    )
    return {
        "assessments_owed": owed[:SHOWN],
        "assessments_owed_total": len(owed),
        "assessments_overdue": sum(request.is_overdue for request in owed),
        "nominations_to_decide": nominations[:SHOWN],
        "nominations_to_decide_total": len(nominations),
    }
