"""The backlog report's numbers as rows: what the health page and `backlog-report` print.

`BacklogReport.as_dict()` holds mixes as lists of rows or as mappings; these functions
turn either into {value: count}, months in order and sprint and shelved rows with their
texts, so the page and the command show the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import TextChoices

from productops.backlog.analysis.period import DEFAULT_DAYS as DEFAULT_DAYS
from productops.backlog.models import Item, Origin

EMPTY = "No tracker data yet — import a Jira, GitHub, Linear or CSV export"
HOW_SHELVED = {"back_to_todo": "back to to-do", "wont_do": "closed as won't do"}


def fill_period(
    start: dt.date | None, end: dt.date | None, *, today: dt.date
) -> tuple[dt.date | None, dt.date | None]:
    """The period the page, the API and the command ask for.

    Neither bound: (None, None), which `build_report` reads as the last 90 days of the
    data. One bound: the end defaults to today, the start to 90 days before the end.
    """
    if start is None and end is None:
        return None, None
    end = end or today
    return start or end - dt.timedelta(days=DEFAULT_DAYS), end


def label_of(choices: type[TextChoices], key: str) -> str:
    """The label of `key` among `choices`, or the key made readable when it is not one."""
    try:
        return str(choices(key).label)
    except ValueError:
        return str(key).replace("_", " ").capitalize()


def counts(value: Any) -> dict[str, float]:
    """{value: count} from a mapping or from mix rows such as {"value": ..., "count": ...}."""
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items() if isinstance(v, int | float)}
    result: dict[str, float] = {}
    for row in value:
        key = next((row[k] for k in ("value", "key", "origin", "kind", "framing") if k in row), "")
        result[str(key)] = next((row[k] for k in ("count", "share") if k in row), 0) or 0
    return result


def month_label(text: str) -> str:
    """ "2026-10-01" (the first of a month) as "2026-10"."""
    return text[:7] if len(text) == 10 and text[4] == "-" else text


def months(value: Any) -> list[tuple[str, dict[str, float]]]:
    """[(month, {value: count})] from {month: {...}} or rows with a "month" key and either
    "kinds" (mix rows) or a single "count"."""
    if not value:
        return []
    if isinstance(value, Mapping):
        pairs = [(str(m), counts(v)) for m, v in value.items()]
    else:
        pairs = [
            (
                str(row.get("month", "")),
                counts(row["kinds"]) if "kinds" in row else {"count": row.get("count") or 0},
            )
            for row in value
        ]
    return [(month_label(month), numbers) for month, numbers in sorted(pairs, key=lambda p: p[0])]


def percent_text(value: Any) -> str:
    if value is None:
        return "—"
    return f"{round(100 * value)}%"


def sprint_rows(sprints: Any) -> list[dict[str, Any]]:
    rows = []
    for sprint in sprints or []:
        added = counts(sprint.get("added_by_origin"))
        total_added = sum(added.values())
        rows.append(
            {
                **sprint,
                "churn_text": percent_text(sprint.get("churn")),
                "accuracy_text": percent_text(sprint.get("accuracy")),
                "added_mix": ", ".join(
                    f"{label_of(Origin, k)} {round(100 * v / total_added)}%"
                    for k, v in sorted(added.items(), key=lambda kv: -kv[1])
                    if v and total_added
                ),
            }
        )
    return rows


def shelved_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shelved items with their titles (one query for the whole list)."""
    ids = [row["item_id"] for row in items if row.get("item_id")]
    titles = dict(Item.objects.filter(pk__in=ids).values_list("pk", "title")) if ids else {}
    return [
        {
            **row,
            "title": titles.get(row.get("item_id") or 0, row.get("title", "")),
            "how_text": HOW_SHELVED.get(row.get("how", ""), row.get("how", "")),
            "day": str(row.get("at", ""))[:10],
            "days": "—"
            if row.get("days_in_progress") is None
            else f"{row['days_in_progress']:.0f}",
        }
        for row in items
    ]


DIMENSION_NAMES = {"origin": "Origin", "kind": "Kind of work", "framing": "Framing"}


def _score_text(value: Any) -> str:
    return "—" if value is None else f"{value:.2f}"


def curve_text(curve: Any) -> str:
    """The learning curve in words: "50 corrections 0.61 · 100: 0.70 · 200: 0.78"."""
    points = [(int(n), float(f1)) for n, f1 in (curve or [])]
    if not points:
        return ""
    first, *rest = points
    return " · ".join(
        [f"{first[0]} corrections {first[1]:.2f}", *(f"{n}: {f1:.2f}" for n, f1 in rest)]
    )


def classifier_rows(scores: Any) -> list[dict[str, Any]]:
    """The rules' and the model's macro-F1 per dimension, as the page and the command show."""
    rows = []
    for score in scores or []:
        model = _score_text(score.get("model_macro_f1"))
        if score.get("model_macro_f1") is not None:
            model += " (in use)" if score.get("model_in_use") else " (not in use)"
        rules = _score_text(score.get("rules_macro_f1"))
        if score.get("near_chance"):
            rules += " — near chance"
        rows.append(
            {
                **score,
                "name": DIMENSION_NAMES.get(score.get("dimension", ""), score.get("dimension", "")),
                "rules_text": rules,
                "model_text": model,
                "chance_text": _score_text(score.get("chance")),
                "curve_text": curve_text(score.get("curve")),
            }
        )
    return rows


def share_rows(
    choices: type[TextChoices], named: list[tuple[str, dict[str, float]]]
) -> list[dict[str, Any]]:
    """Per named group, its total and each value present (the choices' order first, then
    any other key), with its count and its whole-number share of the group."""
    rows = []
    for name, numbers in named:
        total = sum(numbers.values())
        keys = [c.value for c in choices] + sorted(set(numbers) - {c.value for c in choices})
        rows.append(
            {
                "name": name,
                "total": total,
                "parts": [
                    {
                        "key": key,
                        "label": label_of(choices, key),
                        "count": numbers[key],
                        "percent": round(100 * numbers[key] / total) if total else 0,
                    }
                    for key in keys
                    if numbers.get(key)
                ],
            }
        )
    return rows


def origin_groups(data: Mapping[str, Any]) -> list[tuple[str, dict[str, float]]]:
    """The backlog report's two origin mixes: the open backlog and the period's done work."""
    return [
        ("Open backlog", counts(data.get("origin_mix_open"))),
        ("Done in the period", counts(data.get("origin_mix_done"))),
    ]


def origin_mix_table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """The page's origin table as a download (header, rows): a group a row, with a count
    and a share column for each origin any group holds."""
    keys: list[tuple[str, str]] = []
    for row in rows:
        for part in row["parts"]:
            if (part["key"], part["label"]) not in keys:
                keys.append((part["key"], part["label"]))
    header = ["", "Items"]
    for _, label in keys:
        header += [label, f"{label} %"]
    mix: list[list[Any]] = []
    for row in rows:
        parts = {part["key"]: part for part in row["parts"]}
        cells: list[Any] = [row["name"], row["total"]]
        for key, _ in keys:
            part = parts.get(key)
            cells += [part["count"], part["percent"]] if part else [0, 0]
        mix.append(cells)
    return header, mix


def origin_mix_long_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The same origin table one origin a row: group, origin, count, share (%)."""
    return [
        [row["name"], part["label"], part["count"], part["percent"]]
        for row in rows
        for part in row["parts"]
    ]
