"""Career ladders: what each level expects, and what changes from one level to another.

The arithmetic is pure functions over plain data (`level_diff`, `descriptor_for`); the
loaders read what a page or route needs in a fixed number of queries, whatever the size
of the model or the ladder. Descriptors come from the latest version of the ladder's
model, the version expectations are checked against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from productops.competencies.model_format import level_spelling
from productops.competencies.models import Ladder, LadderLevel, ModelVersion


@dataclass(frozen=True)
class CompetencyLine:
    """One competency of a model version, as the ladder pages need it."""

    key: str
    name: str
    area: str
    levels: tuple[str, ...]


@dataclass(frozen=True)
class LevelChange:
    """One competency from one level to another."""

    key: str
    name: str
    area: str
    from_step: int | None
    to_step: int | None
    from_label: str
    to_label: str
    from_text: str
    to_text: str
    in_model: bool = True

    @property
    def change(self) -> str:
        """raised, lowered, same, new (expected only at the second level), dropped, none."""
        if self.from_step is None and self.to_step is None:
            return "none"
        if self.from_step is None:
            return "new"
        if self.to_step is None:
            return "dropped"
        if self.to_step > self.from_step:
            return "raised"
        if self.to_step < self.from_step:
            return "lowered"
        return "same"

    @property
    def changed(self) -> bool:
        return self.change not in ("same", "none")


def descriptor_for(
    levels: Sequence[str], scale: Sequence[Mapping[str, Any]], step: int | None
) -> tuple[str, str]:
    """The (label, descriptor) of a step for one competency; ("", "") when unknown."""
    if step is None:
        return "", ""
    for index, entry in enumerate(scale):
        if entry["step"] == step:
            text = levels[index] if index < len(levels) else ""
            return str(entry["label"]), text
    return "", ""


def level_diff(
    competencies: Sequence[CompetencyLine],
    scale: Sequence[Mapping[str, Any]],
    from_expected: Mapping[str, int],
    to_expected: Mapping[str, int],
) -> list[LevelChange]:
    """Competency by competency, in model order, what two levels expect.

    Expectations for keys the model no longer has come last, marked `in_model=False`.
    """
    rows = []
    for competency in competencies:
        rows.append(
            _change(
                competency,
                scale,
                from_expected.get(competency.key),
                to_expected.get(competency.key),
            )
        )
    known = {competency.key for competency in competencies}
    for key in sorted((set(from_expected) | set(to_expected)) - known):
        orphan = CompetencyLine(key=key, name=key, area="", levels=())
        rows.append(
            _change(orphan, scale, from_expected.get(key), to_expected.get(key), in_model=False)
        )
    return rows


def _change(
    competency: CompetencyLine,
    scale: Sequence[Mapping[str, Any]],
    from_step: int | None,
    to_step: int | None,
    *,
    in_model: bool = True,
) -> LevelChange:
    from_label, from_text = descriptor_for(competency.levels, scale, from_step)
    to_label, to_text = descriptor_for(competency.levels, scale, to_step)
    return LevelChange(
        key=competency.key,
        name=competency.name,
        area=competency.area,
        from_step=from_step,
        to_step=to_step,
        from_label=from_label,
        to_label=to_label,
        from_text=from_text,
        to_text=to_text,
        in_model=in_model,
    )


def find_level(levels: Iterable[LadderLevel], text: str) -> LadderLevel | None:
    """The level HR data means by `text`: its key, its name or one of its aliases.

    Case, spaces, dots, hyphens and slashes do not count ("Sr. PM" is "sr pm").
    """
    wanted = level_spelling(text)
    if not wanted:
        return None
    for level in levels:
        spellings = [level.key, level.name, *level.aliases]
        if any(level_spelling(spelling) == wanted for spelling in spellings):
            return level
    return None


# --- Loaders -------------------------------------------------------------------------------


@dataclass
class LadderView:
    """A ladder with its levels, the model version it is read against, and every expectation."""

    ladder: Ladder
    version: ModelVersion | None
    levels: list[LadderLevel]
    competencies: list[CompetencyLine]
    # level key -> competency key -> step
    expected: dict[str, dict[str, int]] = field(default_factory=dict)

    def level(self, key: str) -> LadderLevel | None:
        return next((level for level in self.levels if level.key == key), None)

    @property
    def scale(self) -> list[dict[str, Any]]:
        return list(self.version.scale) if self.version else []

    def rows(self) -> list[dict[str, Any]]:
        """One row per competency: its area, name and the step every level expects."""
        return [
            {
                "competency": competency,
                "cells": [
                    {"level": level, "step": self.expected[level.key].get(competency.key)}
                    for level in self.levels
                ],
            }
            for competency in self.competencies
        ]

    def diff(self, from_key: str, to_key: str) -> list[LevelChange]:
        return level_diff(
            self.competencies,
            self.scale,
            self.expected.get(from_key, {}),
            self.expected.get(to_key, {}),
        )


def load_ladder(ladder: Ladder) -> LadderView:
    """Everything the ladder page, the level diff and the API need, in four queries."""
    levels = list(ladder.levels.order_by("position").prefetch_related("expectations"))
    version = ladder.model.versions.order_by("-number").first()
    return LadderView(
        ladder=ladder,
        version=version,
        levels=levels,
        competencies=competency_lines(version) if version else [],
        expected={
            level.key: {e.competency_key: e.step for e in level.expectations.all()}
            for level in levels
        },
    )


def competency_lines(version: ModelVersion) -> list[CompetencyLine]:
    """A version's competencies in model order, read from its stored document."""
    return [
        CompetencyLine(
            key=competency["key"],
            name=competency["name"],
            area=area["name"],
            levels=tuple(competency["levels"]),
        )
        for area in version.document.get("areas", [])
        for competency in area.get("competencies", [])
    ]
