"""Who files the backlog, over the API: the same list and actions as the page.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. Refusals and invalid input propagate to the handlers
of `productops.api`.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from productops.accounts.visibility import visible_or_404
from productops.backlog import actions, visibility
from productops.backlog import reporters as reporters_domain
from productops.backlog.schemas.reporters import (
    ReporterAssignmentIn,
    ReporterAssignmentOut,
    ReporterClearIn,
    ReporterOut,
)
from productops.org.visibility import visible_people

router = Router(tags=["backlog: reporters"])


@router.get(
    "/reporters",
    response=list[ReporterOut],
    summary="The reporters of the imported items, most items first (admins and managers)",
)
@paginate
def list_reporters(request: HttpRequest):
    if not visibility.sees_reporter_names(request.user):
        raise PermissionDenied(visibility.REPORTERS_REFUSED)
    return [row.as_dict() for row in reporters_domain.reporters().rows]


@router.post(
    "/reporters/assignments",
    response=ReporterAssignmentOut,
    summary="Say who a reporter is, a person or a discipline; their items are reclassified",
)
def assign_reporter(request: HttpRequest, payload: ReporterAssignmentIn):
    person = None
    if payload.person_id is not None:
        if not visibility.can_assign_reporters(request.user):
            raise PermissionDenied("Only admins and managers can assign reporters.")
        person = visible_or_404(
            visible_people(request.user), "No such person", pk=payload.person_id
        )
    assignment = actions.do_assign_reporter(
        request.user,
        source=payload.source,
        key=payload.key,
        person=person,
        discipline=payload.discipline,
        name=payload.name,
    )
    return {
        "source": assignment.source,
        "key": assignment.reporter_key,
        "person_id": assignment.person_id,
        "discipline": assignment.discipline,
        "items": len(reporters_domain.item_ids_of(assignment.source, assignment.reporter_key)),
    }


@router.post(
    "/reporters/assignments/clear",
    response=ReporterAssignmentOut,
    summary="Forget who a reporter was said to be; their items go back to the import's match",
)
def clear_reporter(request: HttpRequest, payload: ReporterClearIn):
    count = actions.do_clear_reporter_assignment(
        request.user, source=payload.source, key=payload.key
    )
    return {
        "source": payload.source,
        "key": payload.key,
        "person_id": None,
        "discipline": "",
        "items": count,
    }
