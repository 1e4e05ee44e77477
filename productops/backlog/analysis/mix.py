"""Where the work comes from, what kind it is, and how it is framed.

- the open backlog: items whose status category is not done, as they are now;
- the work done in a period: items done with a resolution that is not won't do, and
  resolved inside the period;
- a mix: per value, the count and its share of the frame's rows (shares sum to 1);
- the investment balance: the done work per calendar month of resolution and kind of
  work, with each kind's share of that month.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from .statuses import wont_do_expr

MIX_COLUMNS: dict[str, pl.DataType] = {
    "value": pl.Utf8(),
    "count": pl.UInt32(),
    "share": pl.Float64(),
}


def open_items(items: pl.DataFrame) -> pl.DataFrame:
    return items.filter(pl.col("status_category") != "done")


def done_items(
    items: pl.DataFrame, *, start: datetime | None = None, end: datetime | None = None
) -> pl.DataFrame:
    done = items.filter(
        (pl.col("status_category") == "done")
        & pl.col("resolved").is_not_null()
        & ~wont_do_expr(pl.col("resolution"))
    )
    if start is not None:
        done = done.filter(pl.col("resolved") >= start)
    if end is not None:
        done = done.filter(pl.col("resolved") <= end)
    return done


def mix(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """(value, count, share) for one column, largest first; empty for an empty frame."""
    total = frame.height
    if total == 0:
        return pl.DataFrame(schema=MIX_COLUMNS)
    return (
        frame.group_by(pl.col(column).fill_null("unknown").alias("value"))
        .agg(pl.len().cast(pl.UInt32).alias("count"))
        .with_columns((pl.col("count") / total).alias("share"))
        .sort("count", "value", descending=[True, False])
        .select([pl.col(name).cast(dtype) for name, dtype in MIX_COLUMNS.items()])
    )


def share_of(mixed: pl.DataFrame, values: set[str] | frozenset[str]) -> float | None:
    """The summed share of some values in a mix; None for an empty mix."""
    if mixed.is_empty():
        return None
    return float(mixed.filter(pl.col("value").is_in(list(values)))["share"].sum())


def investment_by_month(done: pl.DataFrame) -> pl.DataFrame:
    """(month, kind, count, share) for done work, oldest month first."""
    return (
        done.group_by(
            pl.col("resolved").dt.truncate("1mo").dt.date().alias("month"),
            pl.col("kind").fill_null("unknown"),
        )
        .agg(pl.len().cast(pl.UInt32).alias("count"))
        .with_columns((pl.col("count") / pl.col("count").sum().over("month")).alias("share"))
        .sort("month", "count", "kind", descending=[False, True, False])
    )
