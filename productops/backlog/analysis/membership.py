"""Which items were in which sprint or release at a given moment, replayed from changes.

A sprint or fix-version change records the lists before and after ("Sprint 4" →
"Sprint 4, Sprint 5"); Jira gives sprint names, comma-separated when an item sits in
several sprints, other sources give ids or one value per change. `membership_events`
turns such changes into one event per item, target and moment: joined (`member_after`
true) or left (false). A left event is a *move* when the same item joined another target
at the same moment.

`states_at` then answers, for each (item, target) pair and a window [t0, t1] per target,
whether the item was a member at t0 (events at or before t0), at t1 (events strictly
before t1), and whether it joined inside the window. Without an event before the moment,
the state is the one before the first later event; without any event, the item's
current list decides. An item is never a member before it was created.
"""

from __future__ import annotations

import polars as pl

EVENT_SCHEMA: dict[str, pl.DataType] = {
    "item_id": pl.Int64(),
    "target": pl.Utf8(),
    "at": pl.Datetime("us"),
    "member_after": pl.Boolean(),
    "moved": pl.Boolean(),
}


def _tokens(changes: pl.DataFrame, column: str) -> pl.DataFrame:
    return (
        changes.select(
            "change", "item_id", "at", pl.col(column).fill_null("").str.split(",").alias("token")
        )
        .explode("token")
        .with_columns(pl.col("token").str.strip_chars())
        .filter(pl.col("token") != "")
    )


def _resolve(tokens: pl.DataFrame, lookup: pl.DataFrame | None) -> pl.DataFrame:
    """Tokens as targets: through the lookup (token → target) when given, else as they are."""
    if lookup is None:
        resolved = tokens.rename({"token": "target"})
    else:
        resolved = tokens.join(lookup, on="token", how="inner").drop("token")
    return resolved.unique(["change", "target"])


def membership_events(
    changes: pl.DataFrame, field: str, lookup: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Join and leave events for one change field, sorted by item, target and time.

    `lookup` maps every way a target is written (`token`) to one identity (`target`):
    for sprints, both the source id and the name map to the source id.
    """
    rows = (
        changes.filter(pl.col("field") == field)
        .select("item_id", "at", "from_value", "to_value")
        .with_row_index("change")
    )
    if rows.is_empty():
        return pl.DataFrame(schema=EVENT_SCHEMA)
    before = _resolve(_tokens(rows, "from_value"), lookup)
    after = _resolve(_tokens(rows, "to_value"), lookup)
    joined = after.join(before, on=["change", "target"], how="anti").with_columns(
        member_after=pl.lit(True)
    )
    arrivals = joined.select("item_id", "at").unique().with_columns(moved=pl.lit(True))
    left = (
        before.join(after, on=["change", "target"], how="anti")
        .with_columns(member_after=pl.lit(False))
        .join(arrivals, on=["item_id", "at"], how="left")
        .with_columns(pl.col("moved").fill_null(False))
    )
    events = pl.concat(
        [
            joined.with_columns(moved=pl.lit(False)).select(list(EVENT_SCHEMA)),
            left.select(list(EVENT_SCHEMA)),
        ]
    )
    return events.sort("item_id", "target", "at", "member_after")


def current_members(
    items: pl.DataFrame, column: str, lookup: pl.DataFrame | None = None
) -> pl.DataFrame:
    """(item_id, target) for every target in the items' current list column."""
    pairs = (
        items.select(pl.col("id").alias("item_id"), pl.col(column).alias("token"))
        .explode("token")
        .with_columns(pl.col("token").str.strip_chars())
        .filter(pl.col("token").is_not_null() & (pl.col("token") != ""))
    )
    if lookup is None:
        pairs = pairs.rename({"token": "target"})
    else:
        pairs = pairs.join(lookup, on="token", how="inner").drop("token")
    return pairs.unique()


def first_membership(
    events: pl.DataFrame, current: pl.DataFrame, created: pl.DataFrame
) -> pl.DataFrame:
    """Per (item, target): since when the item has the target (`joined_at`) and whether it
    has it now (`member_now`) and, when it left last, whether it moved (`moved_out`)."""
    summary = events.group_by("item_id", "target").agg(
        (~pl.col("member_after").first()).alias("on_creation"),
        pl.col("at").filter(pl.col("member_after")).first().alias("first_join"),
        pl.col("member_after").last().alias("last_state"),
        pl.col("moved").last().alias("last_moved"),
    )
    pairs = _pairs(events, current).join(summary, on=["item_id", "target"], how="left")
    pairs = pairs.join(created, on="item_id", how="inner")
    on_creation = pl.coalesce("on_creation", "in_current")
    return pairs.select(
        "item_id",
        "target",
        pl.when(on_creation).then(pl.col("created")).otherwise("first_join").alias("joined_at"),
        pl.coalesce("last_state", "in_current").alias("member_now"),
        (~pl.coalesce("last_state", "in_current") & pl.col("last_moved").fill_null(False)).alias(
            "moved_out"
        ),
    )


def _pairs(events: pl.DataFrame, current: pl.DataFrame) -> pl.DataFrame:
    marked = current.select("item_id", "target").with_columns(in_current=pl.lit(True))
    seen = events.select("item_id", "target").unique()
    return (
        pl.concat([marked, seen.with_columns(in_current=pl.lit(False))])
        .group_by("item_id", "target")
        .agg(pl.col("in_current").any())
    )


def states_at(
    events: pl.DataFrame,
    current: pl.DataFrame,
    windows: pl.DataFrame,
    created: pl.DataFrame,
) -> pl.DataFrame:
    """Per (item, target) with a window (target, t0, t1): `at_t0`, `joined`, `at_t1`.

    `created` is (item_id, created) with no nulls; `joined` means the item was not a
    member at t0 and became one inside (t0, t1), by a change or by being created there.
    """
    timed = events.join(windows, on="target", how="inner")
    after = pl.col("member_after")
    at = pl.col("at")
    summary = timed.group_by("item_id", "target").agg(
        after.filter(at <= pl.col("t0")).last().alias("last_to_t0"),
        (~after.filter(at > pl.col("t0")).first()).alias("before_next_t0"),
        after.filter(at < pl.col("t1")).last().alias("last_to_t1"),
        (~after.filter(at >= pl.col("t1")).first()).alias("before_next_t1"),
        (~after.first()).alias("on_creation"),
        (after & (at > pl.col("t0")) & (at < pl.col("t1"))).any().alias("joined_inside"),
    )
    pairs = (
        _pairs(events, current)
        .join(windows, on="target", how="inner")
        .join(created, on="item_id", how="inner")
        .join(summary, on=["item_id", "target"], how="left")
    )
    created_at = pl.col("created")
    at_t0 = pl.coalesce("last_to_t0", "before_next_t0", "in_current") & (created_at <= pl.col("t0"))
    at_t1 = pl.coalesce("last_to_t1", "before_next_t1", "in_current") & (created_at < pl.col("t1"))
    born_inside = (
        (created_at > pl.col("t0"))
        & (created_at < pl.col("t1"))
        & pl.coalesce("on_creation", "in_current")
    )
    return pairs.select(
        "item_id",
        "target",
        at_t0.alias("at_t0"),
        (~at_t0 & (pl.col("joined_inside").fill_null(False) | born_inside)).alias("joined"),
        at_t1.alias("at_t1"),
    )
