"""How much of the work in progress and the work done traces to an objective.

Over a period [start, end] (by default the current calendar quarter):

- work in progress: items whose status category is "in_progress" now;
- work done: items whose status category is "done", resolved within the period (the end
  day included), with a resolution that is not a won't-do one (`backlog.analysis.statuses`,
  the same definition as the backlog diagnostics).

An item traces to an objective whose period overlaps the chosen one when:

- it is mapped to the objective by hand (`ObjectiveLink`), or its epic is: its
  `epic_key` is the key of an item of the same source mapped by hand;
- a label rule of the objective names one of its labels (ignoring case);
- an epic rule of the objective names its `epic_key`, or its own key (the epic itself);
- it traces to a product objective serving the objective (a company objective of the
  chosen period), in the same ways.

Four queries, whatever the number of items: the objectives, their hand links, their
rules, and one `values_list` of the items; the rest is sets in memory.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from productops.backlog.analysis.statuses import is_wont_do
from productops.backlog.models import Item, StatusCategory
from productops.strategy.models import AlignmentRule, Objective, ObjectiveLink

HAND, LABEL, EPIC = "hand", "label", "epic"
WAYS = {HAND: "by hand", LABEL: "by a label rule", EPIC: "by an epic rule"}
IN_PROGRESS, DONE = "in_progress", "done"


# -- the period ---------------------------------------------------------------------------


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar quarter holding `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    if first_month == 10:
        end = dt.date(day.year, 12, 31)
    else:
        end = dt.date(day.year, first_month + 3, 1) - dt.timedelta(days=1)
    return start, end


def _parse_day(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"The {what} “{text}” is not a date: write it as YYYY-MM-DD, e.g. 2026-01-31."
        ) from None


def period_from(
    start: str | dt.date | None, end: str | dt.date | None, *, today: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The period asked for; the current quarter for a missing bound.

    Raises ValidationError with a sentence for a text that is not a date, or a start after
    the end.
    """
    default_start, default_end = quarter_of(today or timezone.localdate())
    if isinstance(start, str):
        start = _parse_day(start, "start") if start.strip() else None
    if isinstance(end, str):
        end = _parse_day(end, "end") if end.strip() else None
    start = start or default_start
    end = end or default_end
    if start > end:
        raise ValidationError(
            f"The period starts on {start} and ends on {end}, before it starts: "
            "pick an end on or after the start."
        )
    return start, end


# -- the result ---------------------------------------------------------------------------


@dataclass
class ObjectiveAlignment:
    id: int
    level: str
    title: str
    parent_id: int | None
    period_start: dt.date
    period_end: dt.date
    owner: str | None
    in_progress: int = 0
    done: int = 0
    # items (in progress or done) traced each way; an item traced two ways counts in both
    by_hand: int = 0
    by_label: int = 0
    by_epic: int = 0

    @property
    def total(self) -> int:
        return self.in_progress + self.done


@dataclass
class UnalignedItem:
    id: int
    key: str
    title: str
    status: str
    project: str
    state: str  # "in_progress" or "done"


@dataclass
class Alignment:
    start: dt.date
    end: dt.date
    in_progress: int = 0
    in_progress_aligned: int = 0
    done: int = 0
    done_aligned: int = 0
    objectives: list[ObjectiveAlignment] = field(default_factory=list)
    unaligned: list[UnalignedItem] = field(default_factory=list)

    @property
    def in_progress_share(self) -> float | None:
        return self.in_progress_aligned / self.in_progress if self.in_progress else None

    @property
    def done_share(self) -> float | None:
        return self.done_aligned / self.done if self.done else None

    @property
    def objectives_without_work(self) -> list[ObjectiveAlignment]:
        return [o for o in self.objectives if o.total == 0]

    def as_dict(self, *, with_items: bool = True) -> dict[str, Any]:
        """Everything, as plain data; without the unaligned items' keys and titles when
        `with_items` is false (their number stays)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "in_progress": {
                "count": self.in_progress,
                "aligned": self.in_progress_aligned,
                "share": self.in_progress_share,
            },
            "done": {"count": self.done, "aligned": self.done_aligned, "share": self.done_share},
            "objectives": [_objective_dict(o) for o in self.objectives],
            "objectives_without_work": [o.id for o in self.objectives_without_work],
            "unaligned_count": len(self.unaligned),
            "unaligned": [asdict(i) for i in self.unaligned] if with_items else None,
        }


def _objective_dict(objective: ObjectiveAlignment) -> dict[str, Any]:
    data = asdict(objective)
    data["period_start"] = objective.period_start.isoformat()
    data["period_end"] = objective.period_end.isoformat()
    return data


# -- the computation ----------------------------------------------------------------------


@dataclass
class _Tracing:
    """Which objectives an item traces to, and how, from the links and rules in force."""

    by_item: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_epic_key: dict[tuple[str, str], set[int]] = field(default_factory=lambda: defaultdict(set))
    by_label: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_epic_rule: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

    def ways(
        self, item_id: int, source: str, key: str, epic_key: str, labels: Any
    ) -> dict[int, set[str]]:
        found: dict[int, set[str]] = defaultdict(set)
        for objective in self.by_item.get(item_id, ()):
            found[objective].add(HAND)
        if epic_key:
            for objective in self.by_epic_key.get((source, epic_key), ()):
                found[objective].add(HAND)
            for objective in self.by_epic_rule.get(epic_key, ()):
                found[objective].add(EPIC)
        for objective in self.by_epic_rule.get(key, ()):
            found[objective].add(EPIC)
        if self.by_label and isinstance(labels, list):
            for label in labels:
                for objective in self.by_label.get(str(label).casefold(), ()):
                    found[objective].add(LABEL)
        return found


def _tracing(objective_ids: list[int]) -> _Tracing:
    tracing = _Tracing()
    links = ObjectiveLink.objects.filter(objective_id__in=objective_ids).values_list(
        "objective_id", "item_id", "item__source", "item__key"
    )
    for objective_id, item_id, source, key in links:
        tracing.by_item[item_id].add(objective_id)
        tracing.by_epic_key[(source, key)].add(objective_id)
    rules = AlignmentRule.objects.filter(objective_id__in=objective_ids).values_list(
        "objective_id", "kind", "value"
    )
    for objective_id, kind, value in rules:
        if kind == AlignmentRule.Kind.LABEL:
            tracing.by_label[value.strip().casefold()].add(objective_id)
        else:
            tracing.by_epic_rule[value.strip()].add(objective_id)
    return tracing


def _with_parents(ways: dict[int, set[str]], parents: dict[int, int]) -> dict[int, set[str]]:
    """What traces to a product objective traces, the same ways, to the company objective
    it serves."""
    for objective_id, how in list(ways.items()):
        parent_id = parents.get(objective_id)
        if parent_id is not None:
            ways.setdefault(parent_id, set()).update(how)
    return ways


def _objectives(start: dt.date, end: dt.date) -> list[ObjectiveAlignment]:
    rows = (
        Objective.objects.filter(period_start__lte=end, period_end__gte=start)
        .order_by("-period_start", "level", "title", "pk")
        .values_list(
            "pk", "level", "title", "parent_id", "period_start", "period_end", "owner__name"
        )
    )
    return [ObjectiveAlignment(*row) for row in rows]


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return since, until


def compute_alignment(
    start: dt.date | None = None, end: dt.date | None = None, *, today: dt.date | None = None
) -> Alignment:
    """The alignment of the work over [start, end] (the current quarter by default)."""
    start, end = period_from(start, end, today=today)
    objectives = _objectives(start, end)
    by_id = {o.id: o for o in objectives}
    tracing = _tracing(list(by_id))
    parents = {o.id: o.parent_id for o in objectives if o.parent_id in by_id}
    since, until = _day_bounds(start, end)
    rows = Item.objects.filter(
        Q(status_category=StatusCategory.IN_PROGRESS)
        | Q(status_category=StatusCategory.DONE, resolved__gte=since, resolved__lt=until)
    ).values_list(
        "pk",
        "source",
        "key",
        "epic_key",
        "labels",
        "status_category",
        "resolution",
        "title",
        "status",
        "project",
    )
    result = Alignment(start=start, end=end, objectives=objectives)
    unaligned: list[UnalignedItem] = []
    for pk, source, key, epic_key, labels, category, resolution, title, status, project in rows:
        in_progress = category == StatusCategory.IN_PROGRESS
        if not in_progress and is_wont_do(resolution):
            continue
        ways = _with_parents(tracing.ways(pk, source, key, epic_key, labels), parents)
        if in_progress:
            result.in_progress += 1
            result.in_progress_aligned += bool(ways)
        else:
            result.done += 1
            result.done_aligned += bool(ways)
        if not ways:
            state = IN_PROGRESS if in_progress else DONE
            unaligned.append(UnalignedItem(pk, key, title, status, project, state))
            continue
        for objective_id, how in ways.items():
            objective = by_id[objective_id]
            if in_progress:
                objective.in_progress += 1
            else:
                objective.done += 1
            objective.by_hand += HAND in how
            objective.by_label += LABEL in how
            objective.by_epic += EPIC in how
    unaligned.sort(key=lambda i: (i.state != IN_PROGRESS, i.project, i.key, i.id))
    result.unaligned = unaligned
    return result


def share_text(share: float | None) -> str:
    """A share as a whole percentage, or a dash when there is nothing to share."""
    return "—" if share is None else f"{round(100 * share)}%"


# -- the objectives some items trace to ---------------------------------------------------

TRACED_CHUNK = 10_000


@dataclass
class TracedObjectives:
    """The objectives overlapping a period, and which of them each item traces to."""

    objectives: dict[int, ObjectiveAlignment] = field(default_factory=dict)
    by_item: dict[int, dict[int, set[str]]] = field(default_factory=dict)  # item → objective → ways

    def items_of(self, objective_id: int) -> set[int]:
        """The items (of those asked about) that trace to the objective."""
        return {item for item, ways in self.by_item.items() if objective_id in ways}


def objectives_traced(
    item_ids: set[int] | list[int], start: dt.date, end: dt.date
) -> TracedObjectives:
    """Which objectives overlapping [start, end] each of `item_ids` traces to, and how, by
    the same rules as `compute_alignment` (hand links, label and epic rules, a product
    objective's company objective). Items tracing to none are left out of `by_item`.
    Four queries up to TRACED_CHUNK items (one more per chunk: SQLite caps the parameters
    of a query)."""
    result = TracedObjectives()
    if not item_ids:
        return result
    objectives = _objectives(start, end)
    if not objectives:
        return result
    result.objectives = {o.id: o for o in objectives}
    tracing = _tracing(list(result.objectives))
    parents = {o.id: o.parent_id for o in objectives if o.parent_id in result.objectives}
    ids = sorted(item_ids)
    for first in range(0, len(ids), TRACED_CHUNK):
        rows = Item.objects.filter(pk__in=ids[first : first + TRACED_CHUNK]).values_list(
            "pk", "source", "key", "epic_key", "labels"
        )
        for pk, source, key, epic_key, labels in rows:
            ways = _with_parents(tracing.ways(pk, source, key, epic_key, labels), parents)
            known = {o: how for o, how in ways.items() if o in result.objectives}
            if known:
                result.by_item[pk] = known
    return result
