"""People API: the directory and one person, under the same visibility as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters (`Query[...]`) at import time and needs them evaluated.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from productops.accounts.visibility import visible_or_404
from productops.org import visibility
from productops.org.directory import filter_people
from productops.org.models import Person
from productops.org.schemas.people import PeopleFilters, PersonOut

router = Router()


@router.get("/people", response=list[PersonOut], summary="People you may see")
@paginate
def list_people(request: HttpRequest, filters: Query[PeopleFilters]) -> QuerySet[Person]:
    visibility.require_names(request.user, visibility.AGGREGATES_ONLY_ROUTE)
    people = filter_people(
        visibility.visible_people(request.user),
        q=filters.q,
        discipline=filters.discipline.value if filters.discipline else "",
        team_id=filters.team,
        status=filters.status,
    )
    return people.select_related("manager").order_by("name", "pk")


@router.get("/people/{person_id}", response=PersonOut)
def get_person(request: HttpRequest, person_id: int) -> Person:
    return visible_or_404(
        visibility.visible_people(request.user).select_related("manager"),
        "No such person",
        pk=person_id,
    )
