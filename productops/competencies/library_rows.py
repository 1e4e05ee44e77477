"""The competency library's tables as download rows: a ladder's levels, a model version's
rating scale, competency matrix and versions, a comparison of two versions, and a level
diff. The library is read by every logged-in user, so the rows hold what every page
reader sees; the views call these with the same objects they render.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from productops.competencies.ladders import LevelChange
from productops.competencies.model_compare import ModelComparison
from productops.competencies.models import LadderLevel, ModelVersion

LEVEL_COLUMNS = ("Level", "Key", "Also written in HR data as")
SCALE_COLUMNS = ("Step", "Label", "Meaning")
VERSION_COLUMNS = ("Version", "Created", "Note", "Latest")
COMPARE_COLUMNS = ("Section", "Field", "Left", "Right", "Differs")
CHANGED_COLUMNS = (
    "Competency",
    "Area",
    "Change",
    "From step",
    "From label",
    "From expects",
    "To step",
    "To label",
    "To expects",
)
UNCHANGED_COLUMNS = ("Competency", "Step", "Label")


def level_rows(levels: Iterable[LadderLevel]) -> list[list[Any]]:
    """A ladder's levels in their order, with the other names HR data gives them."""
    return [[level.name, level.key, ", ".join(level.aliases)] for level in levels]


def scale_rows(scale: Iterable[dict[str, Any]]) -> list[list[Any]]:
    return [
        [entry.get("step"), entry.get("label", ""), entry.get("meaning", "")] for entry in scale
    ]


def matrix_header(scale: Sequence[dict[str, Any]]) -> list[str]:
    steps = [f"{entry.get('step')} · {entry.get('label', '')}" for entry in scale]
    return ["Area", "Competency", "Key", *steps, "Behaviours to look for"]


def matrix_rows(document: Mapping[str, Any]) -> list[list[Any]]:
    """Every competency of a version, area by area: what each step of the scale means for
    it, and its behaviours as "evidence: text" separated by new lines."""
    width = len(document.get("scale", []))
    rows: list[list[Any]] = []
    for area in document.get("areas", []):
        for competency in area.get("competencies", []):
            levels = list(competency.get("levels", []))[:width]
            levels += [""] * (width - len(levels))
            behaviours = "\n".join(
                f"{b.get('evidence', '')}: {b.get('text', '')}"
                for b in competency.get("behaviours", [])
            )
            rows.append(
                [area.get("name", ""), competency.get("name", ""), competency.get("key", ""),
                 *levels, behaviours]
            )  # fmt: skip
    return rows


def version_rows(versions: Sequence[ModelVersion]) -> list[list[Any]]:
    """A model's versions, newest first, as its page lists them."""
    return [
        [v.number, v.created_at, v.note, "latest" if index == 0 else ""]
        for index, v in enumerate(versions)
    ]


def _competency_text(competency: Mapping[str, Any] | None, name: str) -> str:
    return "" if competency is None else str(competency.get(name, "") or "")


def _behaviours(competency: Mapping[str, Any] | None) -> str:
    if competency is None:
        return ""
    return "\n".join(
        f"{b.get('evidence', '')}: {b.get('text', '')}" for b in competency.get("behaviours", [])
    )


def compare_rows(comparison: ModelComparison) -> list[list[Any]]:
    """The comparison table, one line per field the page shows side by side: the model's
    own fields, each step of the scale, and each competency (lined up by key)."""

    def line(section: str, field: str, left: Any, right: Any, differs: bool) -> list[Any]:
        return [section, field, left or "", right or "", "yes" if differs else ""]

    left, right = comparison.left, comparison.right
    rows = [
        line("Model", name.capitalize(), left.get(name), right.get(name),
             left.get(name) != right.get(name))
        for name in ("name", "discipline", "description")
    ]  # fmt: skip
    rows += [
        line("Rating scale", f"Step {pair.step}", pair.left, pair.right, pair.differs)
        for pair in comparison.scale
    ]
    for pair in comparison.competencies:
        section = f"{pair.key} ({pair.status})"
        rows.append(
            line(
                section,
                "Competency",
                _competency_text(pair.left, "name"),
                _competency_text(pair.right, "name"),
                pair.name_differs,
            )
        )
        if pair.status == "same":
            continue
        rows.append(line(section, "Area", pair.left_area, pair.right_area, pair.area_differs))
        rows.append(
            line(
                section,
                "Description",
                _competency_text(pair.left, "description"),
                _competency_text(pair.right, "description"),
                pair.description_differs,
            )
        )
        rows += [
            line(
                section,
                f"{step.step} · {step.left_label or step.right_label or ''}",
                step.left,
                step.right,
                step.differs,
            )
            for step in pair.steps
        ]
        if (pair.left or {}).get("behaviours") or (pair.right or {}).get("behaviours"):
            rows.append(
                line(
                    section,
                    "Behaviours",
                    _behaviours(pair.left),
                    _behaviours(pair.right),
                    pair.behaviours_differ,
                )
            )
    return rows


def changed_rows(changes: Iterable[LevelChange]) -> list[list[Any]]:
    """The competencies whose expectation changes between two levels."""
    return [
        [
            row.name,
            row.area,
            row.change,
            row.from_step,
            row.from_label if row.from_step is not None else "",
            row.from_text if row.from_step is not None else "",
            row.to_step,
            row.to_label if row.to_step is not None else "",
            row.to_text if row.to_step is not None else "",
        ]
        for row in changes
    ]


def unchanged_rows(changes: Iterable[LevelChange]) -> list[list[Any]]:
    return [
        [row.name, row.to_step, row.to_label if row.to_step is not None else ""] for row in changes
    ]
