"""The coaching side of the demo organization: plans, 1:1s and communities of practice.

Built on top of `org.demo` and `competencies.demo`, with a few months of history a head
of product recognizes:

- every PM assessed in the closed review cycle has an active coaching plan drafted from
  that cycle's three largest gaps (a PM with fewer gaps gets stretch goals a step above
  where others see them), with check-ins since, most of them recorded in 1:1s; the PM
  managed from sales has a discovery goal that is off track;
- each of those PMs has a weekly or fortnightly 1:1 with their manager, held for about
  three months, with shared notes, talking points and action items: some done, some
  carried over from meeting to meeting for more than a month, some overdue;
- the head of design coaches the PM managed from sales on discovery;
- the manager login and the member login's PM meet weekly and have a 1:1 coming up,
  its talking points already added;
- the head of customer support, who manages about forty people directly, has let the
  1:1s with one of their reports lapse: none held for more than six weeks;
- a discovery guild and a book club have met for four months, and more people from
  outside product come each month.

Plans are drafted from the closed cycle, not the latest, because they are months old:
the open cycle then shows, on each plan, which gaps closed since. The plans are written
here in bulk rather than through `do_draft_plan`, so that they can carry their
history (drafted months ago, check-ins since); they follow its drafting rules by using
`coaching.plans` (current step, target step, suggested practices, title).

Deterministic for a given seed. Writes in bulk in one transaction: demo data, not user
input.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import cast

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from productops.coaching import actions as coaching_actions
from productops.coaching import plans as plan_rules
from productops.coaching.models import (
    ActionItem,
    Attendance,
    Cadence,
    CheckIn,
    CoachingPlan,
    Community,
    CommunitySession,
    Goal,
    OneOnOne,
    OneOnOneSeries,
    TalkingPoint,
)
from productops.coaching.participation import (
    AttendanceFact,
    CommunityFact,
    Period,
    SessionFact,
    participation_report,
)
from productops.competencies.gap_data import cycles_with_answers, load_group_gaps
from productops.competencies.gaps import CompetencyGap, PersonGaps
from productops.competencies.models import AssessmentCycle, AssessmentRequest
from productops.demo.competencies import CLOSED_CYCLE, OPEN_CYCLE
from productops.demo.org import EMAIL_DOMAIN, DemoOrg
from productops.org.models import Discipline, Person

GUILD = "Discovery guild"
BOOK_CLUB = "Product book club"
BOOK = "Continuous Discovery Habits, by Teresa Torres"
DEMO_COMMUNITIES = (GUILD, BOOK_CLUB)

HISTORY_DAYS = 91  # about three months of 1:1s
LAPSE_DAYS = 58  # the lapsed series' last held 1:1, well past the six weeks that flag it
COMMUNITY_DAYS = 120  # four months of sessions
CARRIED_OVER_DAYS = 30
GOALS_PER_PLAN = 3

GUILD_DESCRIPTION = (
    "Everyone who builds the product meets every other week to practise discovery "
    "together: someone brings what they learned from customers, the room picks it "
    "apart. Engineers, designers, data, sales and support are as welcome as PMs."
)
BOOK_CLUB_DESCRIPTION = (
    "A chapter or two at a time, then an hour on what it would change in how our teams "
    "decide. Open to anyone; you do not need to have finished the reading."
)
GUILD_TOPICS = (
    "Interview snapshots: what customers told us this fortnight",
    "Writing outcomes a team can actually move",
    "An assumption test you can run in a week",
    "Bringing sales and support into discovery",
    "Reading the usage data before the interview",
    "Story mapping a risky bet",
    "Prototypes that test value, not polish",
    "Looking back: what changed in how we decide",
)
BOOK_TOPICS = (
    "Opening chapters: why the whole trio meets customers every week",
    "Starting from an outcome instead of a feature list",
    "Interviewing for stories rather than opinions",
    "Drawing the opportunity tree together",
    "Picking the riskiest assumption and testing it small",
    "Making sense of what the tests told us",
    "Closing session: one habit each team will try next month",
)

NOTES = (
    "Went through the goals of the plan; agreed on one thing to try before next time.",
    "Mostly about the roadmap review next week and how to frame the trade-offs.",
    "Talked about getting the designer and tech lead into customer calls earlier.",
    "Reviewed last week's experiment: inconclusive, so we sharpened the hypothesis.",
    "Feedback on the stakeholder update: shorter, lead with the outcome.",
    "Career conversation: what the next level looks like and where the gaps are.",
    "Walked through the opportunity tree; two branches have no evidence yet.",
    "Short one: quick status, then time on the hiring loop for the new designer.",
)
TALKING_POINTS = (
    "How did the customer interviews go?",
    "Prioritization for next quarter",
    "Feedback on my last stakeholder update",
    "Support tickets piling up on the export feature",
    "Time off in the summer",
    "Pairing with data on the activation metric",
    "What I learned at the guild session",
    "Sales keeps adding requests mid-sprint",
    "Conference talk proposal",
    "Onboarding the new engineer",
)
UPCOMING_POINTS = (
    "Plan check-in: how the weekly customer calls are going",
    "Draft of the outcome for next quarter: does it hold up?",
)
ACTION_TEXTS = (
    "Share the interview notes with the trio",
    "Draft the outcome for next quarter and send it round",
    "Book a session with data on the activation funnel",
    "Write up the assumption test results",
    "Ask sales for the three deals that hinged on this feature",
    "Set up a weekly slot for customer calls",
    "Read the chapter on opportunity trees",
    "Shadow a support shift",
    "Send feedback on the pricing page prototype",
    "Agree the review format with engineering",
)
CHECK_IN_NOTES = {
    CheckIn.Status.ON_TRACK: (
        "Good progress: the practice is becoming a habit.",
        "Did it every week since we last talked; the team noticed.",
        "Ran the first one with the designer; will keep the cadence.",
    ),
    CheckIn.Status.AT_RISK: (
        "Slipped the last two weeks: release crunch.",
        "Started, but not yet with the whole trio.",
        "Unsure how to measure this one; agreed to pick an example.",
    ),
    CheckIn.Status.OFF_TRACK: (
        "Nothing happened this month: deal support took every slot.",
        "Dropped again for urgent requests; needs a different approach.",
    ),
}
SALES_LED_NOTE = (
    "No customer interviews this month: every slot went to deal support for the "
    "enterprise pipeline. Agreed to protect one call a week."
)


# A goal to write: the gap row, the current step, the target step, whether it stretches.
GoalChoice = tuple[CompetencyGap, float | None, int, bool]


@dataclass
class CoachingDemo:
    plans: int
    goals: int
    check_ins: int
    series: int
    meetings: int
    actions: int
    communities: int
    sessions: int
    attendances: int
    stories: list[str] = field(default_factory=list)


def build_coaching_demo(org: DemoOrg, seed: int = 7, today: date | None = None) -> CoachingDemo:
    rng = random.Random(seed * 104729 + 29)
    today = today or timezone.localdate()
    loader = getattr(coaching_actions, "do_load_builtin_practices", None)
    with transaction.atomic():
        if callable(loader):
            loader()
        built = _Built()
        user_of: dict[int, int] = dict(
            Person.objects.filter(user__isnull=False).values_list("pk", "user_id")
        )
        for builder in (_PlanBuilder, _OneOnOneBuilder, _CheckInBuilder, _CommunityBuilder):
            builder(org, rng, today, built, user_of).build()
    return _Stories(org, rng, today, built, user_of).result()


def has_coaching_demo() -> bool:
    return Community.objects.filter(name__in=DEMO_COMMUNITIES).exists()


def clear_coaching_demo() -> None:
    """Remove the demo's communities, and the plans and 1:1s of the demo's people."""
    demo_people = Person.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values("pk")
    Community.objects.filter(name__in=DEMO_COMMUNITIES).delete()
    CoachingPlan.objects.filter(person__in=demo_people).delete()
    OneOnOneSeries.objects.filter(Q(lead__in=demo_people) | Q(report__in=demo_people)).delete()


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


@dataclass
class _Built:
    """What the builders have made so far: the later ones and the stories read it."""

    plan_rows: list[CoachingPlan] = field(default_factory=list)
    goals_by_person: dict[int, list[Goal]] = field(default_factory=dict)
    stretch: dict[int, int] = field(default_factory=dict)  # person -> stretch goals added
    source: AssessmentCycle | None = None
    series_rows: list[OneOnOneSeries] = field(default_factory=list)
    # series pk -> its held 1:1s, by date
    held: defaultdict[int, list[OneOnOne]] = field(default_factory=lambda: defaultdict(list))
    meeting_count: int = 0
    action_rows: list[ActionItem] = field(default_factory=list)
    check_in_rows: list[CheckIn] = field(default_factory=list)
    sessions: list[CommunitySession] = field(default_factory=list)
    attendance: list[tuple[CommunitySession, int]] = field(default_factory=list)  # session, person
    facts: dict[str, object] = field(default_factory=dict)


class _Builder:
    """One area of the demo: works out its rows in memory and writes each kind in bulk.

    The builders share one random generator and run in a fixed order (plans, 1:1s,
    check-ins, communities), so a seed always builds the same history.
    """

    def __init__(
        self,
        org: DemoOrg,
        rng: random.Random,
        today: date,
        built: _Built,
        user_of: dict[int, int],
    ) -> None:
        self.org, self.rng, self.today, self.built = org, rng, today, built
        # Talking points, check-ins and plans name the login of their author when the
        # person has one (a rebuilt demo); the random choices never depend on it.
        self.user_of = user_of


class _PlanBuilder(_Builder):
    """Coaching plans drafted from the closed cycle, with their goals."""

    def _source_cycle(self) -> AssessmentCycle | None:
        named = AssessmentCycle.objects.filter(name=CLOSED_CYCLE).select_related("version__model")
        found = named.first()
        if found is not None:
            return found
        answered = cycles_with_answers()
        return answered[-1] if answered else None  # the oldest: plans are months old

    def build(self) -> None:
        cycle = self.built.source = self._source_cycle()
        if cycle is None:
            return
        subjects = Person.objects.filter(
            active=True,
            pk__in=AssessmentRequest.objects.filter(
                cycle__name__in=[CLOSED_CYCLE, OPEN_CYCLE]
            ).values("subject_id"),
        )
        group = load_group_gaps(subjects, cycle)
        drafted = cycle.closed_at.date() if cycle.closed_at else self.today - timedelta(days=130)
        practices = plan_rules.suggested_practices(
            row.key for result in group.results for row in result.rows
        )
        people = {p.pk: p for p in subjects}
        goal_rows: list[tuple[CoachingPlan, list[GoalChoice]]] = []
        for result in sorted(group.results, key=lambda r: r.person.id):
            person = people[result.person.id]
            chosen = self._goals_for(person, result, group.steps)
            if not chosen:
                continue
            plan = CoachingPlan(
                person=person,
                manager_id=person.manager_id,
                created_by_id=self.user_of.get(person.manager_id or 0),
                title=plan_rules.plan_title(person, cycle),
                status=CoachingPlan.Status.ACTIVE,
                source_cycle=cycle,
                model_slug=cycle.version.model.slug,
                created_at=_moment(drafted + timedelta(days=self.rng.randint(3, 9))),
            )
            self.built.plan_rows.append(plan)
            goal_rows.append((plan, chosen))
        # Direct: `do_draft_plan` stamps the plan now; these were drafted months ago.
        CoachingPlan.objects.bulk_create(self.built.plan_rows)
        goals: list[Goal] = []
        for plan, chosen in goal_rows:
            target_date = self.today + timedelta(days=self.rng.randint(60, 90))
            mine = []
            for position, (row, current, target, _) in enumerate(chosen):
                mine.append(
                    Goal(
                        plan=plan,
                        competency_key=row.key,
                        competency_name=row.name,
                        current_step=current,
                        target_step=target,
                        target_date=target_date,
                        position=position,
                    )
                )
            goals += mine
            self.built.goals_by_person[plan.person_id] = mine
        # Direct: `do_add_goal` stamps the goal now and costs several queries a goal.
        Goal.objects.bulk_create(goals)
        links = [
            Goal.practices.through(goal_id=goal.pk, practice_id=practice.pk)
            for goal in goals
            for practice in practices.get(goal.competency_key, [])
        ]
        # Direct: the actions set a goal's practices only with the goal (`do_add_goal`).
        Goal.practices.through.objects.bulk_create(links)

    def _goals_for(
        self, person: Person, result: PersonGaps, steps: Sequence[int]
    ) -> list[GoalChoice]:
        """(row, current, target, stretch): the top gaps, topped up with stretch goals."""
        chosen: list[GoalChoice] = []
        top = list(result.top_gaps)
        if person.pk == self.org.sales_led_pm_id:
            # The story needs the discovery gap among the goals, first.
            discovery = next(
                (row for row in result.rows if "discovery" in row.key and row.gap), None
            )
            if discovery is not None:
                top = [discovery] + [row for row in top if row.key != discovery.key]
        for row in top[:GOALS_PER_PLAN]:
            current = plan_rules.current_step_of(row.consensus)
            target = plan_rules.target_step_for(current, row.expected, steps)
            if target is not None:
                chosen.append((row, current, target, False))
        taken = {row.key for row, *_ in chosen}
        # Closest to (or furthest below) what the level expects first.
        others = sorted(
            (row for row in result.rows if row.key not in taken and row.consensus is not None),
            key=lambda row: ((row.consensus or 0.0) - (row.expected or 0), row.position),
        )
        for row in others:
            if len(chosen) >= GOALS_PER_PLAN:
                break
            current = plan_rules.current_step_of(row.consensus)
            target = plan_rules.target_step_for(current, None, steps)
            if target is not None:
                chosen.append((row, current, target, True))
                self.built.stretch[person.pk] = self.built.stretch.get(person.pk, 0) + 1
        return chosen


class _OneOnOneBuilder(_Builder):
    """1:1 series with their meetings, talking points and actions."""

    def build(self) -> None:
        org, rng = self.org, self.rng
        pm_ids = sorted(self.built.goals_by_person)
        pms = {p.pk: p for p in Person.objects.filter(pk__in=pm_ids)}
        pairs: list[tuple[int, int, str, str, int]] = []  # lead, report, kind, cadence, minutes
        for pk in pm_ids:
            manager = pms[pk].manager_id
            if manager is None:
                continue
            weekly = pk == org.member_pm_id or rng.random() < 0.6
            cadence: str = Cadence.WEEKLY if weekly else Cadence.FORTNIGHTLY
            pairs.append((manager, pk, OneOnOneSeries.Kind.MANAGER, cadence, 30))
        coach = self._coach()
        if coach is not None:
            pairs.append(
                (coach, org.sales_led_pm_id, OneOnOneSeries.Kind.COACH, Cadence.FORTNIGHTLY, 45)
            )
        lapsed_report = self._support_report()
        if lapsed_report is not None:
            pairs.append(
                (
                    org.support_head_id,
                    lapsed_report,
                    OneOnOneSeries.Kind.MANAGER,
                    Cadence.WEEKLY,
                    30,
                )
            )
        seen: set[tuple[int, int]] = set()
        plans: list[tuple[OneOnOneSeries, list[tuple[date, str]]]] = []
        for lead, report, kind, cadence, minutes in pairs:
            if (lead, report) in seen or lead == report:
                continue
            seen.add((lead, report))
            lapsed = lead == org.support_head_id and report == lapsed_report
            dates = self._lapsed_dates() if lapsed else self._dates(cadence)
            series = OneOnOneSeries(
                lead_id=lead,
                report_id=report,
                kind=kind,
                cadence=cadence,
                duration_minutes=minutes,
                start_date=dates[0][0],
                created_at=_moment(dates[0][0] - timedelta(days=2)),
            )
            self.built.series_rows.append(series)
            plans.append((series, dates))
        # Direct: `do_create_series` stamps the series now; these started three months ago.
        OneOnOneSeries.objects.bulk_create(self.built.series_rows)
        meetings: list[OneOnOne] = []
        for series, dates in plans:
            for day, status in dates:
                held = status == OneOnOne.Status.HELD
                meetings.append(
                    OneOnOne(
                        series=series,
                        date=day,
                        status=status,
                        shared_notes=rng.choice(NOTES) if held else "",
                        notes_revision=1 if held else 0,
                        created_at=_moment(day - timedelta(days=7)),
                    )
                )
        # Direct: `do_schedule_one_on_one` stamps each 1:1 now and needs a login (hundreds).
        OneOnOne.objects.bulk_create(meetings)
        self.built.meeting_count = len(meetings)
        points: list[TalkingPoint] = []
        for meeting in meetings:
            if meeting.status == OneOnOne.Status.HELD:
                self.built.held[meeting.series.pk].append(meeting)
                for text in rng.sample(TALKING_POINTS, rng.randint(1, 3)):
                    side = rng.choice((meeting.series.lead_id, meeting.series.report_id))
                    points.append(
                        TalkingPoint(
                            meeting=meeting,
                            author_id=self.user_of.get(side),
                            text=text,
                            discussed=True,
                            created_at=_moment(meeting.date - timedelta(days=1)),
                        )
                    )
            elif meeting.status == OneOnOne.Status.PLANNED:
                sides = (meeting.series.report_id, meeting.series.lead_id)
                for side, text in zip(sides, UPCOMING_POINTS, strict=True):
                    points.append(
                        TalkingPoint(
                            meeting=meeting,
                            author_id=self.user_of.get(side),
                            text=text,
                            created_at=_moment(self.today),
                        )
                    )
        # Direct: `do_add_talking_point` stamps the point now and needs each author's login.
        TalkingPoint.objects.bulk_create(points)
        for series, _ in plans:
            self._actions(series, self.built.held[series.pk])
        # Direct: `do_add_action` stamps the action now; these were raised in past 1:1s.
        ActionItem.objects.bulk_create(self.built.action_rows)
        self.built.facts["lapsed_report"] = lapsed_report
        self.built.facts["coach"] = coach

    def _coach(self) -> int | None:
        """The head of design coaches the PM managed from sales (their manager is in sales)."""
        head = (
            Person.objects.filter(active=True, discipline=Discipline.DESIGN, title="Head of Design")
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        coach = head or self.org.head_of_product_id
        return coach if self.org.sales_led_pm_id in self.built.goals_by_person else None

    def _support_report(self) -> int | None:
        reports = list(
            Person.objects.filter(manager_id=self.org.support_head_id, active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return self.rng.choice(reports) if reports else None

    def _dates(self, cadence: str) -> list[tuple[date, str]]:
        """About three months of 1:1s on one weekday, the next one planned."""
        step = timedelta(days=7 if cadence == Cadence.WEEKLY else 14)
        day = _weekday_on_or_after(
            self.today - timedelta(days=HISTORY_DAYS), self.rng.randint(0, 4)
        )
        past: list[date] = []
        while day <= self.today:
            past.append(day)
            day += step
        dates: list[tuple[date, str]] = []
        for position, when in enumerate(past):
            # Never cancel one of the last two, so only the planted series lapses.
            cancelled = position < len(past) - 2 and self.rng.random() < 0.1
            dates.append((when, OneOnOne.Status.CANCELLED if cancelled else OneOnOne.Status.HELD))
        dates.append((day, OneOnOne.Status.PLANNED))
        return dates

    def _lapsed_dates(self) -> list[tuple[date, str]]:
        """Weekly until about two months ago, a couple cancelled, then nothing."""
        first = self.today - timedelta(days=LAPSE_DAYS + 7 * 8)
        dates: list[tuple[date, str]] = [
            (first + timedelta(days=7 * week), OneOnOne.Status.HELD) for week in range(9)
        ]
        dates += [
            (self.today - timedelta(days=LAPSE_DAYS - 7), OneOnOne.Status.CANCELLED),
            (self.today - timedelta(days=LAPSE_DAYS - 14), OneOnOne.Status.CANCELLED),
        ]
        return dates

    def _actions(self, series: OneOnOneSeries, held: list[OneOnOne]) -> None:
        rng, today = self.rng, self.today
        owners = (series.report_id, series.report_id, series.lead_id)
        pinned = (
            series.report_id == self.org.member_pm_id and series.lead_id == self.org.group_pm_id
        )
        lapsed = series.lead_id == self.org.support_head_id
        for index, meeting in enumerate(held):
            count = 1 if rng.random() < 0.55 else 0
            count += 1 if rng.random() < 0.15 else 0
            if (pinned and index == 0) or (lapsed and index == len(held) - 1):
                count = max(count, 2)
            for _ in range(count):
                due = meeting.date + timedelta(days=rng.choice((7, 10, 14, 21)))
                age = (today - meeting.date).days
                status = self._action_status(age, due)
                if (pinned and index == 0) or (lapsed and index == len(held) - 1):
                    status = ActionItem.Status.OPEN  # carried over, never done
                closed = None
                if status != ActionItem.Status.OPEN:
                    closed = _moment(min(today, meeting.date + timedelta(days=rng.randint(2, 20))))
                self.built.action_rows.append(
                    ActionItem(
                        series=series,
                        raised_in=meeting,
                        owner_id=rng.choice(owners),
                        text=rng.choice(ACTION_TEXTS),
                        due_date=due,
                        status=status,
                        closed_at=closed,
                        created_at=_moment(meeting.date, 11),
                    )
                )

    def _action_status(self, age: int, due: date) -> str:
        roll = self.rng.random()
        if age > CARRIED_OVER_DAYS:
            if roll < 0.7:
                return ActionItem.Status.DONE
            return ActionItem.Status.DROPPED if roll < 0.82 else ActionItem.Status.OPEN
        if due < self.today:
            return ActionItem.Status.DONE if roll < 0.6 else ActionItem.Status.OPEN
        return ActionItem.Status.DONE if roll < 0.3 else ActionItem.Status.OPEN


class _CheckInBuilder(_Builder):
    """Check-ins on the plans' goals, most of them in 1:1s."""

    def build(self) -> None:
        rng = self.rng
        manager_series = {
            s.report_id: s for s in self.built.series_rows if s.kind == OneOnOneSeries.Kind.MANAGER
        }
        for plan in self.built.plan_rows:
            goals = self.built.goals_by_person[plan.person_id]
            series = manager_series.get(plan.person_id)
            held = [
                meeting
                for meeting in (self.built.held.get(series.pk, []) if series is not None else [])
                if meeting.date >= plan.created_at.date()
            ]
            count = rng.randint(1, 6)
            sales_led = plan.person_id == self.org.sales_led_pm_id
            if sales_led:
                count = max(count, 4)
            days = self._check_in_days(held, count, plan.created_at.date())
            for index, (day, meeting) in enumerate(days):
                goal = goals[index % len(goals)]
                status = rng.choices(
                    (CheckIn.Status.ON_TRACK, CheckIn.Status.AT_RISK, CheckIn.Status.OFF_TRACK),
                    weights=(55, 30, 15),
                )[0]
                note = rng.choice(CHECK_IN_NOTES[status])
                self.built.check_in_rows.append(
                    CheckIn(
                        goal=goal,
                        date=day,
                        status=status,
                        note=note,
                        one_on_one=meeting,
                        author_id=self.user_of.get(plan.manager_id or 0),
                        created_at=_moment(day, 12),
                    )
                )
            if sales_led:
                self._sales_led_story(goals, days)
        # Direct: `do_check_in` stamps the check-in now and needs the manager's login.
        CheckIn.objects.bulk_create(self.built.check_in_rows)

    def _check_in_days(
        self, held: list[OneOnOne], count: int, since: date
    ) -> list[tuple[date, OneOnOne | None]]:
        """Most check-ins on held 1:1s, some between them; in date order."""
        rng = self.rng
        picked: list[tuple[date, OneOnOne | None]] = [
            (m.date, m)
            for m in sorted(rng.sample(held, min(count, len(held))), key=lambda m: m.date)
        ]
        span = max(1, (self.today - since).days)
        while len(picked) < count:
            day = since + timedelta(days=rng.randint(1, span))
            picked.append((min(day, self.today), None))
        for position in range(len(picked)):
            if picked[position][1] is not None and rng.random() < 0.2:
                day = picked[position][0]
                picked[position] = (day + timedelta(days=1) if day < self.today else day, None)
        return sorted(picked, key=lambda entry: entry[0])

    def _sales_led_story(self, goals: list[Goal], days: list[tuple[date, OneOnOne | None]]) -> None:
        """The discovery goal's check-ins slide from at risk to off track."""
        discovery = next((g for g in goals if "discovery" in g.competency_key), None)
        if discovery is None:
            return
        mine = [row for row in self.built.check_in_rows if row.goal is discovery]
        if not mine:
            day, meeting = days[-1]
            mine = [
                CheckIn(goal=discovery, date=day, one_on_one=meeting, created_at=_moment(day, 12))
            ]
            self.built.check_in_rows += mine
        for row in mine[:-1]:
            row.status = CheckIn.Status.AT_RISK
            row.note = self.rng.choice(CHECK_IN_NOTES[CheckIn.Status.AT_RISK])
        mine[-1].status = CheckIn.Status.OFF_TRACK
        mine[-1].note = SALES_LED_NOTE
        self.built.facts["sales_led_goal"] = discovery.competency_name


class _CommunityBuilder(_Builder):
    """The discovery guild and the book club, their sessions and attendance."""

    def build(self) -> None:
        org = self.org
        people = list(
            Person.objects.filter(active=True)
            .order_by("pk")
            .values_list("pk", "discipline", "title", "manager_id")
        )
        by_discipline: dict[str, list[int]] = defaultdict(list)
        for pk, discipline, _, _ in people:
            by_discipline[discipline].append(pk)
        head_of_design = next(
            (pk for pk, _, title, _ in people if title == "Head of Design"), org.head_of_product_id
        )
        guild = Community(
            name=GUILD,
            kind=Community.Kind.COMMUNITY,
            description=GUILD_DESCRIPTION,
            organizer_id=org.group_pm_id,
            created_at=_moment(self.today - timedelta(days=COMMUNITY_DAYS + 10)),
        )
        club = Community(
            name=BOOK_CLUB,
            kind=Community.Kind.BOOK_CLUB,
            book=BOOK,
            description=BOOK_CLUB_DESCRIPTION,
            organizer_id=head_of_design,
            created_at=_moment(self.today - timedelta(days=COMMUNITY_DAYS + 5)),
        )
        # Direct: `do_create_community` stamps it now (they started months ago), needs a login.
        Community.objects.bulk_create([guild, club])
        guild_roster = self._roster(
            by_discipline,
            {"product": 8, "design": 5, "engineering": 8, "data": 2, "marketing": 2, "sales": 2,
             "support": 3, "quality": 2, "compliance": 1},
        )  # fmt: skip
        club_roster = self._roster(
            by_discipline,
            {"product": 4, "design": 3, "engineering": 4, "data": 1, "marketing": 2, "sales": 2,
             "support": 2, "quality": 1},
        )  # fmt: skip
        facilitators = [
            org.member_pm_id,
            *by_discipline.get(Discipline.DESIGN, [])[:1],
            *guild_roster.get(Discipline.ENGINEERING, [])[:1],
            *by_discipline.get(Discipline.DATA, [])[:1],
            org.group_pm_id,
        ]
        self._sessions(guild, GUILD_TOPICS, 14, guild_roster, facilitators)
        self._sessions(club, BOOK_TOPICS, 17, club_roster, [head_of_design])
        # Direct, sessions and attendance: `do_add_session` and `do_set_attendance` need an
        # admin or manager login, which the coaching demo may be built without (as in tests).
        CommunitySession.objects.bulk_create(self.built.sessions)
        Attendance.objects.bulk_create(
            Attendance(session_id=session.pk, person_id=person_id)
            for session, person_id in self.built.attendance
        )
        self.built.facts["discipline_of"] = {pk: discipline for pk, discipline, _, _ in people}
        self.built.facts["communities"] = [guild, club]

    def _roster(
        self, by_discipline: dict[str, list[int]], sizes: dict[str, int]
    ) -> dict[str, list[int]]:
        roster = {}
        for discipline, size in sizes.items():
            pool = by_discipline.get(discipline, [])
            if discipline == Discipline.PRODUCT:
                pool = [pk for pk in pool if pk != self.org.head_of_product_id]
            roster[discipline] = sorted(self.rng.sample(pool, min(size, len(pool))))
        return roster

    def _sessions(
        self,
        community: Community,
        topics: tuple[str, ...],
        every: int,
        roster: dict[str, list[int]],
        facilitators: list[int],
    ) -> None:
        """Sessions over the last four months; outside product, more come each time."""
        rng = self.rng
        last = self.today - timedelta(days=rng.randint(2, 6))
        dates = sorted(last - timedelta(days=every * n) for n in range(len(topics)))
        for position, (day, topic) in enumerate(zip(dates, topics, strict=True)):
            facilitator = facilitators[position % len(facilitators)]
            session = CommunitySession(
                community=community, date=day, topic=topic, facilitator_id=facilitator
            )
            self.built.sessions.append(session)
            progress = position / max(1, len(topics) - 1)
            came = {facilitator}
            for discipline, members in roster.items():
                chance = 0.75 if discipline == Discipline.PRODUCT else 0.3 + 0.45 * progress
                came |= {pk for pk in members if rng.random() < chance}
            self.built.attendance += [(session, pk) for pk in sorted(came)]


class _Stories(_Builder):
    """The counts and the stories printed after the build."""

    def result(self) -> CoachingDemo:
        return CoachingDemo(
            plans=len(self.built.plan_rows),
            goals=sum(len(goals) for goals in self.built.goals_by_person.values()),
            check_ins=len(self.built.check_in_rows),
            series=len(self.built.series_rows),
            meetings=self.built.meeting_count,
            actions=len(self.built.action_rows),
            communities=len(self.built.facts.get("communities", [])),  # type: ignore[arg-type]
            sessions=len(self.built.sessions),
            attendances=len(self.built.attendance),
            stories=self.stories(),
        )

    def stories(self) -> list[str]:
        org, today = self.org, self.today
        names = dict(
            Person.objects.filter(
                pk__in=[
                    org.support_head_id,
                    self.built.facts.get("lapsed_report") or org.support_head_id,
                    self.built.facts.get("coach") or org.head_of_product_id,
                ]
            ).values_list("pk", "name")
        )
        stories = []
        if self.built.plan_rows and self.built.source is not None:
            in_1on1s = sum(1 for row in self.built.check_in_rows if row.one_on_one is not None)
            stories.append(
                f"{len(self.built.plan_rows)} PMs have an active coaching plan drafted from the "
                f"{self.built.source.name} gaps; {len(self.built.check_in_rows)} check-ins since, "
                f"{in_1on1s} of them recorded in 1:1s."
            )
        stretched = self.built.stretch.get(org.member_pm_id)
        if stretched and self.built.source is not None:
            goals = "goals" if stretched > 1 else "goal"
            stories.append(
                f"{org.member_pm_name} had few gaps in {self.built.source.name}, so their plan adds "
                f"{stretched} stretch {goals} a step above where others see them."
            )
        if "sales_led_goal" in self.built.facts:
            coach = cast("int | None", self.built.facts.get("coach"))
            coached = f"; {names.get(coach, '')} coaches them fortnightly" if coach else ""
            stories.append(
                f"{org.sales_led_pm_name} (managed from sales) is off track on their "
                f"{self.built.facts['sales_led_goal']} goal{coached}."
            )
        upcoming = next(
            (
                series
                for series in self.built.series_rows
                if series.lead_id == org.group_pm_id and series.report_id == org.member_pm_id
            ),
            None,
        )
        if upcoming is not None:
            planned = OneOnOne.objects.filter(
                series=upcoming, status=OneOnOne.Status.PLANNED
            ).values_list("date", flat=True)
            carried = sum(
                1
                for a in self.built.action_rows
                if a.series is upcoming
                and a.status == ActionItem.Status.OPEN
                and a.raised_in is not None
                and (today - a.raised_in.date).days > CARRIED_OVER_DAYS
            )
            stories.append(
                f"{org.group_pm_name} and {org.member_pm_name} meet weekly; their next 1:1 is "
                f"on {planned[0]:%Y-%m-%d}, with talking points added and {carried} actions "
                "carried over for more than a month."
            )
        lapsed = cast("int | None", self.built.facts.get("lapsed_report"))
        if lapsed is not None:
            stories.append(
                f"{names[org.support_head_id]}'s 1:1s with {names[lapsed]} have lapsed: none held "
                f"for {LAPSE_DAYS} days, with {org.support_head_reports} direct reports to meet."
            )
        old_open = [
            a
            for a in self.built.action_rows
            if a.status == ActionItem.Status.OPEN
            and a.raised_in is not None
            and (today - a.raised_in.date).days > CARRIED_OVER_DAYS
        ]
        overdue = [
            a for a in self.built.action_rows if a.is_open and a.due_date and a.due_date < today
        ]
        if old_open:
            stories.append(
                f"{len(old_open)} action items raised in 1:1s more than {CARRIED_OVER_DAYS} days "
                f"ago are still open; {len(overdue)} actions are overdue."
            )
        stories += self._community_story()
        return stories

    def _community_story(self) -> list[str]:
        communities = self.built.facts.get("communities")
        if not communities:
            return []
        discipline_of: dict[int, str] = self.built.facts["discipline_of"]  # type: ignore[assignment]
        sessions = [SessionFact(s.pk, s.community_id, s.date) for s in self.built.sessions]
        attendance = [
            AttendanceFact(session.pk, person_id, discipline_of[person_id])
            for session, person_id in self.built.attendance
        ]
        facts = [CommunityFact(c.pk, c.name, c.kind) for c in communities]  # type: ignore[attr-defined]
        report = participation_report(sessions, attendance, facts, Period.last(90, self.today))
        half = COMMUNITY_DAYS // 2
        early = participation_report(
            sessions,
            attendance,
            facts,
            Period(self.today - timedelta(days=COMMUNITY_DAYS), self.today - timedelta(days=half)),
        )
        late = participation_report(sessions, attendance, facts, Period.last(half, self.today))
        story = (
            f"The {GUILD} and the {BOOK_CLUB} (reading {BOOK}): {report.participants} people "
            f"from {report.disciplines_taking_part} disciplines took part in the last 90 days, "
            f"{report.outside_product_percent}% of them from outside product"
        )
        before, lately = early.outside_product_percent, late.outside_product_percent
        if before is not None and lately is not None and lately > before:
            story += f", up from {before}% two months before"
        return [story + "."]
