"""Ratings: answering a request, saving a draft, submitting, reopening, and importing past
ratings from a file. `check_*` validates and authorizes, `do_*` writes."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from productops.accounts.roles import Login
from productops.accounts.roles import author_of as _author
from productops.competencies import visibility
from productops.competencies.models import (
    AssessmentCycle,
    AssessmentRequest,
    Competency,
    ModelVersion,
    RaterKind,
    Rating,
    Reopening,
)
from productops.imports import ImportRejected, ImportReport, ParseResult, RowError
from productops.org.models import Person

if TYPE_CHECKING:
    from productops.competencies.importers.ratings_csv import RatingRow

from productops.competencies.actions.cycles import peers_locked_sentence, require_open

# What a rater gives for one competency: a step of the scale or None, whether they marked
# it "not observed", and the evidence note.
RatingInput = tuple[int | None, bool, str]

EVIDENCE_MAX_CHARS = 10_000  # a long paragraph of examples; stops a pasted document


def check_answer_request(user: Login, request: AssessmentRequest) -> None:
    """Whether this user may change the answers of a request now."""
    if not visibility.can_rate(user, request):
        raise PermissionDenied(f"Only {request.rater.name} answers this request.")
    require_open(request.cycle, "its ratings can no longer change")
    status = AssessmentRequest.Status
    if request.status == status.SUBMITTED:
        when = f" on {request.submitted_at:%Y-%m-%d}" if request.submitted_at else ""
        raise ValidationError(
            f"These ratings were submitted{when} and are locked. If something needs to "
            f"change, ask {request.subject.name}'s manager to reopen them with a reason."
        )
    if request.status == status.NOMINATED:
        raise ValidationError(
            f"This nomination awaits the approval of {request.subject.name}'s manager; you "
            "can rate once it is approved."
        )
    if request.status == status.DECLINED:
        raise ValidationError("This nomination was declined, so there is nothing to rate.")


def _competencies_of(version: ModelVersion) -> dict[str, Competency]:
    return {c.key: c for c in version.competencies.order_by("area__position", "position")}


def check_ratings(
    version: ModelVersion,
    ratings: Mapping[str, RatingInput],
    competencies: Mapping[str, Competency] | None = None,
) -> None:
    """Each rating names a competency of the version and a step of its scale."""
    competencies = _competencies_of(version) if competencies is None else competencies
    steps = version.steps
    problems: dict[str, str] = {}
    for key, (score, not_observed, evidence) in ratings.items():
        competency = competencies.get(key)
        if competency is None:
            problems[key] = f"'{key}' is not a competency of {version}; rate only those shown."
        elif score is not None and not_observed:
            problems[key] = f"{competency.name}: choose a score or 'not observed', not both."
        elif score is not None and score not in steps:
            problems[key] = (
                f"{competency.name}: {score} is not on the scale; choose one of "
                f"{', '.join(map(str, steps))}."
            )
        elif len(evidence) > EVIDENCE_MAX_CHARS:
            problems[key] = (
                f"{competency.name}: the evidence is {len(evidence):,} characters long; keep "
                f"it under {EVIDENCE_MAX_CHARS:,} (a few concrete examples)."
            )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def do_save_ratings(
    user: Login, request: AssessmentRequest, ratings: Mapping[str, RatingInput]
) -> AssessmentRequest:
    """Save a draft: the competencies given change, the others stay as they were."""
    check_answer_request(user, request)
    check_ratings(request.cycle.version, ratings)
    existing = {rating.competency_key: rating for rating in request.ratings.all()}
    new, changed = [], []
    for key, (score, not_observed, evidence) in ratings.items():
        values = {"score": score, "not_observed": not_observed, "evidence": evidence.strip()}
        rating = existing.get(key)
        if rating is None:
            if score is not None or not_observed or values["evidence"]:
                new.append(Rating(request=request, competency_key=key, **values))
        elif any(getattr(rating, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(rating, field, value)
            changed.append(rating)
    Rating.objects.bulk_create(new)
    Rating.objects.bulk_update(changed, ["score", "not_observed", "evidence"])
    request.status = AssessmentRequest.Status.DRAFT
    request.save(update_fields=["status", "updated_at"])
    return request


def check_submit_request(user: Login, request: AssessmentRequest) -> None:
    """Every competency rated or marked not observed, every score on the scale."""
    check_answer_request(user, request)
    competencies = _competencies_of(request.cycle.version)
    given = {
        rating.competency_key: (rating.score, rating.not_observed, rating.evidence)
        for rating in request.ratings.all()
    }
    check_ratings(request.cycle.version, given, competencies)
    missing = [
        competency.name
        for key, competency in competencies.items()
        if key not in given or (given[key][0] is None and not given[key][1])
    ]
    if missing:
        raise ValidationError(
            "Rate every competency or mark it not observed before submitting. Still open: "
            f"{', '.join(missing)}. Your answers are saved as a draft."
        )


@transaction.atomic
def do_submit_request(user: Login, request: AssessmentRequest) -> AssessmentRequest:
    """Submit and lock the ratings; only a reopening by a manager unlocks them."""
    check_submit_request(user, request)
    request.status = AssessmentRequest.Status.SUBMITTED
    request.submitted_at = timezone.now()
    request.save(update_fields=["status", "submitted_at", "updated_at"])
    return request


def check_reopen_request(user: Login, request: AssessmentRequest, reason: str) -> None:
    """The reopen rule is `visibility.can_reopen`; a refusal says which part failed."""
    if not visibility.can_reopen(user, request):
        raise reopen_refusal(user, request)
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why the ratings are reopened: the rater sees it, and it is kept."}
        )


def reopen_refusal(user: Login, request: AssessmentRequest) -> Exception:
    """Why `visibility.can_reopen` says no, in words for the user."""
    if not visibility.can_manage_subject(user, request.subject):
        return PermissionDenied(
            f"Only {request.subject.name}'s manager or an admin can reopen submitted ratings."
        )
    if request.status != AssessmentRequest.Status.SUBMITTED:
        return ValidationError(
            "Only submitted ratings can be reopened; these are "
            f"{request.get_status_display().lower()}."
        )
    if not request.cycle.is_open:
        return ValidationError(
            f"The cycle {request.cycle.name} is closed; its submitted ratings stay as they are."
        )
    return ValidationError(
        peers_locked_sentence(request.subject, "peer ratings are no longer reopened")
    )


@transaction.atomic
def do_reopen_request(user: Login, request: AssessmentRequest, reason: str) -> Reopening:
    """Unlock submitted ratings as a draft for the rater, recording who reopened them and why."""
    check_reopen_request(user, request, reason)
    reopening = Reopening.objects.create(request=request, by=_author(user), reason=reason.strip())
    request.status = AssessmentRequest.Status.DRAFT
    request.submitted_at = None
    request.save(update_fields=["status", "submitted_at", "updated_at"])
    return reopening


# -- ratings import -----------------------------------------------------------------------


def do_import_ratings(
    result: ParseResult[RatingRow],
    *,
    cycle: AssessmentCycle | None,
    version: ModelVersion,
    new_cycle_name: str = "",
    skip_invalid: bool = False,
) -> ImportReport:
    """Write parsed ratings in one transaction: all rows, or with skip_invalid the good ones.

    Each (subject, rater, kind) becomes a submitted request in the cycle, created when
    missing; each row one rating, matched by competency key, so importing the same file
    again changes nothing. Without `cycle`, a closed cycle named `new_cycle_name` is
    created on `version` (imported ratings are past assessments). Writes are in bulk.
    """
    # No row, or the header row: the file as a whole is unusable, even with skip_invalid.
    file_problems = [error for error in result.errors if (error.row or 0) <= 1]
    if file_problems or (result.errors and not skip_invalid):
        return ImportReport(errors=list(result.errors), written=False)
    if not result.records:
        reason = "no row could be imported, so nothing was written"
        errors = [*result.errors, RowError(None, None, reason)]
        return ImportReport(errors=errors, skipped=len(result.bad_rows), written=False)
    try:
        with transaction.atomic():
            return _write_ratings(result, cycle=cycle, version=version, name=new_cycle_name)
    except ImportRejected as rejected:
        return rejected.report
    except IntegrityError as problem:
        reason = (
            f"productops changed while importing ({problem}); nothing was written. "
            "Import the file again."
        )
        return ImportReport(errors=[RowError(None, None, reason)], written=False)


def _write_ratings(
    result: ParseResult[RatingRow],
    *,
    cycle: AssessmentCycle | None,
    version: ModelVersion,
    name: str,
) -> ImportReport:
    rows = result.records
    kinds = {row.kind for row in rows}
    now = timezone.now()
    if cycle is None:
        cycle = AssessmentCycle.objects.create(
            name=name,
            version=version,
            due_date=timezone.localdate(),
            rater_kinds=[kind for kind in RaterKind.values if kind in kinds],
            status=AssessmentCycle.Status.CLOSED,
            closed_at=now,
        )
    elif not kinds <= set(cycle.rater_kinds):
        cycle.rater_kinds = [k for k in RaterKind.values if k in kinds | set(cycle.rater_kinds)]
        cycle.save(update_fields=["rater_kinds"])
    people = dict(Person.objects.values_list("email", "pk"))
    people = {email.lower(): pk for email, pk in people.items()}
    cycle.subjects.add(*{people[row.subject_email] for row in rows})
    requests = _submitted_requests(cycle, rows, people, now)
    existing = {
        (rating.request_id, rating.competency_key): rating
        for rating in Rating.objects.filter(request__cycle=cycle)
    }
    new, changed = [], []
    created = updated = unchanged = 0
    for row in rows:
        request, was_submitted = requests[row.request_key]
        values = {
            "score": row.score,
            "not_observed": row.not_observed,
            "evidence": row.evidence,
        }
        rating = existing.get((request.pk, row.competency_key))
        if rating is None:
            new.append(Rating(request=request, competency_key=row.competency_key, **values))
            created += 1
        elif any(getattr(rating, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(rating, field, value)
            changed.append(rating)
            updated += 1
        elif not was_submitted:
            updated += 1
        else:
            unchanged += 1
    Rating.objects.bulk_create(new)
    Rating.objects.bulk_update(changed, ["score", "not_observed", "evidence"])
    return ImportReport(
        created=created,
        updated=updated,
        unchanged=unchanged,
        skipped=len(result.bad_rows),
        errors=list(result.errors),
        written=True,
    )


def _submitted_requests(
    cycle: AssessmentCycle,
    rows: list[RatingRow],
    people: Mapping[str, int],
    now: datetime.datetime,
) -> dict[tuple[str, str, str], tuple[AssessmentRequest, bool]]:
    """The cycle's request for each (subject, rater, kind) of the file, submitted.

    Returns each request with whether it was already submitted before this import.
    """
    wanted = {row.request_key for row in rows}
    by_ids = {
        (people[subject], people[rater], kind): (subject, rater, kind)
        for subject, rater, kind in wanted
    }
    found: dict[tuple[str, str, str], tuple[AssessmentRequest, bool]] = {}
    for request in cycle.requests.all():
        key = by_ids.get((request.subject_id, request.rater_id, request.kind))
        if key is not None:
            found[key] = (request, request.status == AssessmentRequest.Status.SUBMITTED)
    answered_now = [request for request, submitted in found.values() if not submitted]
    for request in answered_now:
        request.status = AssessmentRequest.Status.SUBMITTED
        request.submitted_at = now
    AssessmentRequest.objects.bulk_update(answered_now, ["status", "submitted_at"])
    missing = [
        AssessmentRequest(
            cycle=cycle,
            subject_id=ids[0],
            rater_id=ids[1],
            kind=ids[2],
            status=AssessmentRequest.Status.SUBMITTED,
            submitted_at=now,
        )
        for ids, key in by_ids.items()
        if key not in found
    ]
    AssessmentRequest.objects.bulk_create(missing)
    if any(request.pk is None for request in missing):  # a database that returns no ids
        return _submitted_requests(cycle, rows, people, now)
    for request in missing:
        found[by_ids[(request.subject_id, request.rater_id, request.kind)]] = (request, False)
    return found
