"""What every app's visibility shares: the role of a login, and "visible or 404".

Each app keeps its own `visibility.py` with the querysets and predicates of its records;
this module holds only what they all use. A record the caller may not see answers 404,
not 403, so the answer does not confirm that it exists (docs/decisions.md).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from productops.accounts.roles import Login, person_id_of, role_of

__all__ = ["Login", "person_id_of", "role_of", "visible_or_404"]

M = TypeVar("M", bound=Model)
MAX_ID = 2**63 - 1


def visible_or_404(visible: QuerySet[M], message: str = "Not found", **lookup: Any) -> M:
    """The one record of `visible` (a visibility helper's queryset) matching `lookup`.

    Raises Http404 with `message` ("No such cycle") when there is none, which the pages
    render as their 404 page and the API (productops/api.py) as `{"detail": message}`.
    """
    if any(isinstance(v, int) and not -MAX_ID <= v <= MAX_ID for v in lookup.values()):
        raise Http404(message)  # matches nothing, and would overflow the database's integers
    found = visible.filter(**lookup).first()
    if found is None:
        raise Http404(message)
    return found
