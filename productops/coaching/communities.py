"""Communities of practice and book clubs: the list with its figures, a session's mix.

The pages and the API both read these, so a community's session count, last session and
people, and the discipline mix of a session's attendees, are computed one way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet

from productops.coaching.models import Community, CommunitySession
from productops.org.models import Discipline, Person


def list_communities() -> QuerySet[Community]:
    """Every community by name, annotated with `session_count`, `last_session` (a date or
    None) and `people` (how many different people attended any of its sessions)."""
    return (
        Community.objects.select_related("organizer")
        .annotate(
            session_count=Count("sessions", distinct=True),
            last_session=Max("sessions__date"),
            people=Count("sessions__attendance__person", distinct=True),
        )
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class MixRow:
    label: str
    people: int
    percent: int


@dataclass(frozen=True)
class SessionMix:
    """How many attended a session, by discipline (the discipline's value as key)."""

    by_discipline: dict[str, int]

    @property
    def count(self) -> int:
        return sum(self.by_discipline.values())

    def rows(self) -> list[MixRow]:
        """The disciplines, largest first, each with its share in whole percent."""
        labels = dict(Discipline.choices)
        count = self.count
        return [
            MixRow(labels.get(value, value), people, round(100 * people / count))
            for value, people in sorted(self.by_discipline.items(), key=lambda i: (-i[1], i[0]))
        ]


def session_mix(session: CommunitySession) -> SessionMix:
    """The discipline mix of the session's attendees, in one aggregate query."""
    counts = session.attendance.values_list("person__discipline").annotate(n=Count("pk"))
    return SessionMix(dict(sorted((str(value), n) for value, n in counts)))


ATTENDEE_COLUMNS = ("Name", "Discipline", "Present", "Left")


def attendee_rows(people: Iterable[Person], attending: bool | None = None) -> list[list[Any]]:
    """A session's "Who came" list as download rows, in the page's order: each person's
    name, discipline, whether they were present and whether they have left. `attending`
    None reads each person's `attending` annotation (the recorder's checklist); True says
    every one of them came (the attendee list)."""
    return [
        [
            person.name,
            person.get_discipline_display(),
            "yes"
            if (getattr(person, "attending", False) if attending is None else attending)
            else "no",
            "" if person.active else "left",
        ]
        for person in people
    ]
