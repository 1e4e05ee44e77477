"""Coaching plans as computations: drafting goals from gaps, goal progress, whether a gap closed.

No writes here: `actions` writes what these functions work out. Pages, the API and
the 1:1 agenda read through them, in a number of queries that does not grow with goals
or check-ins.

How a plan is drafted from a person's gap analysis:

- **Which cycle.** The latest cycle with submitted answers about the person, unless one
  is asked for. The plan keeps it as `source_cycle`, and its competency model as
  `model_slug`; goals added later come from the same model.
- **Goals.** The gap analysis's top gaps (the 3 largest positive gaps, ties in model
  order) become goals, in that order.
- **Current step** = the consensus in that cycle, rounded to one decimal.
- **Target step** = the step the person's level expects, and at least the next whole
  step above the current one (1.3 → 2, 2.0 → 3), never above the top of the scale. A
  competency already at the top step cannot be a goal: there is nothing left to reach.
- **Target date** = 90 days from the day of drafting (`DEFAULT_TARGET_DAYS`): long
  enough to practise, short enough to review within a quarter.
- **Practices.** Up to 3 active practices from the library for the competency: the
  least effort first, and one of each kind before a second of any kind, so a goal gets a
  mix (say, something on the job, something to read, someone to shadow).

Nothing to draft from (no submitted answers, no ladder level that matches, nothing below
expectation) gives an empty plan with a note saying why, and goals are added by hand.

**Due for a check-in** (`goals_due_for_check_in`, read by the 1:1 agenda): an open goal
of an *active* plan is due on a day when it has had no check-in dated in the 14 days up
to that day (`CHECK_IN_INTERVAL`), or when its target date is 14 days away or less
(overdue targets included). Draft and closed plans, achieved and dropped goals are never
due.

**Did the gap close** (`gap_outcomes`), for active and closed plans: the person's latest
cycle with answers that is later than the plan's source cycle (or, without one, opened
after the plan was created), of the same competency model, gives a new consensus per
competency. Against the goal: at or above the target step, the gap *closed*; above the
current step, it *narrowed*; the same (to one decimal), *unchanged*; below, *widened*.
That consensus is the one the gap page shows the person: peer answers count only once
their release point is reached (`competencies.visibility.peer_releases`; `gap_data`
leaves unreleased ones out), so a plan's outcome never moves with one peer's answer
while a cycle is open. The same holds for drafting.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any

from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.utils.safestring import SafeString, mark_safe

from productops.competencies import gap_data
from productops.competencies.gaps import CompetencyFact, PersonGaps
from productops.competencies.models import AssessmentCycle, CompetencyModel, ModelVersion
from productops.org.models import Person

from .models import CheckIn, CoachingPlan, Effort, Goal, Practice

TOP_GOALS = 3
PRACTICES_PER_GOAL = 3
DEFAULT_TARGET_DAYS = 90
CHECK_IN_INTERVAL = timedelta(days=14)
TARGET_SOON = timedelta(days=14)
EFFORT_ORDER: dict[str, int] = {Effort.LOW: 0, Effort.MEDIUM: 1, Effort.HIGH: 2}
STRIP_LENGTH = 24  # check-ins drawn in a goal's strip; the history lists them all


def default_target_date(today: date) -> date:
    return today + timedelta(days=DEFAULT_TARGET_DAYS)


def current_step_of(consensus: float | None) -> float | None:
    return None if consensus is None else round(consensus, 1)


def target_step_for(
    current: float | None, expected: int | None, steps: Sequence[int]
) -> int | None:
    """The expected step, at least the next whole step above `current`, capped by the scale.

    None when there is nothing to aim for: no current step and no expectation, or the
    current step is already at the top of the scale.
    """
    if not steps:
        return None
    top = max(steps)
    if current is None:
        return min(expected, top) if expected is not None else None
    next_step = math.floor(current + 1e-9) + 1
    target = min(max(expected or next_step, next_step), top)
    return target if target > current else None


# ---------------------------------------------------------------------------------------
# Practices
# ---------------------------------------------------------------------------------------


def _effort_rank(practice: Practice) -> tuple[int, str]:
    return (EFFORT_ORDER.get(practice.effort, 1), practice.title.casefold())


def pick_practices(
    candidates: Iterable[Practice], limit: int = PRACTICES_PER_GOAL
) -> list[Practice]:
    """Up to `limit` practices: least effort first, one of each kind before any repeat."""
    ordered = sorted(candidates, key=_effort_rank)
    chosen: list[Practice] = []
    kinds: set[str] = set()
    for practice in ordered:
        if len(chosen) < limit and practice.kind not in kinds:
            chosen.append(practice)
            kinds.add(practice.kind)
    for practice in ordered:
        if len(chosen) < limit and practice not in chosen:
            chosen.append(practice)
    return sorted(chosen, key=_effort_rank)


def suggested_practices(keys: Iterable[str]) -> dict[str, list[Practice]]:
    """Competency key -> the practices to suggest for it (one query for all keys)."""
    keys = set(keys)
    by_key: dict[str, list[Practice]] = defaultdict(list)
    if keys:
        for practice in Practice.objects.filter(competency_key__in=keys, active=True):
            by_key[practice.competency_key].append(practice)
    return {key: pick_practices(by_key.get(key, [])) for key in keys}


# ---------------------------------------------------------------------------------------
# Drafting
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalDraft:
    competency_key: str
    competency_name: str
    current_step: float | None
    target_step: int
    target_date: date
    practices: tuple[Practice, ...] = ()


@dataclass(frozen=True)
class PlanDraft:
    """What a new plan for a person would hold, before anything is written."""

    cycle: AssessmentCycle | None
    model_slug: str
    goals: tuple[GoalDraft, ...]
    notes: tuple[str, ...]


def plan_title(person: Person, cycle: AssessmentCycle | None) -> str:
    return f"{person.name}: coaching plan" + (f" from {cycle.name}" if cycle else "")


def _why_no_goals(person: Person, result: PersonGaps, cycle: AssessmentCycle) -> str:
    if not result.has_answers:
        return (
            f"Every submitted answer about {person.name} in {cycle.name} was “not observed”, "
            "so there are no gaps to start from: add goals by hand."
        )
    if not result.expected_for:
        return (
            f"No ladder level of {cycle.version.model.name} matches {person.name}'s career "
            f"level “{person.level or 'none recorded'}”, so the gaps are unknown: record their "
            "level, or add goals by hand."
        )
    return (
        f"Nothing is below what {person.name}'s level expects in {cycle.name}: add goals by "
        "hand to stretch further."
    )


def default_model_for(person: Person) -> CompetencyModel | None:
    """The model for a plan with no assessment behind it: the person's discipline first."""
    models = list(CompetencyModel.objects.filter(versions__isnull=False).distinct())
    if not models:
        return None
    same = [model for model in models if model.discipline == person.discipline]
    for model in same:
        if gap_data.match_levels([person], model):
            return model
    return (same or models)[0]


def draft_plan(person: Person, *, today: date, cycle: AssessmentCycle | None = None) -> PlanDraft:
    """The goals a new plan for `person` starts with, from a cycle's gaps (default: latest).

    Raises LookupError when `cycle` is given but holds no submitted answers about them.
    """
    cycles = gap_data.cycles_for_person(person)
    if cycle is not None:
        cycle = next((found for found in cycles if found.pk == cycle.pk), None)
        if cycle is None:
            raise LookupError("no submitted answers about this person in that cycle")
    elif cycles:
        cycle = cycles[0]
    if cycle is None:
        model = default_model_for(person)
        return PlanDraft(
            cycle=None,
            model_slug=model.slug if model else "",
            goals=(),
            notes=(
                f"{person.name} has no submitted assessment yet, so the plan starts empty: "
                "add goals by hand, or open an assessment cycle and draft again later.",
            ),
        )
    result = gap_data.load_person_gaps(person, cycle)
    assert result is not None  # the cycle has answers about them
    practices = suggested_practices(row.key for row in result.top_gaps)
    goals = []
    skipped = []
    for row in result.top_gaps[:TOP_GOALS]:
        current = current_step_of(row.consensus)
        target = target_step_for(current, row.expected, result.steps)
        if target is None:
            skipped.append(row.name)
            continue
        goals.append(
            GoalDraft(
                competency_key=row.key,
                competency_name=row.name,
                current_step=current,
                target_step=target,
                target_date=default_target_date(today),
                practices=tuple(practices.get(row.key, [])),
            )
        )
    notes = []
    if not result.top_gaps:
        notes.append(_why_no_goals(person, result, cycle))
    if skipped:
        notes.append(f"Left out {', '.join(skipped)}: already at the top step of the scale.")
    return PlanDraft(
        cycle=cycle, model_slug=cycle.version.model.slug, goals=tuple(goals), notes=tuple(notes)
    )


# ---------------------------------------------------------------------------------------
# The plan's competencies, for goals added or swapped by hand
# ---------------------------------------------------------------------------------------


def plan_version(plan: CoachingPlan) -> ModelVersion | None:
    """The model version a plan's goals come from: its source cycle's, else the latest."""
    if plan.source_cycle_id:
        cycle = AssessmentCycle.objects.select_related("version__model").get(
            pk=plan.source_cycle_id
        )
        return cycle.version
    if plan.model_slug:
        return (
            ModelVersion.objects.filter(model__slug=plan.model_slug)
            .select_related("model")
            .order_by("-number")
            .first()
        )
    return None


def plan_competencies(plan: CoachingPlan) -> list[CompetencyFact]:
    """The competencies a goal of this plan may be about, in model order."""
    version = plan_version(plan)
    return gap_data.competency_facts(version.pk) if version else []


@dataclass(frozen=True)
class GoalStart:
    """Where a goal added by hand starts: its competency, current and target step."""

    key: str
    name: str
    current_step: float | None
    expected: int | None
    target_step: int | None
    steps: tuple[int, ...]
    practices: tuple[Practice, ...]


def goal_start(plan: CoachingPlan, key: str) -> GoalStart | None:
    """The defaults for a goal on `key`; None when the plan's model has no such competency.

    The current step is the consensus in the plan's source cycle; the expected step
    comes from the person's ladder level.
    """
    version = plan_version(plan)
    if version is None:
        return None
    competency = next(
        (fact for fact in gap_data.competency_facts(version.pk) if fact.key == key), None
    )
    if competency is None:
        return None
    steps = tuple(sorted(version.steps))
    current = expected = None
    if plan.source_cycle_id:
        cycle = AssessmentCycle.objects.select_related("version__model").get(
            pk=plan.source_cycle_id
        )
        result = gap_data.load_person_gaps(plan.person, cycle)
        row = next((row for row in result.rows if row.key == key), None) if result else None
        if row is not None:
            current, expected = current_step_of(row.consensus), row.expected
    else:
        expected = gap_data.expectations_for_people([plan.person], version.model_id)[
            plan.person_id
        ].get(key)
    return GoalStart(
        key=key,
        name=competency.name,
        current_step=current,
        expected=expected,
        target_step=target_step_for(current, expected, steps),
        steps=steps,
        practices=tuple(suggested_practices([key])[key]),
    )


# ---------------------------------------------------------------------------------------
# Due for a check-in (the 1:1 agenda reads this)
# ---------------------------------------------------------------------------------------


def is_due_for_check_in(goal: Goal, last_check_in: date | None, *, on: date) -> bool:
    """The rule of the module docstring for one open goal of an active plan."""
    stale = last_check_in is None or last_check_in <= on - CHECK_IN_INTERVAL
    return stale or goal.target_date <= on + TARGET_SOON


def check_in_due_reason(goal: Goal, last_check_in: date | None, *, on: date) -> str:
    """Why a goal is due, in a sentence for the agenda; "" when it is not due."""
    if not is_due_for_check_in(goal, last_check_in, on=on):
        return ""
    reasons = []
    if goal.target_date < on:
        reasons.append(f"the target date {goal.target_date:%Y-%m-%d} has passed")
    elif goal.target_date <= on + TARGET_SOON:
        days = (goal.target_date - on).days
        reasons.append(
            "the target date is today" if days == 0 else f"the target date is in {days} days"
        )
    if last_check_in is None:
        reasons.append("no check-in yet")
    elif last_check_in <= on - CHECK_IN_INTERVAL:
        reasons.append(f"no check-in since {last_check_in:%Y-%m-%d}")
    return "; ".join(reasons).capitalize() + "."


def goals_due_for_check_in(
    plan_or_goals: CoachingPlan | QuerySet[Goal] | Iterable[Goal], *, on: date
) -> list[Goal]:
    """Open goals of active plans that are due for a check-in on `on`, in one query.

    Takes a plan, a queryset of goals or goals already loaded. Each goal returned
    carries `last_check_in` (a date or None) and `due_reason` (a sentence), and its plan
    with the plan's person; goals come in plan and position order.
    """
    if isinstance(plan_or_goals, CoachingPlan):
        goals = Goal.objects.filter(plan=plan_or_goals)
    elif isinstance(plan_or_goals, QuerySet):
        goals = plan_or_goals
    else:
        goals = Goal.objects.filter(pk__in=[goal.pk for goal in plan_or_goals])
    found = (
        goals.filter(plan__status=CoachingPlan.Status.ACTIVE, status=Goal.Status.OPEN)
        .annotate(last_check_in=Max("check_ins__date"))
        .select_related("plan__person")
        .order_by("plan__created_at", "plan_id", "position", "pk")
    )
    due: list[Goal] = []
    for goal in found:
        reason = check_in_due_reason(goal, goal.last_check_in, on=on)
        if reason:
            goal.due_reason = reason  # type: ignore[attr-defined]
            due.append(goal)
    return due


# ---------------------------------------------------------------------------------------
# Did the gap close
# ---------------------------------------------------------------------------------------


class Outcome:
    CLOSED = "closed"
    NARROWED = "narrowed"
    UNCHANGED = "unchanged"
    WIDENED = "widened"
    NOT_REASSESSED = "not_reassessed"
    NO_BASELINE = "no_baseline"  # reassessed, but the goal had no current step

    LABELS = {
        CLOSED: "Gap closed",
        NARROWED: "Gap narrowed",
        UNCHANGED: "Gap unchanged",
        WIDENED: "Gap widened",
        NOT_REASSESSED: "Not reassessed yet",
        NO_BASELINE: "Reassessed",
    }


@dataclass(frozen=True)
class GapOutcome:
    state: str
    cycle_name: str = ""
    before: float | None = None
    after: float | None = None
    target: int | None = None

    @property
    def label(self) -> str:
        return Outcome.LABELS[self.state]

    @property
    def sentence(self) -> str:
        after = step_text(self.after)
        before = step_text(self.before)
        if self.state == Outcome.NOT_REASSESSED:
            if self.cycle_name:
                return f"{self.cycle_name} has no consensus on this competency yet."
            return "No later assessment cycle yet: assess again to see whether the gap closed."
        if self.state == Outcome.CLOSED:
            return (
                f"{after} in {self.cycle_name} reaches the target step {self.target} "
                f"(was {before})."
            )
        if self.state == Outcome.NO_BASELINE:
            return f"{after} in {self.cycle_name}, against a target of {self.target}."
        return f"{before} → {after} in {self.cycle_name}, against a target of {self.target}."

    def as_dict(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "label": self.label,
            "cycle": self.cycle_name or None,
            "before": self.before,
            "after": self.after,
            "target": self.target,
            "sentence": self.sentence,
        }


def step_text(value: float | None) -> str:
    """A step as pages print it: "2", "2.3", "—" for none."""
    if value is None:
        return "—"
    return f"{value:.1f}".removesuffix(".0")


def outcome_for(goal: Goal, after: float | None, cycle_name: str) -> GapOutcome:
    """How a goal stands against the consensus of a later cycle (None: not assessed)."""
    before, target = goal.current_step, goal.target_step
    if after is None:
        return GapOutcome(Outcome.NOT_REASSESSED, cycle_name, before, None, target)
    after = round(after, 1)
    if after >= target - 1e-9:
        state = Outcome.CLOSED
    elif before is None:
        state = Outcome.NO_BASELINE
    elif after > before + 1e-9:
        state = Outcome.NARROWED
    elif after < before - 1e-9:
        state = Outcome.WIDENED
    else:
        state = Outcome.UNCHANGED
    return GapOutcome(state, cycle_name, before, after, target)


def later_cycle(plan: CoachingPlan) -> AssessmentCycle | None:
    """The person's latest cycle with answers after the plan's start, of the plan's model."""
    source = plan.source_cycle
    for cycle in gap_data.cycles_for_person(plan.person):  # newest first
        if plan.model_slug and cycle.version.model.slug != plan.model_slug:
            continue
        if source is not None:
            if (cycle.opened_at, cycle.pk) > (source.opened_at, source.pk):
                return cycle
        elif cycle.opened_at > plan.created_at:
            return cycle
    return None


def gap_outcomes(plan: CoachingPlan, goals: Iterable[Goal]) -> dict[int, GapOutcome]:
    """Goal id -> whether its gap closed; {} for a draft plan (nothing to measure yet)."""
    if plan.status == CoachingPlan.Status.DRAFT:
        return {}
    goals = list(goals)
    cycle = later_cycle(plan)
    if cycle is None:
        return {goal.pk: outcome_for(goal, None, "") for goal in goals}
    result = gap_data.load_person_gaps(plan.person, cycle)
    consensus = {row.key: row.consensus for row in result.rows} if result else {}
    return {
        goal.pk: outcome_for(goal, consensus.get(goal.competency_key), cycle.name) for goal in goals
    }


# ---------------------------------------------------------------------------------------
# Progress and history of one plan
# ---------------------------------------------------------------------------------------

STRIP_COLOURS: dict[str, str] = {
    CheckIn.Status.ON_TRACK: "#1f7a4a",
    CheckIn.Status.AT_RISK: "#a86400",
    CheckIn.Status.OFF_TRACK: "#b3261e",
}


def check_in_strip(check_ins: Sequence[CheckIn]) -> SafeString:
    """A small SVG strip of check-in statuses, oldest on the left; "" without check-ins.

    Colours are SVG attributes (allowed by our Content Security Policy), and every mark
    has a tooltip; the label counts the statuses for screen readers.
    """
    shown = sorted(check_ins, key=lambda c: (c.date, c.created_at, c.pk or 0))[-STRIP_LENGTH:]
    if not shown:
        return mark_safe("")
    counts = Counter(check_in.get_status_display().lower() for check_in in shown)
    label = "Check-ins, oldest first: " + ", ".join(f"{n} {s}" for s, n in counts.items())
    width, height, size, gap = len(shown) * 14 - 2, 14, 12, 2
    marks = "".join(
        f'<rect x="{i * (size + gap)}" y="1" width="{size}" height="{size}" rx="2" '
        f'fill="{STRIP_COLOURS.get(check_in.status, "#5b6577")}">'
        f"<title>{escape(f'{check_in.date:%Y-%m-%d}: {check_in.get_status_display()}')}</title>"
        "</rect>"
        for i, check_in in enumerate(shown)
    )
    return mark_safe(  # every text inside was escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-strip" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>{marks}</svg>'
    )


@dataclass
class GoalProgress:
    goal: Goal
    check_ins: list[CheckIn]  # newest first
    practices: list[Practice]
    outcome: GapOutcome | None
    due_reason: str

    @property
    def last_check_in(self) -> CheckIn | None:
        return self.check_ins[0] if self.check_ins else None

    @property
    def strip(self) -> SafeString:
        return check_in_strip(self.check_ins)


@dataclass
class PlanProgress:
    plan: CoachingPlan
    open_goals: list[GoalProgress]
    closed_goals: list[GoalProgress]  # achieved and dropped, kept as history
    later_cycle_name: str

    @property
    def goals(self) -> list[GoalProgress]:
        return self.open_goals + self.closed_goals


def goals_with_history(goals: QuerySet[Goal]) -> QuerySet[Goal]:
    """Goals with their practices and check-ins (newest first, with authors and their
    people): 3 queries."""
    return goals.prefetch_related(
        "practices",
        Prefetch(
            "check_ins",
            queryset=CheckIn.objects.select_related("author__person").order_by(
                "-date", "-created_at", "-pk"
            ),
        ),
    ).order_by("position", "pk")


def goal_progress(goal: Goal, *, on: date, outcome: GapOutcome | None = None) -> GoalProgress:
    """One goal's progress; the goal should come from `goals_with_history`."""
    check_ins = list(goal.check_ins.all())
    due = ""
    if goal.plan.status == CoachingPlan.Status.ACTIVE and goal.status == Goal.Status.OPEN:
        due = check_in_due_reason(goal, check_ins[0].date if check_ins else None, on=on)
    return GoalProgress(
        goal=goal,
        check_ins=check_ins,
        practices=sorted(goal.practices.all(), key=_effort_rank),
        outcome=outcome,
        due_reason=due,
    )


def load_plan_progress(plan: CoachingPlan, *, on: date) -> PlanProgress:
    """Every goal of a plan with its history and outcome, in a fixed number of queries."""
    goals = list(goals_with_history(plan.goals.all()))
    for goal in goals:
        goal.plan = plan  # spare a query per goal
    outcomes = gap_outcomes(plan, goals)
    progress = [goal_progress(goal, on=on, outcome=outcomes.get(goal.pk)) for goal in goals]
    later = next((o.cycle_name for o in outcomes.values() if o.cycle_name), "")
    return PlanProgress(
        plan=plan,
        open_goals=[p for p in progress if p.goal.status == Goal.Status.OPEN],
        closed_goals=[p for p in progress if p.goal.status != Goal.Status.OPEN],
        later_cycle_name=later,
    )


STATUS_ORDER = Case(
    When(status=CoachingPlan.Status.ACTIVE, then=Value(0)),
    When(status=CoachingPlan.Status.DRAFT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def plan_list(visible: QuerySet[CoachingPlan]) -> QuerySet[CoachingPlan]:
    """Plans for a list, active first, then drafts, then closed, by person (one query).

    Each carries its person, manager and source cycle, `goal_total`, `open_goals` and
    `last_check_in` (the latest check-in date of any goal, or None).
    """
    return (
        CoachingPlan.objects.filter(pk__in=visible.values("pk"))
        .select_related("person", "manager", "source_cycle")
        .annotate(
            goal_total=Count("goals", distinct=True),
            open_goals=Count("goals", filter=Q(goals__status=Goal.Status.OPEN), distinct=True),
            last_check_in=Max("goals__check_ins__date"),
        )
        .order_by(STATUS_ORDER, "person__name", "-created_at", "pk")
    )
