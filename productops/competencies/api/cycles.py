"""Assessment API: cycles, rating requests, ratings and nominations.

The same actions and `competencies.visibility` rules as the pages: objects a user may
not see answer 404, refusals 403 with the action's sentence, invalid input 422.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time and needs them evaluated. Schemas carry an
`Assessment` prefix so their OpenAPI names stay apart from the other areas' schemas.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.competencies import visibility
from productops.competencies.actions import (
    do_close_cycle,
    do_decide_nomination,
    do_nominate_peer,
    do_open_cycle,
    do_reopen_request,
    do_save_ratings,
    do_submit_request,
)
from productops.competencies.models import (
    AssessmentCycle,
    AssessmentRequest,
    CompetencyModel,
)
from productops.competencies.progress import (
    Completion,
    cycle_completions,
    load_cycle_progress,
)
from productops.competencies.schemas.cycles import (
    AssessmentCycleDetailOut,
    AssessmentCycleIn,
    AssessmentCycleOpenedOut,
    AssessmentCycleOut,
    AssessmentDecisionIn,
    AssessmentNominationIn,
    AssessmentRatingsIn,
    AssessmentRatingsOut,
    AssessmentReopenIn,
    AssessmentRequestOut,
)
from productops.org import visibility as org_visibility
from productops.org.models import Person

router = Router(tags=["competencies: cycles"])

AGGREGATES_ONLY = "Assessment cycles name the people assessed; your role sees aggregates only."


# -- schemas ------------------------------------------------------------------------------


# -- helpers ------------------------------------------------------------------------------


def _require_names(request: HttpRequest) -> None:
    if visibility.sees_distributions_only(request.user):
        raise PermissionDenied(AGGREGATES_ONLY)


def _completion(completion: Completion) -> dict[str, int]:
    return {
        "submitted": completion.submitted,
        "total": completion.total,
        "percent": completion.percent,
    }


def _cycle(cycle: AssessmentCycle, completion: Completion) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "model": cycle.version.model.slug,
        "version": cycle.version.number,
        "due_date": cycle.due_date,
        "status": cycle.status,
        "rater_kinds": cycle.rater_kinds,
        "opened_at": cycle.opened_at,
        "completion": _completion(completion),
    }


def _request(request: AssessmentRequest) -> dict[str, Any]:
    """The request must come with cycle, subject and rater loaded."""
    return {
        "id": request.pk,
        "cycle_id": request.cycle_id,
        "cycle": request.cycle.name,
        "subject": request.subject,
        "rater": request.rater,
        "kind": request.kind,
        "status": request.status,
        "due_date": request.cycle.due_date,
        "overdue": request.is_overdue,
        "submitted_at": request.submitted_at,
    }


def _cycle_or_404(user: Login, cycle_id: int) -> AssessmentCycle:
    cycle = get_object_or_404(AssessmentCycle.objects.select_related("version__model"), pk=cycle_id)
    if not visibility.can_see_cycle(user, cycle):
        raise Http404("No such cycle")
    return cycle


def _request_or_404(user: Login, request_id: int) -> AssessmentRequest:
    """A request whose answers the user may read."""
    found = get_object_or_404(
        AssessmentRequest.objects.select_related("cycle__version__model", "subject", "rater"),
        pk=request_id,
    )
    if not visibility.can_see_request(user, found):
        raise Http404("No such request")
    return found


def _involved_or_404(user: Login, request_id: int) -> AssessmentRequest:
    """A request the user rates, is rated in, or manages the subject of (no answers)."""
    found = get_object_or_404(
        AssessmentRequest.objects.select_related("cycle__version__model", "subject", "rater"),
        pk=request_id,
    )
    me = person_id_of(user)
    involved = me is not None and me in (found.subject_id, found.rater_id)
    if not involved and not visibility.can_manage_subject(user, found.subject):
        raise Http404("No such request")
    return found


def _ratings_body(found: AssessmentRequest) -> dict[str, Any]:
    return {
        "request": _request(found),
        "ratings": [
            {
                "competency_key": rating.competency_key,
                "score": rating.score,
                "not_observed": rating.not_observed,
                "evidence": rating.evidence,
            }
            for rating in found.ratings.all()
        ],
    }


# -- cycles -------------------------------------------------------------------------------


@router.get("/cycles", response=list[AssessmentCycleOut], summary="Assessment cycles you may see")
@paginate
def list_cycles(request: HttpRequest):
    _require_names(request)
    cycles = list(
        visibility.visible_cycles(request.user)
        .select_related("version__model")
        .order_by("-opened_at", "-pk")
    )
    completions = cycle_completions(
        [cycle.pk for cycle in cycles], subject_ids=visibility.result_subject_ids(request.user)
    )
    return [_cycle(cycle, completions.get(cycle.pk, Completion())) for cycle in cycles]


@router.get("/cycles/{cycle_id}", response=AssessmentCycleDetailOut)
def get_cycle(request: HttpRequest, cycle_id: int):
    cycle = _cycle_or_404(request.user, cycle_id)
    progress = load_cycle_progress(cycle, subject_ids=visibility.result_subject_ids(request.user))
    managed = visibility.managed_subject_ids(request.user)

    def manages(subject_id: int) -> bool:
        return managed is None or subject_id in managed

    return {
        **_cycle(cycle, progress.overall),
        "by_kind": {kind: _completion(done) for kind, done in progress.kind_totals},
        "subjects": [
            {
                "subject": row.subject,
                "completion": _completion(row.overall),
                "by_kind": {kind: _completion(done) for kind, done in row.by_kind.items()},
                "missing_manager_rating": row.missing_manager,
            }
            for row in progress.subjects
        ],
        "overdue": [_request(r) for r in progress.overdue if manages(r.subject_id)],
        "nominations": [_request(r) for r in progress.nominations if manages(r.subject_id)],
    }


@router.post("/cycles", response={201: AssessmentCycleOpenedOut}, summary="Open a cycle")
def open_cycle(request: HttpRequest, payload: AssessmentCycleIn):
    if role_of(request.user) not in (Role.ADMIN, Role.MANAGER):
        raise PermissionDenied("Only admins and managers open assessment cycles.")
    model = CompetencyModel.objects.filter(slug=payload.model).first()
    version = model.latest if model is not None else None
    if version is None:
        raise ValidationError(f"No competency model with a version has the slug '{payload.model}'.")
    wanted = set(payload.subject_ids)
    subjects = list(Person.objects.filter(pk__in=wanted))
    if len(subjects) != len(wanted):
        if role_of(request.user) is not Role.ADMIN:
            # Unknown ids answer as people outside the chain do: no confirming who exists.
            raise PermissionDenied("You can open a cycle only for people in your reporting chain.")
        missing = sorted(wanted - {person.pk for person in subjects})
        raise ValidationError(f"No person has the id(s) {', '.join(map(str, missing))}.")
    cycle = do_open_cycle(
        request.user,
        name=payload.name,
        version=version,
        subjects=subjects,
        due_date=payload.due_date,
        rater_kinds=payload.rater_kinds,
    )
    progress = load_cycle_progress(cycle)
    return 201, {**_cycle(cycle, progress.overall), "notes": getattr(cycle, "notes", [])}


@router.post("/cycles/{cycle_id}/close", response=AssessmentCycleOut)
def close_cycle(request: HttpRequest, cycle_id: int):
    cycle = _cycle_or_404(request.user, cycle_id)
    do_close_cycle(request.user, cycle)
    completions = cycle_completions(
        [cycle.pk], subject_ids=visibility.result_subject_ids(request.user)
    )
    return _cycle(cycle, completions.get(cycle.pk, Completion()))


@router.post(
    "/cycles/{cycle_id}/nominations",
    response={201: AssessmentRequestOut},
    summary="Nominate a peer for a subject",
)
def nominate_peer(request: HttpRequest, cycle_id: int, payload: AssessmentNominationIn):
    cycle = _cycle_or_404(request.user, cycle_id)
    subject = Person.objects.filter(pk=payload.subject_id).first()
    peer = Person.objects.filter(pk=payload.peer_id).first()
    if subject is None or peer is None:
        raise Http404("No such person")
    for person in (subject, peer):
        if not org_visibility.can_see_person(request.user, person):
            raise Http404("No such person")
    nomination = do_nominate_peer(request.user, cycle, subject, peer)
    nomination.cycle = cycle
    return 201, _request(nomination)


# -- requests -----------------------------------------------------------------------------


@router.get(
    "/requests/mine",
    response=list[AssessmentRequestOut],
    summary="The rating requests you are asked to answer, in every cycle",
)
@paginate
def my_requests(request: HttpRequest):
    me = person_id_of(request.user)
    if me is None:
        return []
    return [
        _request(found)
        for found in AssessmentRequest.objects.filter(rater_id=me)
        .exclude(status=AssessmentRequest.Status.DECLINED)
        .select_related("cycle", "subject", "rater")
        .order_by("-cycle__opened_at", "subject__name", "kind", "pk")
    ]


@router.get(
    "/nominations/awaiting",
    response=list[AssessmentRequestOut],
    summary="Peer nominations waiting for your approval",
)
def nominations_awaiting(request: HttpRequest):
    return [
        _request(found)
        for found in visibility.nominations_awaiting(request.user)
        .select_related("cycle", "subject", "rater")
        .order_by("cycle__due_date", "subject__name", "rater__name")
    ]


@router.get(
    "/requests/{request_id}/ratings",
    response=AssessmentRatingsOut,
    summary="The answers of one request: its rater's, admins', or a manager's for self and manager requests",
)
def get_ratings(request: HttpRequest, request_id: int):
    return _ratings_body(_request_or_404(request.user, request_id))


@router.put(
    "/requests/{request_id}/ratings",
    response=AssessmentRatingsOut,
    summary="Save ratings as a draft (only the competencies given change)",
)
def save_ratings(request: HttpRequest, request_id: int, payload: AssessmentRatingsIn):
    found = _request_or_404(request.user, request_id)
    ratings = {
        rating.competency_key: (rating.score, rating.not_observed, rating.evidence)
        for rating in payload.ratings
    }
    do_save_ratings(request.user, found, ratings)
    return _ratings_body(found)


@router.post("/requests/{request_id}/submit", response=AssessmentRatingsOut)
def submit_request(request: HttpRequest, request_id: int):
    found = _request_or_404(request.user, request_id)
    do_submit_request(request.user, found)
    return _ratings_body(found)


@router.post("/requests/{request_id}/reopen", response=AssessmentRequestOut)
def reopen_request(request: HttpRequest, request_id: int, payload: AssessmentReopenIn):
    found = _involved_or_404(request.user, request_id)
    do_reopen_request(request.user, found, payload.reason)
    return _request(found)


@router.post("/requests/{request_id}/decision", response=AssessmentRequestOut)
def decide_nomination(request: HttpRequest, request_id: int, payload: AssessmentDecisionIn):
    found = _involved_or_404(request.user, request_id)
    do_decide_nomination(request.user, found, payload.approve)
    return _request(found)
