"""Searching the people directory: one filter for the page, the API and exports."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from productops.org.models import Person


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
