"""What the rating page shows for each competency: its steps with their descriptors, and
the answer given so far. Built here so the page view only renders it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from productops.competencies.forms import NOT_OBSERVED
from productops.competencies.models import Area, Competency, Rating


@dataclass
class StepChoice:
    value: str
    step: int
    label: str
    meaning: str
    descriptor: str
    checked: bool


@dataclass
class Answer:
    """One competency on the rating page: its steps with descriptors and the answer so far."""

    competency: Competency
    choices: list[StepChoice]
    not_observed: bool
    evidence: str
    error: str = ""

    @property
    def key(self) -> str:
        return self.competency.key

    @property
    def rated(self) -> bool:
        return self.not_observed or any(choice.checked for choice in self.choices)


def areas_of(version: Any) -> list[Area]:
    """The version's areas with their competencies in order: two queries."""
    return list(
        version.areas.order_by("position").prefetch_related(
            Prefetch("competencies", queryset=Competency.objects.order_by("position"))
        )
    )


def answer_for(
    competency: Competency,
    scale: list[dict],
    rating: Rating | None,
    posted: dict[str, tuple[str, str]] | None = None,
) -> Answer:
    """The competency's steps and the answer to show: what was just posted (a page sent
    back with an error keeps it), else the saved rating, else nothing chosen."""
    if posted is not None and competency.key in posted:
        choice, evidence = posted[competency.key]
    elif rating is not None:
        choice = NOT_OBSERVED if rating.not_observed else str(rating.score or "")
        evidence = rating.evidence
    else:
        choice, evidence = "", ""
    levels = list(competency.levels or [])
    choices = [
        StepChoice(
            value=str(entry["step"]),
            step=entry["step"],
            label=str(entry.get("label", entry["step"])),
            meaning=str(entry.get("meaning", "")),
            descriptor=str(levels[index]) if index < len(levels) else "",
            checked=choice == str(entry["step"]),
        )
        for index, entry in enumerate(scale)
    ]
    return Answer(competency, choices, not_observed=choice == NOT_OBSERVED, evidence=evidence)
