"""Practice library API: read practices by competency, kind and effort; admins write.

The same actions and `coaching.visibility` rules as the pages: every logged-in user reads
the active practices, admins also the deactivated ones (`include_inactive`). Adding and
changing practices is for admins: others get 403 with the action's sentence, invalid
input 422 with a sentence per field, unknown ids 404.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. Schemas carry a `Practice` prefix so their OpenAPI
names stay apart from the other areas' schemas.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from productops.coaching import visibility
from productops.coaching.actions import (
    PRACTICE_EDIT_REFUSED,
    do_save_practice,
    do_set_practice_active,
)
from productops.coaching.models import Effort, Practice, PracticeKind
from productops.coaching.practices import competency_catalog
from productops.coaching.schemas.practices import (
    PracticeChange,
    PracticeFilters,
    PracticeIn,
    PracticeOut,
    PracticeRejectedOut,
)

router = Router(tags=["coaching: practices"])


# -- helpers ------------------------------------------------------------------------------


def _rejected(problem: ValidationError) -> dict[str, Any]:
    if hasattr(problem, "error_dict"):
        errors = {name: " ".join(texts) for name, texts in problem.message_dict.items()}
    else:
        errors = {"__all__": " ".join(problem.messages)}
    return {"detail": "Nothing was saved: " + " ".join(errors.values()), "errors": errors}


def _require_editor(request: HttpRequest) -> None:
    if not visibility.can_edit_practices(request.user):
        raise HttpError(403, PRACTICE_EDIT_REFUSED)


def _choice(value: str | None, choices: Any, what: str) -> str | None:
    if value and value not in choices.values:
        raise HttpError(422, f"“{value}” is not {what}: use one of {', '.join(choices.values)}.")
    return value or None


# -- routes -------------------------------------------------------------------------------


@router.get("/practices", response=list[PracticeOut], summary="Practices of the library")
@paginate(PageNumberPagination, page_size=100)
def list_practices(request: HttpRequest, filters: Query[PracticeFilters]):
    kind = _choice(filters.kind, PracticeKind, "a kind of practice")
    effort = _choice(filters.effort, Effort, "an effort")
    practices = visibility.visible_practices(request.user)
    if not (filters.include_inactive and visibility.can_edit_practices(request.user)):
        practices = practices.filter(active=True)
    if filters.competency_key:
        practices = practices.filter(competency_key=filters.competency_key)
    if filters.model:
        keys = competency_catalog().keys_by_model.get(filters.model)
        if not keys:
            raise Http404(f"No loaded competency model has the slug “{filters.model}”.")
        practices = practices.filter(competency_key__in=keys)
    if kind:
        practices = practices.filter(kind=kind)
    if effort:
        practices = practices.filter(effort=effort)
    return practices.order_by("competency_key", "title", "pk")


@router.get("/practices/{practice_id}", response=PracticeOut, summary="One practice")
def get_practice(request: HttpRequest, practice_id: int):
    return get_object_or_404(visibility.visible_practices(request.user), pk=practice_id)


@router.post(
    "/practices",
    response={201: PracticeOut, 422: PracticeRejectedOut},
    summary="Add a practice (admins)",
)
def add_practice(request: HttpRequest, payload: PracticeIn):
    _require_editor(request)
    try:
        practice = do_save_practice(request.user, None, **payload.model_dump())
    except ValidationError as problem:
        return 422, _rejected(problem)
    return 201, practice


@router.put(
    "/practices/{practice_id}",
    response={200: PracticeOut, 422: PracticeRejectedOut},
    summary="Change a practice, or (de)activate it with `active` (admins)",
    description="Fields left out keep their value. A built-in practice keeps its edits "
    "when the library is loaded again.",
)
def change_practice(request: HttpRequest, practice_id: int, payload: PracticeChange):
    _require_editor(request)
    practice = get_object_or_404(Practice, pk=practice_id)
    fields = payload.model_dump(exclude={"active"})
    try:
        if any(value is not None for value in fields.values()):
            practice = do_save_practice(request.user, practice, **fields)
        if payload.active is not None:
            practice = do_set_practice_active(request.user, practice, payload.active)
    except ValidationError as problem:
        return 422, _rejected(problem)
    return 200, practice
