"""Work that was started and then put aside: "planned work is shelved at each new request".

A shelving is a status change out of an in-progress status (see `statuses`) either back
to a to-do status, or to a done status while closing the item without doing it (the new
status is a won't-do name such as "Won't Do", or the item's resolution is one). The days
in progress run from the last change into an in-progress status before the shelving
(from the item's creation when no such change is recorded) to the shelving.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from .statuses import status_category_expr, wont_do_expr

SHELVED_COLUMNS: dict[str, pl.DataType] = {
    "item_id": pl.Int64(),
    "key": pl.Utf8(),
    "project": pl.Utf8(),
    "origin": pl.Utf8(),
    "kind": pl.Utf8(),
    "at": pl.Datetime("us"),
    "from_status": pl.Utf8(),
    "to_status": pl.Utf8(),
    "how": pl.Utf8(),  # "back_to_todo" | "wont_do"
    "days_in_progress": pl.Float64(),
}


def shelved_in_progress(
    items: pl.DataFrame,
    changes: pl.DataFrame,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pl.DataFrame:
    """Every shelving in [start, end], newest first (SHELVED_COLUMNS)."""
    details = items.select(
        pl.col("id").alias("item_id"), "key", "project", "origin", "kind", "resolution", "created"
    )
    status = (
        changes.filter(pl.col("field") == "status")
        .select("item_id", "at", "from_value", "to_value")
        .sort("item_id", "at")
        .with_columns(
            status_category_expr(pl.col("from_value")).alias("from_category"),
            status_category_expr(pl.col("to_value")).alias("to_category"),
        )
        .with_columns(
            pl.when(pl.col("to_category") == "in_progress")
            .then(pl.col("at"))
            .forward_fill()
            .over("item_id")
            .alias("started")
        )
        .filter(pl.col("from_category") == "in_progress")
        .join(details, on="item_id", how="inner")
    )
    back_to_todo = pl.col("to_category") == "todo"
    wont_do = (pl.col("to_category") == "done") & (
        wont_do_expr(pl.col("to_value")) | wont_do_expr(pl.col("resolution"))
    )
    shelved = status.filter(back_to_todo | wont_do)
    if start is not None:
        shelved = shelved.filter(pl.col("at") >= start)
    if end is not None:
        shelved = shelved.filter(pl.col("at") <= end)
    days = (pl.col("at") - pl.coalesce("started", "created")).dt.total_seconds() / 86400
    return (
        shelved.with_columns(
            pl.when(back_to_todo)
            .then(pl.lit("back_to_todo"))
            .otherwise(pl.lit("wont_do"))
            .alias("how"),
            pl.col("from_value").alias("from_status"),
            pl.col("to_value").alias("to_status"),
            days.round(1).alias("days_in_progress"),
        )
        .sort("at", "key", descending=[True, False])
        .select([pl.col(name).cast(dtype) for name, dtype in SHELVED_COLUMNS.items()])
    )


def shelved_per_month(shelved: pl.DataFrame) -> pl.DataFrame:
    """(month, count, items): shelvings and distinct items per calendar month, oldest first."""
    return (
        shelved.group_by(pl.col("at").dt.truncate("1mo").dt.date().alias("month"))
        .agg(
            pl.len().cast(pl.UInt32).alias("count"),
            pl.col("item_id").n_unique().cast(pl.UInt32).alias("items"),
        )
        .sort("month")
    )
