"""How much of the work in progress is backed by discovery.

An item is backed by discovery when it, or its epic, is linked to a solution of an
opportunity solution tree (which items are is `discovery.backing`'s answer, handed in
here as a set of item ids). In-progress work is every item whose status category is
"in_progress" now. Pure: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class DiscoveryBacking:
    in_progress: int  # items in progress
    backed: int  # of them, backed by discovery
    share: float | None  # backed / in_progress; None without work in progress


def backed_in_progress(items: pl.DataFrame, backed_ids: Collection[int]) -> DiscoveryBacking:
    """The share of in-progress items whose id is in `backed_ids`."""
    in_progress = items.filter(pl.col("status_category") == "in_progress")
    total = in_progress.height
    backed = in_progress.filter(pl.col("id").is_in(list(backed_ids))).height if total else 0
    return DiscoveryBacking(total, backed, backed / total if total else None)


def discovery_sentence(backing: DiscoveryBacking) -> str | None:
    """The verdict's sentence, only when there is work in progress."""
    if not backing.in_progress or backing.share is None:
        return None
    return (
        f"{backing.share:.0%} of the work in progress is backed by discovery (linked to a "
        f"solution of an opportunity solution tree; {backing.in_progress} items in progress)."
    )
