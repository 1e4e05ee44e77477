"""The backlog health report: where the work comes from, and whether the plan holds.

`build_report` loads the frames (`frames`), runs the pure analysis (`analysis.health`)
and returns a `BacklogReport` of plain values: the page, the API, the CLI (`--json`)
and exports all render the same object. Formulas: docs/backlog-formulas.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

import polars as pl
from django.utils import timezone

from . import backing
from .analysis.discovery import DiscoveryBacking, backed_in_progress, discovery_sentence
from .analysis.health import BacklogHealth, analyze
from .analysis.period import Period, data_period
from .analysis.sprint_coverage import SprintCoverage, coverage_sentences
from .frames import load_frames, naive_utc
from .models import Framing, Origin, WorkKind
from .report_trust import DimensionScore, UnknownShare, classifier_scores, unknown_reasons

_LABELS: dict[str, dict[str, str]] = {
    "origin": dict(Origin.choices),
    "kind": dict(WorkKind.choices),
    "framing": dict(Framing.choices),
}


@dataclass(frozen=True)
class MixRow:
    value: str
    label: str
    count: int
    share: float


@dataclass(frozen=True)
class MonthInvestment:
    month: date
    total: int
    kinds: list[MixRow]


@dataclass(frozen=True)
class SprintSummary:
    name: str
    source_id: str
    start: datetime
    end: datetime
    committed: int
    added: int
    removed: int
    completed: int
    completed_committed: int
    carried_over: int
    churn: float | None  # (added + removed) / committed; None without a commitment
    accuracy: float | None  # completed of the committed / committed
    added_by_origin: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ReleaseSummary:
    version: str
    first_seen: datetime
    baseline: datetime
    initial: int
    added: int
    removed: int
    moved_out: int
    final: int
    churn: float | None  # (added + removed + moved out) / initial


@dataclass(frozen=True)
class ShelvedItem:
    item_id: int
    key: str
    project: str
    origin: str
    kind: str
    at: datetime
    from_status: str
    to_status: str
    how: str  # "back_to_todo" | "wont_do"
    days_in_progress: float | None


@dataclass(frozen=True)
class ShelvedMonth:
    month: date
    count: int
    items: int


@dataclass(frozen=True)
class ShelvedWork:
    items: list[ShelvedItem]
    per_month: list[ShelvedMonth]

    @property
    def count(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class BacklogReport:
    start: datetime | None
    end: datetime | None
    project: str | None
    as_of: datetime
    item_count: int
    open_count: int
    done_count: int
    origin_mix_open: list[MixRow]
    origin_mix_done: list[MixRow]
    framing_share: list[MixRow]  # of the open backlog
    investment_by_month: list[MonthInvestment]
    sprints: list[SprintSummary]
    releases: list[ReleaseSummary]
    shelved: ShelvedWork
    verdict: list[str]
    # in-progress items backed by discovery (linked to a solution, or their epic is)
    discovery_backing: DiscoveryBacking = DiscoveryBacking(0, 0, None)
    # "2020-04-09 to 2020-07-08, the last 90 days in this export"
    period_text: str = ""
    # "data" (the last 90 days of the data), "today" (no data to follow) or "asked"
    period_basis: str = "asked"
    # why items are unknown, per dimension with unknown items
    unknowns: list[UnknownShare] = field(default_factory=list)
    # the rules' and the learned model's macro-F1 on the corrections, per dimension
    classifier: list[DimensionScore] = field(default_factory=list)
    # which sprints the data knows, and what keeps some from being measured
    sprint_coverage: SprintCoverage | None = None
    sprint_notes: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.item_count == 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: times and dates as ISO 8601 strings, shares as fractions of 1."""
        data = _plain(asdict(self))
        data["is_empty"] = self.is_empty
        data["shelved"]["count"] = self.shelved.count
        return data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _mix_rows(frame: pl.DataFrame, dimension: str) -> list[MixRow]:
    labels = _LABELS[dimension]
    return [
        MixRow(row["value"], labels.get(row["value"], row["value"]), row["count"], row["share"])
        for row in frame.iter_rows(named=True)
    ]


def _investment(frame: pl.DataFrame) -> list[MonthInvestment]:
    months: list[MonthInvestment] = []
    for (month,), rows in frame.group_by("month", maintain_order=True):
        kinds = rows.rename({"kind": "value"})
        months.append(MonthInvestment(month, int(rows["count"].sum()), _mix_rows(kinds, "kind")))
    return months


def _sprints(health: BacklogHealth) -> list[SprintSummary]:
    additions: dict[str, dict[str, int]] = {}
    for row in health.sprints.additions.iter_rows(named=True):
        additions.setdefault(row["source_id"], {})[row["origin"]] = row["count"]
    return [
        SprintSummary(**row, added_by_origin=additions.get(row["source_id"], {}))
        for row in health.sprints.sprints.iter_rows(named=True)
    ]


def _bound(moment: date | datetime | None, *, end: bool) -> datetime | None:
    """A period bound as the frames hold times; a date covers its whole day."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.max if end else time.min)
    return naive_utc(moment)


def report_from(
    health: BacklogHealth,
    *,
    start: datetime | None,
    end: datetime | None,
    project: str | None,
    as_of: datetime,
    discovery: DiscoveryBacking | None = None,
    period: Period | None = None,
    unknowns: list[UnknownShare] | None = None,
    classifier: list[DimensionScore] | None = None,
) -> BacklogReport:
    discovery = discovery or DiscoveryBacking(0, 0, None)
    sentence = discovery_sentence(discovery)
    classifier = classifier or []
    warnings = [score.warning for score in classifier if score.warning] if health.item_count else []
    period = period or Period(
        start.date() if start else None, end.date() if end else None, basis="asked"
    )
    return BacklogReport(
        start=start,
        end=end,
        project=project,
        as_of=as_of,
        item_count=health.item_count,
        open_count=health.open_count,
        done_count=health.done_count,
        origin_mix_open=_mix_rows(health.origin_open, "origin"),
        origin_mix_done=_mix_rows(health.origin_done, "origin"),
        framing_share=_mix_rows(health.framing_open, "framing"),
        investment_by_month=_investment(health.investment),
        sprints=_sprints(health),
        releases=[ReleaseSummary(**row) for row in health.releases.iter_rows(named=True)],
        shelved=ShelvedWork(
            items=[ShelvedItem(**row) for row in health.shelved.iter_rows(named=True)],
            per_month=[ShelvedMonth(**row) for row in health.shelved_months.iter_rows(named=True)],
        ),
        verdict=[*warnings, *health.verdict, *([sentence] if sentence else [])],
        discovery_backing=discovery,
        period_text=period.text,
        period_basis=period.basis,
        unknowns=unknowns or [],
        classifier=classifier,
        sprint_coverage=health.sprint_coverage,
        sprint_notes=coverage_sentences(health.sprint_coverage) if health.item_count else [],
    )


def build_report(
    *,
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    project: str | None = None,
) -> BacklogReport:
    """The backlog health report for a period.

    Without `start` and `end`, the period is the last 90 days *of the data*: it ends on
    the day of the newest change (or created, updated or resolved time) and says so. With
    one bound only, the other is open. The open backlog is as it stands now; done work,
    sprints (by start), releases (by first appearance) and shelved work fall inside the
    period.
    """
    as_of = naive_utc(timezone.now())
    frames = load_frames(project=project or None)
    if start is None and end is None:
        period = data_period(frames.items, frames.changes, today=timezone.localdate())
        since, until = period.since, period.until
    else:
        since, until = _bound(start, end=False), _bound(end, end=True)
        period = Period(_day(start), _day(end), basis="asked")
    classifier = classifier_scores(frames.items) if frames.items.height else []
    health = analyze(
        frames.items,
        frames.changes,
        frames.sprints,
        start=since,
        end=until,
        as_of=as_of,
        doubtful=frozenset(score.dimension for score in classifier if score.doubtful),
    )
    discovery = backed_in_progress(frames.items, _backed_item_ids())
    return report_from(
        health,
        start=since,
        end=until,
        project=project or None,
        as_of=as_of,
        discovery=discovery,
        period=period,
        unknowns=unknown_reasons(frames.items),
        classifier=classifier,
    )


@dataclass(frozen=True)
class AreaMix:
    """Where one product area's (tracker project's) work comes from: its open backlog and
    the items added to its sprints after they started, in all and from sales."""

    project: str
    open_count: int
    open_sales: int
    added: int
    added_sales: int


def area_mixes(
    *, start: date | datetime | None = None, end: date | datetime | None = None
) -> dict[str, AreaMix]:
    """Per tracker project, what `build_report(project=…)` counts in `origin_mix_open` and
    in its sprints' `added_by_origin`, for the same period, in one pass over the data
    instead of one report per project. Without bounds, the period is the last 90 days of
    the whole data (not of each project's), so every area is measured over one period."""
    from .analysis import mix, stability
    from .analysis.health import FIELDS
    from .analysis.schema import CHANGE_SCHEMA, ITEM_SCHEMA, SPRINT_SCHEMA, conform

    as_of = naive_utc(timezone.now())
    frames = load_frames()
    if start is None and end is None:
        period = data_period(frames.items, frames.changes, today=timezone.localdate())
        since, until = period.since, period.until
    else:
        since, until = _bound(start, end=False), _bound(end, end=True)
    items = conform(frames.items, ITEM_SCHEMA)
    changes = conform(frames.changes, CHANGE_SCHEMA).filter(pl.col("field").is_in(FIELDS))
    sprints = conform(frames.sprints, SPRINT_SCHEMA)
    is_sales = pl.col("origin").fill_null("unknown") == Origin.SALES.value
    backlog = (
        mix.open_items(items)
        .group_by("project")
        .agg(pl.len().alias("open"), is_sales.sum().alias("open_sales"))
    )
    measured = stability.sprint_stability(
        items, changes, sprints, start=since, end=until, as_of=as_of
    )
    added = (
        measured.added_items.join(
            items.select(pl.col("id").alias("item_id"), "project"), on="item_id", how="inner"
        )
        .group_by("project")
        .agg(pl.len().alias("added"), is_sales.sum().alias("added_sales"))
    )
    found: dict[str, AreaMix] = {}
    for row in backlog.join(added, on="project", how="full", coalesce=True).iter_rows(named=True):
        if row["project"] is None:
            continue
        found[row["project"]] = AreaMix(
            project=row["project"],
            open_count=row["open"] or 0,
            open_sales=row["open_sales"] or 0,
            added=row["added"] or 0,
            added_sales=row["added_sales"] or 0,
        )
    return found


def _day(moment: date | datetime | None) -> date | None:
    if isinstance(moment, datetime):
        return moment.date()
    return moment


def _backed_item_ids() -> set[int]:
    return backing.backed_item_ids(status_category="in_progress")
