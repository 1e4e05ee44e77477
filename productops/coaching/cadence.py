"""Cadence health of 1:1 series, and how much of a manager's week their 1:1s take.

The arithmetic is pure (dates and plain facts in, no database, no clock); `load_cadence`
reads what it needs in a fixed number of queries and hands the facts to it. The page,
the API, the dashboard and the export all call `load_cadence`.

The rules, per series:

- **The cadence plans a 1:1** on the series' start date and every interval after it:
  every 7 days (weekly), every 14 days (fortnightly), or on the same day of each month
  (monthly), moved to the month's last day when the month is shorter (a series started
  on 31 January plans 28 or 29 February, then 31 March).
- **Expected** 1:1s are the planned dates from the period start (the series' start, or a
  later date you choose) whose grace has passed: a date counts once more than
  `GRACE_DAYS` days lie between it and today. A 1:1 due on Monday is not missed on
  Wednesday.
- **Held** 1:1s are those marked held, dated from the period start up to today.
- **Missed = expected − held**, never below 0. It counts, it does not match: a 1:1 held
  a few days late still counts, an extra one makes up for a missed one, and a cancelled
  1:1 is simply not held.
- **Days since** is the number of days from the last held 1:1 to today (none when no
  1:1 was ever held).
- **The next 1:1 is due** one interval after the last held 1:1, or on the start date
  when none was held yet; it is **overdue** once more than `GRACE_DAYS` days past that.
- **Lapsed**: no 1:1 held for more than two intervals (counted from the start date when
  none was ever held). Lapsed wins over overdue. Series that were ended (not active)
  are neither: their status is "ended".

Per manager (anyone who leads an active series or has active direct reports):

- **Hours a week** = the sum over their active series (with an active report) of
  duration × 1:1s a week: weekly 1, fortnightly 1/2, monthly 12/52.
- **Budget** = the org audit's `one_on_one_share × week_hours` (`AuditThresholds`).
- **Too many reports** uses the audit's own test (the `one_on_one_load` finding): a
  weekly `one_on_one_minutes` 1:1 with each direct report must fit the budget, so
  `fits` is the largest number of direct reports for which it does.
- **Reports without a series**: active direct reports with no active series led by
  this manager (a coaching series with someone else does not replace it).
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Count, F, Max, Min, OuterRef, Q, QuerySet, Subquery

from productops.coaching.models import Cadence, OneOnOne, OneOnOneSeries
from productops.org.audit import AuditThresholds
from productops.org.models import Person

GRACE_DAYS = 3
LAPSED_AFTER_INTERVALS = 2
INTERVAL_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14}
MEETINGS_PER_WEEK = {Cadence.WEEKLY: 1.0, Cadence.FORTNIGHTLY: 0.5, Cadence.MONTHLY: 12 / 52}


class Health(StrEnum):
    """A series' status, in listing order: the ones needing attention first."""

    LAPSED = "lapsed"
    OVERDUE = "overdue"
    HEALTHY = "healthy"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return _HEALTH_LABELS[self]


_HEALTH_LABELS = {
    Health.LAPSED: "Lapsed",
    Health.OVERDUE: "Overdue",
    Health.HEALTHY: "On cadence",
    Health.ENDED: "Ended",
}
_HEALTH_ORDER = {health: index for index, health in enumerate(Health)}


# -- dates on a cadence -------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later, moved to the month's last day when it has no such day."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def planned_date(start: date, cadence: str, index: int) -> date:
    """The `index`-th date the cadence plans (0 is the start date itself)."""
    if Cadence(cadence) is Cadence.MONTHLY:
        return add_months(start, index)
    return start + timedelta(days=INTERVAL_DAYS[Cadence(cadence)] * index)


def _last_index_on_or_before(start: date, cadence: str, day: date) -> int:
    """The largest index whose planned date is on or before `day` (-1 when none)."""
    if day < start:
        return -1
    if Cadence(cadence) is Cadence.MONTHLY:
        index = (day.year - start.year) * 12 + day.month - start.month
        return index if planned_date(start, cadence, index) <= day else index - 1
    return (day - start).days // INTERVAL_DAYS[Cadence(cadence)]


def expected_meetings(
    start: date,
    cadence: str,
    *,
    today: date,
    since: date | None = None,
    grace_days: int = GRACE_DAYS,
) -> int:
    """How many planned 1:1s from the period start are past their grace by today."""
    last_due = today - timedelta(days=grace_days + 1)
    last = _last_index_on_or_before(start, cadence, last_due)
    first = 0
    if since is not None and since > start:
        first = _last_index_on_or_before(start, cadence, since - timedelta(days=1)) + 1
    return max(last - first + 1, 0)


def missed_meetings(expected: int, held: int) -> int:
    return max(expected - held, 0)


# -- one series ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesFact:
    """What the arithmetic needs of one series, detached from the ORM."""

    id: int
    lead_id: int
    lead_name: str
    report_id: int
    report_name: str
    kind: str
    cadence: str
    duration_minutes: int
    start_date: date
    active: bool
    last_held: date | None = None
    held: int = 0  # held 1:1s in the period, up to today
    next_planned: date | None = None  # the earliest planned 1:1 from today on
    next_planned_id: int | None = None


@dataclass(frozen=True)
class SeriesHealth:
    fact: SeriesFact
    period_start: date
    days_since_last: int | None
    expected: int
    missed: int
    next_due: date
    overdue_days: int  # days past the next due date (0 when not past it)
    health: Health

    @property
    def lapsed(self) -> bool:
        return self.health is Health.LAPSED

    @property
    def overdue(self) -> bool:
        """Whether the next 1:1 is past its grace: lapsed series are overdue too."""
        return self.health in (Health.LAPSED, Health.OVERDUE)

    @property
    def meetings_per_week(self) -> float:
        return MEETINGS_PER_WEEK[Cadence(self.fact.cadence)]

    def as_dict(self) -> dict[str, Any]:
        fact = self.fact
        return {
            "series_id": fact.id,
            "lead": {"id": fact.lead_id, "name": fact.lead_name},
            "report": {"id": fact.report_id, "name": fact.report_name},
            "kind": fact.kind,
            "cadence": fact.cadence,
            "duration_minutes": fact.duration_minutes,
            "start_date": fact.start_date,
            "active": fact.active,
            "period_start": self.period_start,
            "last_held": fact.last_held,
            "days_since_last": self.days_since_last,
            "expected": self.expected,
            "held": fact.held,
            "missed": self.missed,
            "next_due": self.next_due,
            "next_planned": fact.next_planned,
            "overdue": self.overdue,
            "lapsed": self.lapsed,
            "health": str(self.health),
        }


def assess_series(
    fact: SeriesFact, *, today: date, since: date | None = None, grace_days: int = GRACE_DAYS
) -> SeriesHealth:
    """The health of one series on `today`; `fact.held` must count the same period."""
    period_start = max(fact.start_date, since) if since else fact.start_date
    expected = expected_meetings(
        fact.start_date, fact.cadence, today=today, since=since, grace_days=grace_days
    )
    reference = fact.last_held or fact.start_date
    next_due = planned_date(reference, fact.cadence, 1) if fact.last_held else fact.start_date
    past_due = (today - next_due).days
    if not fact.active:
        health = Health.ENDED
    elif today > planned_date(reference, fact.cadence, LAPSED_AFTER_INTERVALS):
        health = Health.LAPSED
    elif past_due > grace_days:
        health = Health.OVERDUE
    else:
        health = Health.HEALTHY
    return SeriesHealth(
        fact=fact,
        period_start=period_start,
        days_since_last=(today - fact.last_held).days if fact.last_held else None,
        expected=expected,
        missed=missed_meetings(expected, fact.held),
        next_due=next_due,
        overdue_days=max(past_due, 0),
        health=health,
    )


def attention_order(health: SeriesHealth) -> tuple[int, int, str, str]:
    """Lapsed, then overdue (longest first), then on cadence, then ended; by names."""
    return (
        _HEALTH_ORDER[health.health],
        -health.overdue_days,
        health.fact.lead_name,
        health.fact.report_name,
    )


def health_counts(rows: Iterable[SeriesHealth]) -> dict[str, int]:
    counted = Counter(str(row.health) for row in rows)
    return {str(health): counted.get(str(health), 0) for health in Health}


# -- one manager --------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    manager_id: int | None


@dataclass(frozen=True)
class LoadRow:
    """An active series with an active report, as the load arithmetic needs it."""

    lead_id: int
    report_id: int
    cadence: str
    duration_minutes: int


@dataclass(frozen=True)
class ManagerLoad:
    manager_id: int
    name: str
    series_count: int
    hours_per_week: float
    budget_hours: float
    direct_reports: int
    fits: int | None  # direct reports a weekly audit-length 1:1 fits (None: no limit)
    reports_without_series: list[PersonRow] = field(default_factory=list)

    @property
    def over_budget(self) -> bool:
        return self.hours_per_week > self.budget_hours

    @property
    def too_many_reports(self) -> bool:
        return self.fits is not None and self.direct_reports > self.fits

    @property
    def share_of_budget(self) -> float:
        """Hours as a share of the budget: 1.0 is a full budget, above 1 is over it."""
        if self.budget_hours > 0:
            return self.hours_per_week / self.budget_hours
        return 0.0 if self.hours_per_week == 0 else float("inf")

    def as_dict(self) -> dict[str, Any]:
        return {
            "manager": {"id": self.manager_id, "name": self.name},
            "series_count": self.series_count,
            "hours_per_week": round(self.hours_per_week, 2),
            "budget_hours": round(self.budget_hours, 2),
            "over_budget": self.over_budget,
            "direct_reports": self.direct_reports,
            "fits": self.fits,
            "too_many_reports": self.too_many_reports,
            "reports_without_series": [
                {"id": person.id, "name": person.name} for person in self.reports_without_series
            ],
        }


def weekly_hours(rows: Iterable[LoadRow]) -> float:
    return sum(row.duration_minutes / 60 * MEETINGS_PER_WEEK[Cadence(row.cadence)] for row in rows)


def reports_that_fit(thresholds: AuditThresholds) -> int | None:
    """The most direct reports the audit's `one_on_one_load` rule lets a manager have."""
    if thresholds.one_on_one_minutes == 0:
        return None
    minutes, budget = thresholds.one_on_one_minutes, thresholds.one_on_one_budget_hours

    def fit(reports: int) -> bool:  # the audit's test, word for word
        return reports * minutes / 60 <= budget

    fits = int(budget * 60 // minutes)
    # Float rounding can put the quotient a hair off a whole number: settle on the test.
    while fit(fits + 1):
        fits += 1
    while fits > 0 and not fit(fits):
        fits -= 1
    return fits


def manager_loads(
    people: Iterable[PersonRow],
    series: Iterable[LoadRow],
    thresholds: AuditThresholds,
    *,
    scope: Collection[int] | None = None,
) -> list[ManagerLoad]:
    """One row per manager in scope (None: everyone) who leads a series or has reports.

    `people` are the active people (at least the managers in scope and their direct
    reports); `series` the active series with an active report. Sorted by share of the
    budget, heaviest first, then by name.
    """
    people = list(people)
    names = {person.id: person.name for person in people}
    reports: dict[int, list[PersonRow]] = defaultdict(list)
    for person in people:
        if person.manager_id is not None:
            reports[person.manager_id].append(person)
    led: dict[int, list[LoadRow]] = defaultdict(list)
    for row in series:
        led[row.lead_id].append(row)
    fits = reports_that_fit(thresholds)
    loads = []
    for manager_id in set(led) | set(reports):
        if manager_id not in names or (scope is not None and manager_id not in scope):
            continue
        with_series = {row.report_id for row in led[manager_id]}
        loads.append(
            ManagerLoad(
                manager_id=manager_id,
                name=names[manager_id],
                series_count=len(led[manager_id]),
                hours_per_week=weekly_hours(led[manager_id]),
                budget_hours=thresholds.one_on_one_budget_hours,
                direct_reports=len(reports[manager_id]),
                fits=fits,
                reports_without_series=sorted(
                    (p for p in reports[manager_id] if p.id not in with_series),
                    key=lambda p: (p.name, p.id),
                ),
            )
        )
    loads.sort(key=lambda load: (-load.share_of_budget, load.name, load.manager_id))
    return loads


# -- the loader ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CadenceReport:
    today: date
    since: date | None
    series: list[SeriesHealth]
    loads: list[ManagerLoad]
    thresholds: AuditThresholds

    @property
    def counts(self) -> dict[str, int]:
        return health_counts(self.series)

    def health_of(self, series_id: int) -> SeriesHealth | None:
        return next((row for row in self.series if row.fact.id == series_id), None)


def load_cadence(
    series: QuerySet[OneOnOneSeries],
    *,
    today: date,
    since: date | None = None,
    load_scope: Collection[int] | None = (),
    thresholds: AuditThresholds | None = None,
    grace_days: int = GRACE_DAYS,
) -> CadenceReport:
    """Health of the given series, and the 1:1 load of the managers in `load_scope`.

    `load_scope` is a set of person ids, None for every manager, or empty (the default)
    to skip the load. One query for the series, two more for the load, however many
    series and people there are. A manager's load counts every active series they lead,
    not only the ones in `series`: the hours are theirs whoever may read the series.
    """
    thresholds = thresholds or AuditThresholds.from_settings()
    facts = _series_facts(series, today=today, since=since)
    rows = sorted(
        (assess_series(fact, today=today, since=since, grace_days=grace_days) for fact in facts),
        key=attention_order,
    )
    loads: list[ManagerLoad] = []
    if load_scope is None or load_scope:
        loads = _load_manager_loads(load_scope, thresholds)
    return CadenceReport(today=today, since=since, series=rows, loads=loads, thresholds=thresholds)


def _series_facts(
    series: QuerySet[OneOnOneSeries], *, today: date, since: date | None
) -> list[SeriesFact]:
    held = Q(meetings__status=OneOnOne.Status.HELD, meetings__date__lte=today)
    in_period = held & Q(meetings__date__gte=F("start_date"))
    if since is not None:
        in_period &= Q(meetings__date__gte=since)
    upcoming = OneOnOne.objects.filter(
        series=OuterRef("pk"), status=OneOnOne.Status.PLANNED, date__gte=today
    ).order_by("date", "pk")
    annotated = series.annotate(
        last_held=Max("meetings__date", filter=held),
        held_in_period=Count("meetings", filter=in_period),
        next_planned=Min(
            "meetings__date",
            filter=Q(meetings__status=OneOnOne.Status.PLANNED, meetings__date__gte=today),
        ),
        next_planned_id=Subquery(upcoming.values("pk")[:1]),
    ).values(
        "pk",
        "lead_id",
        "lead__name",
        "report_id",
        "report__name",
        "kind",
        "cadence",
        "duration_minutes",
        "start_date",
        "active",
        "last_held",
        "held_in_period",
        "next_planned",
        "next_planned_id",
    )
    return [
        SeriesFact(
            id=row["pk"],
            lead_id=row["lead_id"],
            lead_name=row["lead__name"],
            report_id=row["report_id"],
            report_name=row["report__name"],
            kind=row["kind"],
            cadence=row["cadence"],
            duration_minutes=row["duration_minutes"],
            start_date=row["start_date"],
            active=row["active"],
            last_held=row["last_held"],
            held=row["held_in_period"],
            next_planned=row["next_planned"],
            next_planned_id=row["next_planned_id"],
        )
        for row in annotated.order_by()
    ]


def _load_manager_loads(
    scope: Collection[int] | None, thresholds: AuditThresholds
) -> list[ManagerLoad]:
    people = Person.objects.filter(active=True)
    series = OneOnOneSeries.objects.filter(active=True, lead__active=True, report__active=True)
    if scope is not None:
        people = people.filter(Q(pk__in=scope) | Q(manager_id__in=scope))
        series = series.filter(lead_id__in=scope)
    return manager_loads(
        [PersonRow(*row) for row in people.order_by().values_list("pk", "name", "manager_id")],
        [
            LoadRow(*row)
            for row in series.order_by().values_list(
                "lead_id", "report_id", "cadence", "duration_minutes"
            )
        ],
        thresholds,
        scope=scope,
    )


def next_one_on_one_date(series: OneOnOneSeries, today: date) -> date:
    """The default date of a series' next 1:1: one interval after its latest 1:1 that was
    not cancelled, never before today (the series' start while it has none)."""
    latest = (
        series.meetings.exclude(status=OneOnOne.Status.CANCELLED)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    if latest is None:
        return max(series.start_date, today)
    return max(latest + series.interval, today)
