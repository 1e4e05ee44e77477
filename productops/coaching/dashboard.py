"""What the overview page shows each user about coaching: 1:1s and actions they owe.

- **1:1s coming up or overdue**: for each active series the user is in, the next planned
  1:1, or, when none is planned, the date the cadence says the next one is due. A series
  is listed when a 1:1 is planned, when the next one is due within `DUE_SOON_DAYS`, or
  when it is overdue or lapsed (`cadence`); overdue ones first, longest overdue first.
- **Open action items they own**, overdue first, then by due date (undated last).

Three queries at most, however many series and actions there are.

For the overview's people and "you" blocks (each a fixed number of queries, however many
people, plans, goals or series there are):

- **A manager's people** (`people_overview`): for each person the user manages, their
  top gaps (`competencies.dashboard.latest_gaps`), their coaching plan (the one a plan
  list shows first: active, then draft, then closed; `visibility.visible_plans`), the
  open goals of an active plan past their target date, and the health of the 1:1 series
  the user leads with them (`cadence.load_cadence`). **Overdue** is a lapsed or overdue
  1:1, no active 1:1 series with them at all, or a goal past its target date. People
  with something overdue come first, the most overdue things first, then by name.
- **A person's own plan** (`own_plan`): their current plan (not closed) and its open
  goals by target date, those past it marked.
- **A person's next 1:1** (`next_one_on_one`): of their active series, the one with the
  earliest next 1:1: the planned one, or when none is planned the date the cadence says
  it is due (an overdue one is in the past).
- **1:1 health counts** (`cadence_counts`): how many series are on cadence, overdue,
  lapsed or ended, over every series: what a viewer reads on the cadence page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from productops.accounts.roles import Login, person_id_of
from productops.coaching import visibility
from productops.coaching.cadence import Health, SeriesHealth, load_cadence
from productops.coaching.models import CoachingPlan, Goal, OneOnOneSeries
from productops.coaching.plans import plan_list
from productops.competencies.dashboard import latest_gaps
from productops.competencies.gaps import CompetencyGap
from productops.org.models import Person

SHOWN = 8
DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class ComingUp:
    health: SeriesHealth
    other_name: str  # the other person in the 1:1
    date: date  # the planned date, or the date the cadence says it is due
    planned_id: int | None

    @property
    def overdue(self) -> bool:
        return self.health.overdue


def coming_up(rows: list[SeriesHealth], me: int, today: date) -> list[ComingUp]:
    """The series worth a line on the dashboard, overdue first, then by date."""
    soon = today + timedelta(days=DUE_SOON_DAYS)
    lines = []
    for row in rows:
        fact = row.fact
        if not fact.active:
            continue
        if fact.next_planned is None and not row.overdue and row.next_due > soon:
            continue
        lines.append(
            ComingUp(
                health=row,
                other_name=fact.report_name if fact.lead_id == me else fact.lead_name,
                date=fact.next_planned or row.next_due,
                planned_id=fact.next_planned_id,
            )
        )
    lines.sort(key=lambda line: (not line.overdue, -line.health.overdue_days, line.date))
    return lines


def dashboard_context(user: Login) -> dict[str, Any]:
    me = person_id_of(user)
    if me is None:
        return {}
    today = timezone.localdate()
    mine = OneOnOneSeries.objects.filter(Q(lead_id=me) | Q(report_id=me), active=True)
    lines = coming_up(load_cadence(mine, today=today).series, me, today)
    owed = list(
        visibility.actions_owed_by(user)
        .select_related("series__lead", "series__report")
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")
    )
    return {
        "one_on_ones_coming": lines[:SHOWN],
        "one_on_ones_coming_total": len(lines),
        "one_on_ones_overdue": sum(line.overdue for line in lines),
        "actions_owed": owed[:SHOWN],
        "actions_owed_total": len(owed),
        "actions_overdue": sum(action.is_overdue for action in owed),
    }


# -- a manager's people ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonOverview:
    person: Person
    top_gaps: tuple[CompetencyGap, ...]
    gaps_cycle: str  # the cycle the gaps come from; "" when none is seen
    plan: CoachingPlan | None  # from `plans.plan_list`: carries goal_total and open_goals
    goals_past_due: int
    one_on_one: SeriesHealth | None  # the series the user leads with them

    @property
    def overdue(self) -> list[str]:
        """What is overdue about this person, most pressing first."""
        late = []
        series = self.one_on_one
        if series is None:
            late.append("no 1:1 series")
        elif series.health is Health.LAPSED:
            late.append("1:1s lapsed")
        elif series.health is Health.OVERDUE:
            s = "" if series.overdue_days == 1 else "s"
            late.append(f"1:1 overdue by {series.overdue_days} day{s}")
        if self.goals_past_due:
            s = "" if self.goals_past_due == 1 else "s"
            late.append(f"{self.goals_past_due} plan goal{s} past due")
        return late

    def attention(self) -> tuple[bool, int, int, str, int]:
        """Something overdue first; lapsed 1:1s, then none at all, then overdue ones."""
        series = self.one_on_one
        if series is None:
            rank = 1
        else:
            rank = {Health.LAPSED: 0, Health.OVERDUE: 2}.get(series.health, 3)
        return (not self.overdue, rank, -self.goals_past_due, self.person.name, self.person.pk)


def _first_plans(plans: QuerySet[CoachingPlan], person_ids: list[int]) -> dict[int, CoachingPlan]:
    first: dict[int, CoachingPlan] = {}
    for plan in plan_list(plans.filter(person_id__in=person_ids)):
        first.setdefault(plan.person_id, plan)
    return first


def _goals_past_due(
    plans: QuerySet[CoachingPlan], person_ids: list[int], today: date
) -> dict[int, int]:
    rows = (
        Goal.objects.filter(
            plan__in=plans.filter(person_id__in=person_ids, status=CoachingPlan.Status.ACTIVE),
            status=Goal.Status.OPEN,
            target_date__lt=today,
        )
        .order_by()
        .values("plan__person_id")
        .annotate(n=Count("pk"))
    )
    return {row["plan__person_id"]: row["n"] for row in rows}


def _series_led_with(user: Login, person_ids: list[int], today: date) -> dict[int, SeriesHealth]:
    me = person_id_of(user)
    if me is None:
        return {}
    led = visibility.visible_series(user).filter(lead_id=me, report_id__in=person_ids, active=True)
    found: dict[int, SeriesHealth] = {}
    # attention order: the worst series with a person comes first
    for row in load_cadence(led, today=today).series:
        found.setdefault(row.fact.report_id, row)
    return found


def people_overview(
    user: Login, people: list[Person], today: date | None = None
) -> list[PersonOverview]:
    """The user's people with their gaps, plan, 1:1 health and what is overdue, the
    people with something overdue first."""
    if not people:
        return []
    today = today or timezone.localdate()
    ids = [person.pk for person in people]
    gaps = latest_gaps(user, ids)
    visible = visibility.visible_plans(user)
    plans = _first_plans(visible, ids)
    past_due = _goals_past_due(visible, ids, today)
    series = _series_led_with(user, ids, today)
    rows = []
    for person in people:
        found = gaps.get(person.pk)
        rows.append(
            PersonOverview(
                person=person,
                top_gaps=found.top_gaps if found else (),
                gaps_cycle=found.cycle.name if found and found.cycle else "",
                plan=plans.get(person.pk),
                goals_past_due=past_due.get(person.pk, 0),
                one_on_one=series.get(person.pk),
            )
        )
    rows.sort(key=PersonOverview.attention)
    return rows


# -- a person's own coaching ------------------------------------------------------------------


@dataclass(frozen=True)
class OwnPlan:
    plan: CoachingPlan
    goals: list[Goal]  # open goals, by target date
    today: date

    @property
    def past_due(self) -> list[Goal]:
        return [goal for goal in self.goals if goal.target_date < self.today]


def own_plan(user: Login, today: date | None = None) -> OwnPlan | None:
    """The user's current coaching plan (active, else draft) with its open goals."""
    me = person_id_of(user)
    if me is None:
        return None
    today = today or timezone.localdate()
    plan = plan_list(
        visibility.visible_plans(user)
        .filter(person_id=me)
        .exclude(status=CoachingPlan.Status.CLOSED)
    ).first()
    if plan is None:
        return None
    goals = list(
        plan.goals.filter(status=Goal.Status.OPEN).order_by("target_date", "position", "pk")
    )
    return OwnPlan(plan=plan, goals=goals, today=today)


def next_one_on_one(user: Login, today: date | None = None) -> ComingUp | None:
    """The user's next 1:1 over their active series: planned, or due by the cadence."""
    me = person_id_of(user)
    if me is None:
        return None
    today = today or timezone.localdate()
    mine = visibility.visible_series(user).filter(Q(lead_id=me) | Q(report_id=me), active=True)
    lines = [
        ComingUp(
            health=row,
            other_name=row.fact.report_name if row.fact.lead_id == me else row.fact.lead_name,
            date=row.fact.next_planned or row.next_due,
            planned_id=row.fact.next_planned_id,
        )
        for row in load_cadence(mine, today=today).series
        if row.fact.active
    ]
    if not lines:
        return None
    return min(lines, key=lambda line: (line.date, line.other_name, line.health.fact.id))


def cadence_counts(today: date | None = None) -> dict[str, int] | None:
    """Series per health over every series (an aggregate: no one is named); None when no
    series exists."""
    result = load_cadence(OneOnOneSeries.objects.all(), today=today or timezone.localdate())
    if not result.series:
        return None
    return {"total": len(result.series), **result.counts}
