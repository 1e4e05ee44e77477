"""The backlog as Polars frames, loaded from the database in a few bounded queries.

Three queries whatever the size: items, the changes the analysis reads (status, sprint,
fix version), sprints. Rows come through a raw cursor in chunks, built into frames
column by column, so 1,000,000 changes load without a Python object per field.
Times become naive UTC; JSON lists become lists of strings (SQLite hands both over as
text, PostgreSQL as Python values: both are handled).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast, Lower

from .analysis.health import FIELDS
from .analysis.schema import CHANGE_SCHEMA, ITEM_SCHEMA, SPRINT_SCHEMA
from .models import Change, Item, Sprint

CHUNK = 50_000
_TIMES = {
    name
    for name, dtype in {**ITEM_SCHEMA, **CHANGE_SCHEMA, **SPRINT_SCHEMA}.items()
    if dtype == pl.Datetime("us")
}
_LISTS = {"sprints", "fix_versions", "labels", "components"}


@dataclass(frozen=True)
class BacklogFrames:
    items: pl.DataFrame
    changes: pl.DataFrame
    sprints: pl.DataFrame


def _rows(queryset: QuerySet, columns: Sequence[str]) -> Iterator[list[tuple[Any, ...]]]:
    if connection.vendor == "sqlite":
        # SQLite stores times as text; reading them as text skips a Python parse per value
        # (Polars parses the whole column at once).
        texts = {f"{name}_text": Cast(name, TextField()) for name in columns if name in _TIMES}
        queryset = queryset.annotate(**texts)
        columns = [f"{name}_text" if name in _TIMES else name for name in columns]
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


def _time_column(values: pl.Series) -> pl.Series:
    if values.dtype == pl.Utf8:
        text = values.str.replace("T", " ").str.replace(r"(Z|[+-]\d\d(:?\d\d)?)$", "")
        return text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us")
    if isinstance(values.dtype, pl.Datetime) and values.dtype.time_zone is not None:
        return values.dt.convert_time_zone("UTC").dt.replace_time_zone(None).dt.cast_time_unit("us")
    return values.cast(pl.Datetime("us"))


def _list_column(values: pl.Series) -> pl.Series:
    if values.dtype == pl.Utf8:
        decoded = values.fill_null("[]").str.json_decode(pl.List(pl.Utf8))
    else:
        decoded = values.cast(pl.List(pl.Utf8))
    return decoded.fill_null([])


def _chunk_frame(chunk: list[tuple[Any, ...]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    names = list(schema)
    columns = list(zip(*chunk, strict=True))
    series = []
    for name, values in zip(names, columns, strict=True):
        if name in _LISTS:
            first = next((v for v in values if v is not None), None)
            raw = pl.Series(name, values, dtype=pl.Utf8 if isinstance(first, str) else None)
            series.append(_list_column(raw).alias(name))
        elif name in _TIMES:
            first = next((v for v in values if v is not None), None)
            raw = pl.Series(name, values, dtype=pl.Utf8 if isinstance(first, str) else None)
            series.append(_time_column(raw).alias(name))
        else:
            series.append(pl.Series(name, values).cast(schema[name]))
    return pl.DataFrame(series)


def _load(
    queryset: QuerySet, columns: Sequence[str], schema: dict[str, pl.DataType]
) -> pl.DataFrame:
    frames = [_chunk_frame(chunk, schema) for chunk in _rows(queryset, columns)]
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames, how="vertical_relaxed").select(
        [pl.col(name).cast(dtype) for name, dtype in schema.items()]
    )


def load_frames(*, project: str | None = None) -> BacklogFrames:
    """Items (of one project when given), their changes the analysis reads, all sprints."""
    items = Item.objects.order_by()
    changes = Change.objects.order_by()
    if connection.vendor == "sqlite":
        # Most changes are of these fields: SQLite would walk the (field, at) index row by
        # row, three times slower than the plain scan an expression on the column gets.
        changes = changes.alias(field_name=Lower("field")).filter(field_name__in=FIELDS)
    else:
        changes = changes.filter(field__in=FIELDS)
    if project:
        items = items.filter(project=project)
        changes = changes.filter(item__project=project)
    return BacklogFrames(
        items=_load(items, list(ITEM_SCHEMA), ITEM_SCHEMA),
        changes=_load(changes, ["item_id", "at", "field", "from_value", "to_value"], CHANGE_SCHEMA),
        sprints=_load(Sprint.objects.order_by(), list(SPRINT_SCHEMA), SPRINT_SCHEMA),
    )


def naive_utc(moment: datetime) -> datetime:
    """A datetime as the frames hold it: UTC, without a time zone."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
