"""The whole backlog health analysis over three frames, in one call.

`analyze` is what the report, the CLI and the benchmark run: every piece is a pure
Polars function from the modules beside it (`mix`, `stability`, `shelved`, `verdict`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import polars as pl

from . import mix, shelved, stability
from .schema import CHANGE_SCHEMA, ITEM_SCHEMA, SPRINT_SCHEMA, conform
from .sprint_coverage import SprintCoverage, sprint_coverage
from .verdict import RECENT, Findings, verdict

# The change fields the analysis reads; loaders may skip every other field.
FIELDS = ("status", "sprint", "fix_version")


@dataclass(frozen=True)
class BacklogHealth:
    item_count: int
    open_count: int
    done_count: int
    origin_open: pl.DataFrame
    origin_done: pl.DataFrame
    framing_open: pl.DataFrame
    kind_done: pl.DataFrame
    investment: pl.DataFrame
    sprints: stability.SprintStability
    releases: pl.DataFrame
    shelved: pl.DataFrame  # in the period
    shelved_months: pl.DataFrame
    verdict: list[str]
    sprint_coverage: SprintCoverage


def analyze(
    items: pl.DataFrame,
    changes: pl.DataFrame,
    sprints: pl.DataFrame,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    as_of: datetime,
    doubtful: frozenset[str] = frozenset(),
) -> BacklogHealth:
    """Everything the report shows, for the period [start, end] (open bounds when None).

    The open backlog is as of now; done work, sprints, releases and shelvings fall in the
    period; `as_of` is the present (a sprint counts once it has ended by then).
    `doubtful` names the dimensions whose labels the verdict must not state as findings.
    """
    items = conform(items, ITEM_SCHEMA)
    changes = conform(changes, CHANGE_SCHEMA).filter(pl.col("field").is_in(FIELDS))
    sprints = conform(sprints, SPRINT_SCHEMA)
    period_end = end or as_of

    backlog = mix.open_items(items)
    done = mix.done_items(items, start=start, end=end)
    sprint_stability = stability.sprint_stability(
        items, changes, sprints, start=start, end=end, as_of=as_of
    )
    releases = stability.release_stability(items, changes, start=start, end=end)
    every_shelving = shelved.shelved_in_progress(items, changes, end=period_end)
    in_period = every_shelving if start is None else every_shelving.filter(pl.col("at") >= start)
    recent_status = changes.filter(
        (pl.col("field") == "status")
        & (pl.col("at") > period_end - RECENT)
        & (pl.col("at") <= period_end)
    ).height

    origin_open = mix.mix(backlog, "origin")
    framing_open = mix.mix(backlog, "framing")
    origin_done = mix.mix(done, "origin")
    kind_done = mix.mix(done, "kind")
    findings = Findings(
        item_count=items.height,
        origin_open=origin_open,
        framing_open=framing_open,
        origin_done=origin_done,
        kind_done=kind_done,
        sprints=sprint_stability.sprints,
        additions=sprint_stability.additions,
        releases=releases,
        shelved=every_shelving,
        status_changes_recent=recent_status,
        period_end=period_end,
        doubtful=doubtful,
    )
    return BacklogHealth(
        item_count=items.height,
        open_count=backlog.height,
        done_count=done.height,
        origin_open=origin_open,
        origin_done=origin_done,
        framing_open=framing_open,
        kind_done=kind_done,
        investment=mix.investment_by_month(done),
        sprints=sprint_stability,
        releases=releases,
        shelved=in_period,
        shelved_months=shelved.shelved_per_month(in_period),
        verdict=verdict(findings),
        sprint_coverage=sprint_coverage(
            items,
            changes,
            sprints,
            measured=sprint_stability.sprints.height,
            start=start,
            end=end,
            as_of=as_of,
        ),
    )
