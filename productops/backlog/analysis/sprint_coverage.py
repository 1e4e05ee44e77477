"""Which sprints the data knows, and why some of them cannot be measured.

A CSV export names each item's sprints but carries no sprint dates; an export without a
changelog has no sprint changes, so nothing added or removed mid-sprint can be seen.
`sprint_coverage` counts the sprints seen (sprint rows, and names in the items' sprint
lists that match no row), those with dates, those that started in the period, those
still running, and whether the changelog records sprint changes; `coverage_sentences`
says what that means for churn and accuracy. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from .membership import current_members
from .stability import sprint_lookup

NAMES_SHOWN = 5


@dataclass(frozen=True)
class SprintCoverage:
    seen: int  # sprints known at all
    dated: int  # with a start and an end (completed or planned)
    undated: int  # known by name only
    in_period: int  # dated and started in the period
    running: int  # of those, not ended yet
    measured: int  # sprints the report measures
    sprint_changes: int  # sprint changes in the changelog
    undated_names: list[str] = field(default_factory=list)  # the first few


def sprint_coverage(
    items: pl.DataFrame,
    changes: pl.DataFrame,
    sprints: pl.DataFrame,
    *,
    measured: int,
    start: datetime | None,
    end: datetime | None,
    as_of: datetime,
) -> SprintCoverage:
    lookup = sprint_lookup(sprints)
    named = (
        items.select(pl.col("sprints").explode().str.strip_chars().alias("token"))
        .filter(pl.col("token").is_not_null() & (pl.col("token") != ""))
        .unique()
    )
    unmatched = named.join(lookup, on="token", how="anti")["token"].sort().to_list()
    # the sprint rows these items were ever in (all sprints are loaded, whatever the project)
    referenced = pl.concat(
        [
            current_members(items, "sprints", lookup).select("target"),
            _changed_sprints(changes, lookup),
        ]
    ).unique()
    sprints = sprints.join(referenced, left_on="source_id", right_on="target", how="semi")
    ends = pl.coalesce("completed", "planned_end")
    has_dates = pl.col("start").is_not_null() & ends.is_not_null()
    dated = sprints.filter(has_dates)
    undated_rows = sprints.filter(~has_dates)
    started = dated
    if start is not None:
        started = started.filter(pl.col("start") >= start)
    if end is not None:
        started = started.filter(pl.col("start") <= end)
    running = started.filter(ends > as_of).height
    undated_names = sorted(
        {str(n) for n in undated_rows["name"].to_list() if n} | set(unmatched),
        key=lambda name: (len(name), name),
    )
    return SprintCoverage(
        seen=sprints.height + len(unmatched),
        dated=dated.height,
        undated=undated_rows.height + len(unmatched),
        in_period=started.height,
        running=running,
        measured=measured,
        sprint_changes=changes.filter(pl.col("field") == "sprint").height,
        undated_names=undated_names[:NAMES_SHOWN],
    )


def _changed_sprints(changes: pl.DataFrame, lookup: pl.DataFrame) -> pl.DataFrame:
    """(target) for every sprint named before or after a sprint change."""
    values = changes.filter(pl.col("field") == "sprint").select(
        pl.concat_list(
            pl.col("from_value").fill_null("").str.split(","),
            pl.col("to_value").fill_null("").str.split(","),
        ).alias("token")
    )
    tokens = values.explode("token").select(pl.col("token").str.strip_chars()).unique()
    return tokens.join(lookup, on="token", how="inner").select("target")


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def coverage_sentences(coverage: SprintCoverage) -> list[str]:
    """What the report can and cannot say about sprints, and what would let it say more."""
    sentences = []
    if coverage.undated:
        names = ", ".join(coverage.undated_names)
        more = "…" if coverage.undated > len(coverage.undated_names) else ""
        sentences.append(
            f"{_plural(coverage.undated, 'sprint')} seen without dates ({names}{more}): "
            "churn and planning accuracy need each sprint's start and end. Import an export "
            "that carries sprint dates (Jira JSON, the board API) to measure them."
        )
    if coverage.seen == 0:
        sentences.append(
            "No sprints in the data: import an export with sprint fields to see whether "
            "sprint plans hold."
        )
    elif coverage.dated and coverage.in_period == 0:
        sentences.append(
            f"None of the {_plural(coverage.dated, 'sprint')} with dates started in this "
            "period: choose a period that covers them."
        )
    if coverage.running:
        verb = "is" if coverage.running == 1 else "are"
        sentences.append(
            f"{_plural(coverage.running, 'sprint')} of this period {verb} still running: "
            "measured once ended."
        )
    if coverage.measured and coverage.sprint_changes == 0:
        sentences.append(
            "The changelog has no sprint changes: items added to or removed from a sprint "
            "after its start cannot be seen, so churn reads 0 and the sprints are measured "
            "by the items they hold now. Import an export with its changelog."
        )
    return sentences
