"""The shapes of the frames every backlog analysis reads.

Times are naive datetimes in UTC (microseconds). Lists are lists of strings. Loading
them from the database is `backlog.frames`' job; tests build them by hand with
`items_frame`, `changes_frame` and `sprints_frame`, which fill in missing columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

TIME = pl.Datetime("us")
NAMES = pl.List(pl.Utf8)

ITEM_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "key": pl.Utf8(),
    "type": pl.Utf8(),
    "status_category": pl.Utf8(),
    "resolution": pl.Utf8(),
    "created": TIME,
    "updated": TIME,
    "resolved": TIME,
    "origin": pl.Utf8(),
    "kind": pl.Utf8(),
    "framing": pl.Utf8(),
    "project": pl.Utf8(),
    "sprints": NAMES,
    "fix_versions": NAMES,
    "labels": NAMES,
    "components": NAMES,
    # the person the reporter was matched to (an id), null when none
    "reporter_person": pl.Int64(),
    # what set each label: "rules", "model" or "correction"
    "origin_set_by": pl.Utf8(),
    "kind_set_by": pl.Utf8(),
    "framing_set_by": pl.Utf8(),
}

CHANGE_SCHEMA: dict[str, pl.DataType] = {
    "item_id": pl.Int64(),
    "at": TIME,
    "field": pl.Utf8(),
    "from_value": pl.Utf8(),
    "to_value": pl.Utf8(),
}

SPRINT_SCHEMA: dict[str, pl.DataType] = {
    "source_id": pl.Utf8(),
    "name": pl.Utf8(),
    "start": TIME,
    "planned_end": TIME,
    "completed": TIME,
}

_ITEM_DEFAULTS: dict[str, Any] = {
    "type": "other",
    "status_category": "todo",
    "resolution": "",
    "origin": "unknown",
    "kind": "unknown",
    "framing": "unknown",
    "project": "",
    "sprints": [],
    "fix_versions": [],
    "labels": [],
    "components": [],
    "origin_set_by": "rules",
    "kind_set_by": "rules",
    "framing_set_by": "rules",
}


def _frame(
    rows: Sequence[Mapping[str, Any]], schema: dict[str, pl.DataType], defaults: dict[str, Any]
) -> pl.DataFrame:
    filled = [{name: row.get(name, defaults.get(name)) for name in schema} for row in rows]
    if not filled:
        return pl.DataFrame(schema=schema)
    return pl.DataFrame(filled, schema=schema, orient="row")


def items_frame(rows: Sequence[Mapping[str, Any]] = ()) -> pl.DataFrame:
    """Items from dicts; `id` defaults to the row's position + 1, `key` to `ITEM-<id>`."""
    numbered = []
    for position, row in enumerate(rows, start=1):
        item = dict(row)
        item.setdefault("id", position)
        item.setdefault("key", f"ITEM-{item['id']}")
        numbered.append(item)
    return _frame(numbered, ITEM_SCHEMA, _ITEM_DEFAULTS)


def changes_frame(rows: Sequence[Mapping[str, Any]] = ()) -> pl.DataFrame:
    return _frame(rows, CHANGE_SCHEMA, {"from_value": "", "to_value": ""})


def sprints_frame(rows: Sequence[Mapping[str, Any]] = ()) -> pl.DataFrame:
    return _frame(rows, SPRINT_SCHEMA, {})


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The frame with exactly the schema's columns, in order and of the schema's types."""
    return frame.select(
        [
            pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name)
            for name, dtype in schema.items()
        ]
    )
