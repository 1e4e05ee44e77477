"""The report's period: the dates asked for, or the last 90 days *of the data*.

An export from last year has nothing in "the last 90 days" counted back from today, so
without explicit dates the period ends on the newest day the data knows (the newest
change, created, updated or resolved time) and starts 90 days before. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import polars as pl

DEFAULT_DAYS = 90


@dataclass(frozen=True)
class Period:
    start: date | None
    end: date | None
    # "data": the last `days` days of the data; "today": the last `days` days up to
    # today (no data to follow); "asked": the dates given
    basis: str = "asked"
    days: int | None = None

    @property
    def since(self) -> datetime | None:
        """The first moment of the period, as the frames hold times (naive UTC)."""
        return None if self.start is None else datetime.combine(self.start, time.min)

    @property
    def until(self) -> datetime | None:
        """The last moment of the period (its end covers that whole day)."""
        return None if self.end is None else datetime.combine(self.end, time.max)

    @property
    def text(self) -> str:
        if self.start is None and self.end is None:
            return "all the data"
        if self.start is None:
            span = f"up to {self.end}"
        elif self.end is None:
            span = f"from {self.start}"
        else:
            span = f"{self.start} to {self.end}"
        if self.basis == "data":
            return f"{span}, the last {self.days} days in this export"
        if self.basis == "today":
            return f"{span}, the last {self.days} days"
        return span


def newest_moment(items: pl.DataFrame, changes: pl.DataFrame) -> datetime | None:
    """The newest time the data holds: a change, or an item's created, updated or resolved
    time (the only times an export without a changelog has)."""
    candidates: list[datetime] = []
    if "at" in changes.columns and changes.height:
        candidates.append(changes["at"].max())  # type: ignore[arg-type]
    for column in ("created", "updated", "resolved"):
        if column in items.columns and items.height:
            candidates.append(items[column].max())  # type: ignore[arg-type]
    found = [moment for moment in candidates if isinstance(moment, datetime)]
    return max(found) if found else None


def data_period(
    items: pl.DataFrame, changes: pl.DataFrame, *, today: date, days: int = DEFAULT_DAYS
) -> Period:
    """The last `days` days of the data, ending on the day of its newest moment; the last
    `days` days up to `today` when the data has no time at all."""
    newest = newest_moment(items, changes)
    if newest is None:
        return Period(today - timedelta(days=days), today, basis="today", days=days)
    end = newest.date()
    return Period(end - timedelta(days=days), end, basis="data", days=days)
