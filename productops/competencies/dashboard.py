"""What the overview page shows each user about assessments.

The requests they owe, overdue ones first, and for managers the peer nominations waiting
for their approval. A fixed number of queries, however many requests there are.

For a manager's overview of their people (`latest_gaps`): each person's gaps in their
latest cycle with submitted answers about them, as the gap page shows them to this user
(only people whose results `visibility.result_subject_ids` lets the user see; peer answers
as `gap_data` releases them, live for admins). Each
person's latest cycle is the newest one with a submitted request about them (as the gap
page picks it); the people are grouped by it and at most `GAP_CYCLES` of those cycles are
loaded, newest first, so the cost stays fixed however many people there are. Someone whose
latest cycle is older than those is left out (their gap page still has it).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils import timezone

from productops.accounts.roles import Login
from productops.competencies import gap_data, visibility
from productops.competencies.gaps import PersonGaps
from productops.competencies.models import AssessmentRequest
from productops.competencies.progress import overdue_first
from productops.org.models import Person

SHOWN = 8
GAP_CYCLES = 3
SUBMITTED = AssessmentRequest.Status.SUBMITTED


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


def latest_gaps(user: Login, person_ids: Collection[int]) -> dict[int, PersonGaps]:
    """Person id -> their gaps in their latest cycle with answers, for the people of
    `person_ids` whose results the user may see. Two queries, and about seven more per
    cycle read (at most `GAP_CYCLES` of them)."""
    allowed = visibility.result_subject_ids(user)
    wanted = {pk for pk in person_ids if allowed is None or pk in allowed}
    if not wanted:
        return {}
    latest: dict[int, int] = {}  # person id -> the id of their latest cycle with answers
    answered = (
        AssessmentRequest.objects.filter(subject_id__in=wanted, status=SUBMITTED)
        .order_by("subject_id", "-cycle__opened_at", "-cycle_id")
        .values_list("subject_id", "cycle_id")
    )
    for subject_id, cycle_id in answered:
        latest.setdefault(subject_id, cycle_id)
    if not latest:
        return {}
    live = visibility.sees_peer_results_live(user)
    cycles = gap_data.cycles_with_answers(Person.objects.filter(pk__in=list(latest)))
    found: dict[int, PersonGaps] = {}
    for cycle in [cycle for cycle in cycles if cycle.pk in set(latest.values())][:GAP_CYCLES]:
        people = Person.objects.filter(pk__in=[pk for pk, c in latest.items() if c == cycle.pk])
        for result in gap_data.load_group_gaps(people, cycle, live=live).results:
            found[result.person.id] = result
    return found
