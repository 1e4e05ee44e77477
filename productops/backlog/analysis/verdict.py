"""The plain-language verdict: sentences naming what the numbers show.

Each sentence needs enough data behind it (the thresholds below, documented in
docs/backlog-formulas.md); with too little data the sentence is left out, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

import polars as pl

from .mix import share_of

STAKEHOLDERS = frozenset({"sales", "marketing", "support"})
QUALITY_KINDS = frozenset({"quality"})

MIN_ITEMS = 10  # open or done items before a mix is stated
MOSTLY_STAKEHOLDERS = 0.5  # stakeholder share of open items that "dominates" the backlog
UNKNOWN_ORIGIN = 0.3  # unknown-origin share of open items that makes the mix doubtful
MIN_ADDITIONS = 5  # mid-sprint additions before their origin is stated
SMALL_SAMPLE = 30  # items below which a stated share is called "a small sample"
FEW_SPRINTS = 3  # sprints (or releases) below which an average is "a small sample"
CHURNING = 0.25  # average sprint churn at which plans "do not hold"
RECENT = timedelta(days=90)  # "the last 3 months" for shelved work
EMPTY = "There are no tracker items yet: import a tracker export to see where the work comes from."


@dataclass(frozen=True)
class Findings:
    item_count: int
    origin_open: pl.DataFrame  # mix (value, count, share)
    framing_open: pl.DataFrame
    origin_done: pl.DataFrame
    kind_done: pl.DataFrame
    sprints: pl.DataFrame  # stability.SPRINT_COLUMNS
    additions: pl.DataFrame  # (source_id, origin, count)
    releases: pl.DataFrame  # stability.RELEASE_COLUMNS
    shelved: pl.DataFrame  # shelved.SHELVED_COLUMNS, over the whole history
    status_changes_recent: int  # status changes in the recent window
    period_end: datetime
    # dimensions whose labels are not worth stating (the rules score near chance there)
    doubtful: frozenset[str] = field(default_factory=frozenset)


def percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _count(mixed: pl.DataFrame) -> int:
    return int(mixed["count"].sum()) if not mixed.is_empty() else 0


def sample(
    count: int, one: str, many: str | None = None, *, small: int = SMALL_SAMPLE, then: str = ""
) -> str:
    """ "13 open items: a small sample" below `small`, else "130 open items"; `then` goes
    right after the noun ("5 status changes in that time: a small sample")."""
    text = f"{count} {one if count == 1 else (many or one + 's')}{then}"
    return f"{text}: a small sample" if count < small else text


def _open_sentences(found: Findings) -> list[str]:
    count = _count(found.origin_open)
    if count < MIN_ITEMS:
        return []
    stakeholders = share_of(found.origin_open, STAKEHOLDERS) or 0.0
    problem = share_of(found.framing_open, {"problem"}) or 0.0
    customer = share_of(found.origin_open, {"customer"}) or 0.0
    unknown = share_of(found.origin_open, {"unknown"}) or 0.0
    of = f"({sample(count, 'open item')})"
    origin, framing = "origin" not in found.doubtful, "framing" not in found.doubtful
    sentences = []
    if origin and framing:
        sentences.append(
            f"{percent(stakeholders)} of open items come from sales, marketing or support; "
            f"{percent(problem)} state a customer problem {of}."
        )
    elif origin:
        sentences.append(
            f"{percent(stakeholders)} of open items come from sales, marketing or support {of}."
        )
    elif framing:
        sentences.append(f"{percent(problem)} of open items state a customer problem {of}.")
    if origin and stakeholders >= MOSTLY_STAKEHOLDERS:
        sentences.append(
            "Most of the open backlog answers requests from sales, marketing or support; "
            f"customer needs account for {percent(customer)}."
        )
    if origin and unknown >= UNKNOWN_ORIGIN:
        sentences.append(
            f"The origin of {percent(unknown)} of open items is unknown: correct a sample "
            "of them so the mix can be trusted."
        )
    return sentences


def _done_sentences(found: Findings) -> list[str]:
    count = _count(found.origin_done)
    if count < MIN_ITEMS:
        return []
    stakeholders = share_of(found.origin_done, STAKEHOLDERS) or 0.0
    customer = share_of(found.origin_done, {"customer"}) or 0.0
    quality = share_of(found.kind_done, QUALITY_KINDS) or 0.0
    new_value = share_of(found.kind_done, {"new_value"}) or 0.0
    of = f"({sample(count, 'item')} done)"
    sentences = []
    if "origin" not in found.doubtful:
        sentences.append(
            f"Of the work done in the period, {percent(stakeholders)} came from sales, "
            f"marketing or support and {percent(customer)} from customer needs {of}."
        )
    if "kind" not in found.doubtful:
        sentences.append(
            f"{percent(quality)} of the work done in the period was quality work (bugs, "
            f"incidents) and {percent(new_value)} new value {of}."
        )
    return sentences


def _sprint_sentences(found: Findings) -> list[str]:
    measured = found.sprints.filter(pl.col("committed") > 0)
    if measured.is_empty():
        return []
    # weighted by committed scope, so a sprint of one item cannot swing the average
    committed = int(measured["committed"].sum())
    churn = int((measured["added"] + measured["removed"]).sum()) / committed
    accuracy = int(measured["completed_committed"].sum()) / committed
    count = measured.height
    lead = "Sprint plans do not hold: s" if churn >= CHURNING else "S"
    sentences = [
        f"{lead}prints completed {percent(accuracy)} of their committed scope on average, "
        f"and their scope churned by {percent(churn)} (items added or removed after the start; "
        f"{sample(count, 'sprint', small=FEW_SPRINTS, then=' measured')})."
    ]
    additions = found.additions.join(measured.select("source_id"), on="source_id", how="semi")
    total = int(additions["count"].sum()) if not additions.is_empty() else 0
    if total >= MIN_ADDITIONS and "origin" not in found.doubtful:
        by_origin = additions.group_by("origin").agg(pl.col("count").sum())
        sales = int(by_origin.filter(pl.col("origin") == "sales")["count"].sum())
        others = int(by_origin.filter(pl.col("origin").is_in(list(STAKEHOLDERS)))["count"].sum())
        sentences.append(
            f"{percent(sales / total)} of mid-sprint additions came from sales "
            f"({percent(others / total)} from sales, marketing or support; "
            f"{sample(total, 'mid-sprint addition')})."
        )
    return sentences


def _release_sentences(found: Findings) -> list[str]:
    measured = found.releases.filter(pl.col("initial") > 0)
    if measured.is_empty():
        return []
    releases = measured.height
    initial, added = int(measured["initial"].sum()), int(measured["added"].sum())
    dropped = int(measured["removed"].sum()) + int(measured["moved_out"].sum())
    if added <= initial:
        churn = (added + dropped) / initial
        return [
            f"Releases changed by {percent(churn)} of their initial scope on average (items "
            "added, removed or moved to another release; "
            f"{sample(releases, 'release', small=FEW_SPRINTS)})."
        ]
    # Most of the scope came after the plan: a churn of several hundred percent says
    # less than what actually happened, so say that, and how much planned work was dropped.
    sentences = [
        "Releases are filled as work goes rather than planned ahead: on average a release "
        f"started with {initial / releases:.1f} planned items and took in "
        f"{added / releases:.1f} more later ({sample(releases, 'release', small=FEW_SPRINTS)})."
    ]
    if dropped:
        sentences.append(
            f"{percent(dropped / (initial + added))} of the items given a release were removed "
            "from it or moved to another release."
        )
    return sentences


def _shelved_sentences(found: Findings) -> list[str]:
    since = found.period_end - RECENT
    recent = found.shelved.filter((pl.col("at") > since) & (pl.col("at") <= found.period_end))
    if recent.is_empty():
        if found.status_changes_recent == 0:
            return []
        changes = sample(found.status_changes_recent, "status change", then=" in that time")
        return [f"No started work was shelved in the last 3 months ({changes})."]
    items = recent["item_id"].n_unique()
    median = float(cast(float, recent["days_in_progress"].median()))
    verb = "item was" if items == 1 else "items were"
    return [
        f"{items} {verb} shelved after work had started in the last 3 months, "
        f"after a median of {median:g} days in progress."
    ]


def verdict(found: Findings) -> list[str]:
    if found.item_count == 0:
        return [EMPTY]
    return [
        *_open_sentences(found),
        *_done_sentences(found),
        *_sprint_sentences(found),
        *_release_sentences(found),
        *_shelved_sentences(found),
    ]
