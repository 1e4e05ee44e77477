"""Does the plan hold? Scope churn and planning accuracy per sprint, churn per release.

Formulas (written out in docs/backlog-formulas.md):

Per sprint, with start = the sprint's start and end = its completion (else its planned
end), membership replayed from sprint changes (`membership`):
- committed: in the sprint at its start (changes at or before the start count);
- added: not committed, joined after the start and before the end;
- removed: committed or added, and no longer in the sprint just before the end;
- completed: in the sprint just before the end and done by then, not closed as won't do;
- carried over: in the sprint just before the end and not done by then;
- scope churn = (added + removed) / committed;
- planning accuracy = completed among the committed / committed;
- additions by origin: the added items counted by origin.

Per release (fix version), with first seen = the earliest moment any item had it and the
baseline = first seen + 1 day (the first day's assignments are the initial plan):
- initial: items with the version at the baseline;
- added: not initial, got the version after the baseline;
- moved out: initial or added, no longer have it, and got another version at that moment;
- removed: initial or added, no longer have it, not moved out;
- churn = (added + removed + moved out) / initial.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import polars as pl

from .membership import current_members, first_membership, membership_events, states_at
from .statuses import status_category_expr, wont_do_expr

BASELINE_DELAY = timedelta(days=1)
FOREVER = datetime(9999, 12, 31)

SPRINT_COLUMNS: dict[str, pl.DataType] = {
    "source_id": pl.Utf8(),
    "name": pl.Utf8(),
    "start": pl.Datetime("us"),
    "end": pl.Datetime("us"),
    "committed": pl.UInt32(),
    "added": pl.UInt32(),
    "removed": pl.UInt32(),
    "completed": pl.UInt32(),
    "completed_committed": pl.UInt32(),
    "carried_over": pl.UInt32(),
    "churn": pl.Float64(),
    "accuracy": pl.Float64(),
}


@dataclass(frozen=True)
class SprintStability:
    sprints: pl.DataFrame  # one row per sprint, SPRINT_COLUMNS, in order of start
    additions: pl.DataFrame  # (source_id, origin, count): mid-sprint additions by origin
    # (item_id, source_id, origin): each mid-sprint addition, for counts by another key
    added_items: pl.DataFrame = field(default_factory=pl.DataFrame)


def created_times(items: pl.DataFrame) -> pl.DataFrame:
    """(item_id, created); an item without a creation time has existed forever."""
    return items.select(
        pl.col("id").alias("item_id"), pl.col("created").fill_null(datetime(1970, 1, 1))
    )


def sprint_lookup(sprints: pl.DataFrame) -> pl.DataFrame:
    """Every way a sprint is written (its id, its name) → its source id."""
    by_id = sprints.select(pl.col("source_id").alias("token"), pl.col("source_id").alias("target"))
    by_name = sprints.select(pl.col("name").alias("token"), pl.col("source_id").alias("target"))
    # an id wins over another sprint's identical name
    return (
        pl.concat([by_id, by_name.join(by_id, on="token", how="anti")])
        .filter(pl.col("token").is_not_null() & (pl.col("token") != ""))
        .unique()
    )


def _done_at(items: pl.DataFrame, changes: pl.DataFrame, moments: pl.DataFrame) -> pl.DataFrame:
    """For (item_id, target, t): `done` (done by t) and `wont_do` (closed without doing).

    The status at t is the one the last status change before t set; without one, the
    status the first later change left; without any, the item's current category (done
    only when resolved before t).
    """
    status = changes.filter(pl.col("field") == "status").select(
        "item_id", "at", "from_value", "to_value"
    )
    timed = moments.join(status, on="item_id", how="inner")
    summary = timed.group_by("item_id", "target").agg(
        pl.col("to_value").filter(pl.col("at") < pl.col("t")).last().alias("set_before"),
        pl.col("from_value").filter(pl.col("at") >= pl.col("t")).first().alias("left_after"),
    )
    current = items.select(
        pl.col("id").alias("item_id"), "status_category", "resolution", "resolved"
    )
    named = pl.coalesce("set_before", "left_after")
    done_now = (pl.col("status_category") == "done") & (
        pl.col("resolved").is_null() | (pl.col("resolved") < pl.col("t"))
    )
    return (
        moments.join(summary, on=["item_id", "target"], how="left")
        .join(current, on="item_id", how="left")
        .select(
            "item_id",
            "target",
            pl.when(named.is_not_null())
            .then(status_category_expr(named) == "done")
            .otherwise(done_now)
            .alias("done"),
            (wont_do_expr(named) | wont_do_expr(pl.col("resolution"))).alias("wont_do"),
        )
    )


def sprint_stability(
    items: pl.DataFrame,
    changes: pl.DataFrame,
    sprints: pl.DataFrame,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    as_of: datetime,
) -> SprintStability:
    """The sprints that started in [start, end] and ended by `as_of`, measured."""
    windows = sprints.select(
        pl.col("source_id").alias("target"),
        pl.col("start").alias("t0"),
        pl.coalesce("completed", "planned_end").alias("t1"),
    ).filter(pl.col("t0").is_not_null() & pl.col("t1").is_not_null() & (pl.col("t1") <= as_of))
    if start is not None:
        windows = windows.filter(pl.col("t0") >= start)
    if end is not None:
        windows = windows.filter(pl.col("t0") <= end)
    lookup = sprint_lookup(sprints)
    events = membership_events(changes, "sprint", lookup)
    current = current_members(items, "sprints", lookup)
    states = states_at(events, current, windows, created_times(items))
    in_at_end = (
        states.filter(pl.col("at_t1"))
        .join(windows, on="target")
        .select("item_id", "target", pl.col("t1").alias("t"))
    )
    done = _done_at(items, changes, in_at_end)
    states = states.join(done, on=["item_id", "target"], how="left").with_columns(
        pl.col("done").fill_null(False), pl.col("wont_do").fill_null(False)
    )
    completed = pl.col("at_t1") & pl.col("done") & ~pl.col("wont_do")
    counts = states.group_by("target").agg(
        pl.col("at_t0").sum().alias("committed"),
        pl.col("joined").sum().alias("added"),
        ((pl.col("at_t0") | pl.col("joined")) & ~pl.col("at_t1")).sum().alias("removed"),
        completed.sum().alias("completed"),
        (completed & pl.col("at_t0")).sum().alias("completed_committed"),
        (pl.col("at_t1") & ~pl.col("done")).sum().alias("carried_over"),
    )
    committed = pl.col("committed").cast(pl.Float64)
    measured = (
        counts.filter((pl.col("committed") + pl.col("added")) > 0)
        # the sprint's own `completed` time must not collide with the completed count
        .join(
            sprints.rename({"source_id": "target", "completed": "completed_at"}),
            on="target",
            how="inner",
        )
        .with_columns(
            pl.when(committed > 0)
            .then((pl.col("added") + pl.col("removed")) / committed)
            .alias("churn"),
            pl.when(committed > 0)
            .then(pl.col("completed_committed") / committed)
            .alias("accuracy"),
            pl.coalesce("completed_at", "planned_end").alias("end"),
        )
        .rename({"target": "source_id"})
        .sort("start", "name")
    )
    per_sprint = measured.select(
        [pl.col(name).cast(dtype) for name, dtype in SPRINT_COLUMNS.items()]
    )
    origins = items.select(pl.col("id").alias("item_id"), "origin")
    added_items = (
        states.filter(pl.col("joined"))
        .join(per_sprint.select(pl.col("source_id").alias("target")), on="target", how="semi")
        .join(origins, on="item_id", how="left")
        .select("item_id", pl.col("target").alias("source_id"), "origin")
    )
    additions = (
        added_items.group_by("source_id", "origin")
        .agg(pl.len().cast(pl.UInt32).alias("count"))
        .sort("source_id", "count", "origin", descending=[False, True, False])
    )
    return SprintStability(sprints=per_sprint, additions=additions, added_items=added_items)


RELEASE_COLUMNS: dict[str, pl.DataType] = {
    "version": pl.Utf8(),
    "first_seen": pl.Datetime("us"),
    "baseline": pl.Datetime("us"),
    "initial": pl.UInt32(),
    "added": pl.UInt32(),
    "removed": pl.UInt32(),
    "moved_out": pl.UInt32(),
    "final": pl.UInt32(),
    "churn": pl.Float64(),
}


def release_stability(
    items: pl.DataFrame,
    changes: pl.DataFrame,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> pl.DataFrame:
    """One row per fix version first seen in [start, end]: RELEASE_COLUMNS, by first seen."""
    events = membership_events(changes, "fix_version")
    current = current_members(items, "fix_versions")
    created = created_times(items)
    since = first_membership(events, current, created)
    windows = (
        since.group_by("target")
        .agg(pl.col("joined_at").min().alias("first_seen"))
        .filter(pl.col("first_seen").is_not_null())
        .with_columns(
            (pl.col("first_seen") + BASELINE_DELAY).alias("t0"), pl.lit(FOREVER).alias("t1")
        )
    )
    if start is not None:
        windows = windows.filter(pl.col("first_seen") >= start)
    if end is not None:
        windows = windows.filter(pl.col("first_seen") <= end)
    states = states_at(events, current, windows.select("target", "t0", "t1"), created).join(
        since, on=["item_id", "target"], how="left"
    )
    planned = pl.col("at_t0") | pl.col("joined")
    gone = planned & ~pl.col("member_now").fill_null(False)
    counts = states.group_by("target").agg(
        pl.col("at_t0").sum().alias("initial"),
        pl.col("joined").sum().alias("added"),
        (gone & ~pl.col("moved_out").fill_null(False)).sum().alias("removed"),
        (gone & pl.col("moved_out").fill_null(False)).sum().alias("moved_out"),
        pl.col("member_now").fill_null(False).sum().alias("final"),
    )
    initial = pl.col("initial").cast(pl.Float64)
    return (
        counts.join(windows, on="target", how="inner")
        .with_columns(
            pl.when(initial > 0)
            .then((pl.col("added") + pl.col("removed") + pl.col("moved_out")) / initial)
            .alias("churn"),
            pl.col("t0").alias("baseline"),
        )
        .rename({"target": "version"})
        .sort("first_seen", "version")
        .select([pl.col(name).cast(dtype) for name, dtype in RELEASE_COLUMNS.items()])
    )
