"""Headcount by discipline: how the active org divides between product, design, engineering...

Aggregates only, so every role may see them (the home page shows them to viewers too).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count

from productops.org.models import Discipline, Person


class DisciplineShare(TypedDict):
    label: str
    count: int
    percent: int


@dataclass(frozen=True)
class Headcount:
    total: int  # active people
    mix: list[DisciplineShare]  # disciplines that have someone, in Discipline order


def headcount_by_discipline() -> Headcount:
    """Active people per discipline, with each one's share rounded to a whole percent."""
    by_discipline: dict[str, int] = dict(
        Person.objects.filter(active=True).values_list("discipline").annotate(n=Count("pk"))
    )
    total = sum(by_discipline.values())
    mix: list[DisciplineShare] = [
        {
            "label": str(label),
            "count": by_discipline.get(value, 0),
            "percent": round(100 * by_discipline.get(value, 0) / total) if total else 0,
        }
        for value, label in Discipline.choices
        if by_discipline.get(value)
    ]
    return Headcount(total=total, mix=mix)
