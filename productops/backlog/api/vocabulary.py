"""The label vocabulary over the API: the same list and actions as the page.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. Refusals and invalid input propagate to the handlers
of `productops.api`.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from productops.backlog import actions, visibility
from productops.backlog.label_vocabulary import normalized, vocabulary
from productops.backlog.schemas.vocabulary import (
    LabelMappingIn,
    LabelMappingOut,
    VocabularyQuery,
    VocabularyRowOut,
)

router = Router(tags=["backlog: label vocabulary"])


@router.get(
    "/labels",
    response=list[VocabularyRowOut],
    summary="Every label and component seen, most used first, with what the mapping reads",
)
@paginate
def list_labels(request: HttpRequest, params: Query[VocabularyQuery]):
    if not visibility.sees_vocabulary(request.user):
        raise PermissionDenied("Log in to see the label vocabulary.")
    found = vocabulary()
    rows = found.not_understood if params.unmapped else found.rows
    return [row.as_dict() for row in rows]


@router.post(
    "/labels/mappings",
    response=LabelMappingOut,
    summary="Map a label or component to an origin, kind or framing (admins and managers)",
)
def map_label(request: HttpRequest, payload: LabelMappingIn):
    if payload.label:
        mapping = actions.do_map_label(
            request.user, payload.value, payload.dimension, payload.label
        )
        return {"value": mapping.value, "dimension": mapping.dimension, "label": mapping.label}
    actions.do_clear_label_mapping(request.user, payload.value, payload.dimension)
    return {"value": normalized(payload.value), "dimension": payload.dimension, "label": ""}
