"""Two competency models, or two versions of one, side by side.

Competencies are aligned by key (stable across versions), steps by step number; every
difference is marked so a page can highlight it. Pure functions over stored documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Document = Mapping[str, Any]

SAME, CHANGED, ONLY_LEFT, ONLY_RIGHT = "same", "changed", "only left", "only right"


@dataclass(frozen=True)
class StepPair:
    step: int
    left_label: str | None
    right_label: str | None
    left: str | None  # None: this side has no such step
    right: str | None

    @property
    def differs(self) -> bool:
        return self.left != self.right


@dataclass
class CompetencyPair:
    key: str
    left: dict[str, Any] | None
    right: dict[str, Any] | None
    left_area: str = ""
    right_area: str = ""
    steps: list[StepPair] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)  # which fields differ

    @property
    def status(self) -> str:
        if self.left is None:
            return ONLY_RIGHT
        if self.right is None:
            return ONLY_LEFT
        return CHANGED if self.differences else SAME

    @property
    def status_class(self) -> str:
        return self.status.replace(" ", "-")

    @property
    def name_differs(self) -> bool:
        return "name" in self.differences

    @property
    def description_differs(self) -> bool:
        return "description" in self.differences

    @property
    def area_differs(self) -> bool:
        return "area" in self.differences

    @property
    def behaviours_differ(self) -> bool:
        return "behaviours" in self.differences


@dataclass
class ModelComparison:
    left: Document
    right: Document
    scale: list[StepPair]
    competencies: list[CompetencyPair]
    header_differences: list[str]

    def count(self, status: str) -> int:
        return sum(1 for pair in self.competencies if pair.status == status)

    @property
    def counts(self) -> dict[str, int]:
        """By status, with underscores so templates can read them: only_left, only_right."""
        return {
            status.replace(" ", "_"): self.count(status)
            for status in (SAME, CHANGED, ONLY_LEFT, ONLY_RIGHT)
        }

    @property
    def identical(self) -> bool:
        return not self.header_differences and self.count(SAME) == len(self.competencies)


def compare_documents(left: Document, right: Document) -> ModelComparison:
    left_steps = _steps(left)
    right_steps = _steps(right)
    scale = [
        StepPair(
            step=step,
            left_label=left_steps.get(step, (None, None))[1],
            right_label=right_steps.get(step, (None, None))[1],
            left=_scale_text(left_steps.get(step)),
            right=_scale_text(right_steps.get(step)),
        )
        for step in sorted(set(left_steps) | set(right_steps))
    ]
    left_items = _competencies(left)
    right_items = _competencies(right)
    order = list(left_items) + [key for key in right_items if key not in left_items]
    pairs = [
        _pair(key, left_items.get(key), right_items.get(key), left_steps, right_steps)
        for key in order
    ]
    header = [
        name
        for name in ("name", "discipline", "description")
        if left.get(name, "") != right.get(name, "")
    ]
    if any(pair.differs for pair in scale):
        header.append("scale")
    return ModelComparison(
        left=left, right=right, scale=scale, competencies=pairs, header_differences=header
    )


def _steps(document: Document) -> dict[int, tuple[int, str, str]]:
    """step -> (position in the scale, label, meaning)."""
    return {
        entry["step"]: (position, entry.get("label", ""), entry.get("meaning", ""))
        for position, entry in enumerate(document.get("scale", []))
    }


def _scale_text(entry: tuple[int, str, str] | None) -> str | None:
    if entry is None:
        return None
    _, label, meaning = entry
    return f"{label}: {meaning}" if meaning else label


def _competencies(document: Document) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        competency["key"]: (area.get("name", ""), competency)
        for area in document.get("areas", [])
        for competency in area.get("competencies", [])
    }


def _pair(
    key: str,
    left: tuple[str, dict[str, Any]] | None,
    right: tuple[str, dict[str, Any]] | None,
    left_steps: Mapping[int, tuple[int, str, str]],
    right_steps: Mapping[int, tuple[int, str, str]],
) -> CompetencyPair:
    left_area, left_competency = left if left else ("", None)
    right_area, right_competency = right if right else ("", None)
    steps = [
        StepPair(
            step=step,
            left_label=left_steps[step][1] if step in left_steps else None,
            right_label=right_steps[step][1] if step in right_steps else None,
            left=_level(left_competency, left_steps.get(step)),
            right=_level(right_competency, right_steps.get(step)),
        )
        for step in sorted(set(left_steps) | set(right_steps))
    ]
    pair = CompetencyPair(
        key=key,
        left=left_competency,
        right=right_competency,
        left_area=left_area,
        right_area=right_area,
        steps=steps,
    )
    if left_competency is not None and right_competency is not None:
        for name in ("name", "description", "behaviours"):
            if left_competency.get(name) != right_competency.get(name):
                pair.differences.append(name)
        if left_area != right_area:
            pair.differences.append("area")
        if any(step.differs for step in steps):
            pair.differences.append("levels")
    return pair


def _level(competency: Mapping[str, Any] | None, entry: tuple[int, str, str] | None) -> str | None:
    if competency is None or entry is None:
        return None
    levels = competency.get("levels", [])
    position = entry[0]
    return levels[position] if position < len(levels) else None
