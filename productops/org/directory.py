"""The people directory: one filter for the page, the API and exports, and its CSV rows."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from productops.org.importers.people_csv import COLUMNS
from productops.org.models import Person

# People or teams per page of the directory's lists (the API pages by
# NINJA_PAGINATION_PER_PAGE, also 50).
PAGE_SIZE = 50

# The export has the import's own columns, so an exported file can be imported again.
EXPORT_COLUMNS = COLUMNS


def filter_people(
    people: QuerySet[Person],
    *,
    q: str = "",
    discipline: str = "",
    team_id: int | None = None,
    status: str = "active",
) -> QuerySet[Person]:
    """Narrow an already visibility-filtered queryset by search text and filters."""
    if status == "active":
        people = people.filter(active=True)
    elif status == "inactive":
        people = people.filter(active=False)
    if query := q.strip():
        people = people.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(title__icontains=query)
        )
    if discipline:
        people = people.filter(discipline=discipline)
    if team_id is not None:
        people = people.filter(memberships__team_id=team_id)
    return people


def export_row(person: Person) -> list[str]:
    """One person as a row of EXPORT_COLUMNS.

    `person` comes with its manager and its memberships (with their teams) loaded.
    """
    memberships = list(person.memberships.all())
    return [
        person.name,
        person.email,
        person.title,
        person.discipline,
        person.level,
        person.manager.email if person.manager else "",
        "; ".join(m.team.name for m in memberships),
        "; ".join(m.role for m in memberships),
    ]
