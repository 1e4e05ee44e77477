"""The coaching demo tells the stories it promises, on top of the org and competency demos."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, Q
from django.test import TestCase
from django.utils import timezone

from productops.coaching.models import (
    ActionItem,
    CheckIn,
    CoachingPlan,
    Community,
    Goal,
    OneOnOne,
    OneOnOneSeries,
    Practice,
)
from productops.coaching.participation import Period, load_participation
from productops.competencies.models import AssessmentRequest
from productops.demo.coaching import (
    BOOK_CLUB,
    GUILD,
    build_coaching_demo,
    clear_coaching_demo,
    has_coaching_demo,
)
from productops.demo.competencies import CLOSED_CYCLE, build_competency_demo
from productops.demo.org import build_demo_org

HELD = OneOnOne.Status.HELD


def signature() -> dict[str, list]:
    """What the demo wrote, by names and dates rather than ids."""
    return {
        "goals": list(
            Goal.objects.order_by("plan__person__email", "position").values_list(
                "plan__person__email",
                "competency_key",
                "current_step",
                "target_step",
                "target_date",
            )
        ),
        "practices": sorted(
            Goal.practices.through.objects.values_list(
                "goal__plan__person__email", "practice__title"
            )
        ),
        "check_ins": sorted(
            CheckIn.objects.values_list("goal__plan__person__email", "date", "status", "note")
        ),
        "meetings": sorted(
            OneOnOne.objects.values_list(
                "series__lead__email", "series__report__email", "date", "status"
            )
        ),
        "actions": sorted(
            ActionItem.objects.values_list("series__report__email", "text", "due_date", "status")
        ),
        "attendance": sorted(
            Community.objects.values_list(
                "name", "sessions__date", "sessions__topic", "sessions__attendance__person__email"
            )
        ),
    }


class CoachingDemoStories(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.today = timezone.localdate()
        cls.org = build_demo_org(150, 7)
        build_competency_demo(cls.org, 7)
        cls.demo = build_coaching_demo(cls.org, 7)

    def test_every_assessed_pm_has_an_active_plan_with_three_goals(self) -> None:
        assessed = set(AssessmentRequest.objects.values_list("subject_id", flat=True))
        plans = CoachingPlan.objects.filter(status=CoachingPlan.Status.ACTIVE)
        self.assertEqual(set(plans.values_list("person_id", flat=True)), assessed)
        self.assertEqual(self.demo.plans, len(assessed))
        for plan in plans.prefetch_related("goals"):
            goals = list(plan.goals.all())
            self.assertEqual(len(goals), 3, plan.title)
            self.assertEqual(plan.source_cycle.name, CLOSED_CYCLE)
            self.assertEqual(plan.manager_id, plan.person.manager_id)
            for goal in goals:
                self.assertGreater(goal.target_step, goal.current_step)
                self.assertTrue(60 <= (goal.target_date - self.today).days <= 90)

    def test_goals_come_from_the_gaps_with_suggested_practices(self) -> None:
        from productops.competencies.gap_data import load_person_gaps
        from productops.competencies.models import AssessmentCycle

        cycle = AssessmentCycle.objects.get(name=CLOSED_CYCLE)
        plan = CoachingPlan.objects.get(person_id=self.org.spread_pm_id)
        gaps = load_person_gaps(plan.person, cycle)
        self.assertEqual(len(gaps.top_gaps), 3)
        self.assertEqual(
            list(plan.goals.values_list("competency_key", flat=True)),
            [row.key for row in gaps.top_gaps],
        )
        first = plan.goals.first()
        self.assertEqual(first.current_step, round(gaps.top_gaps[0].consensus, 1))
        self.assertGreaterEqual(first.target_step, gaps.top_gaps[0].expected)
        if Practice.objects.exists():
            self.assertTrue(1 <= first.practices.count() <= 3)
            self.assertEqual(
                set(first.practices.values_list("competency_key", flat=True)),
                {first.competency_key},
            )

    def test_check_ins_over_the_last_months_many_recorded_in_one_on_ones(self) -> None:
        for plan in CoachingPlan.objects.all():
            n = CheckIn.objects.filter(goal__plan=plan).count()
            self.assertTrue(1 <= n <= 6, (plan.title, n))
        statuses = set(CheckIn.objects.values_list("status", flat=True))
        self.assertEqual(statuses, set(CheckIn.Status.values))
        in_1on1s = CheckIn.objects.filter(one_on_one__isnull=False).select_related("one_on_one")
        self.assertGreater(in_1on1s.count(), CheckIn.objects.count() // 3)
        for check_in in in_1on1s:
            self.assertEqual(check_in.one_on_one.status, HELD)
            self.assertEqual(check_in.one_on_one.series.report_id, check_in.goal.plan.person_id)
        self.assertFalse(CheckIn.objects.filter(date__gt=self.today).exists())

    def test_the_pm_managed_from_sales_is_off_track_on_discovery_and_has_a_coach(self) -> None:
        discovery = Goal.objects.get(
            plan__person_id=self.org.sales_led_pm_id, competency_key__contains="discovery"
        )
        latest = discovery.check_ins.order_by("-date", "-created_at").first()
        self.assertEqual(latest.status, CheckIn.Status.OFF_TRACK)
        coach = OneOnOneSeries.objects.get(
            report_id=self.org.sales_led_pm_id, kind=OneOnOneSeries.Kind.COACH
        )
        self.assertIn(coach.lead.discipline, ("design", "product"))
        self.assertNotEqual(coach.lead_id, self.org.sales_leader_id)

    def test_each_pm_meets_their_manager_and_the_logins_have_a_1on1_coming_up(self) -> None:
        for plan in CoachingPlan.objects.select_related("person"):
            series = OneOnOneSeries.objects.get(lead_id=plan.person.manager_id, report=plan.person)
            self.assertIn(series.cadence, ("weekly", "fortnightly"))
            self.assertEqual(series.duration_minutes, 30)
            held = series.meetings.filter(status=HELD)
            self.assertGreaterEqual(held.count(), 5)
            self.assertTrue(held.exclude(shared_notes="").exists())
        logins = OneOnOneSeries.objects.get(
            lead_id=self.org.group_pm_id, report_id=self.org.member_pm_id
        )
        upcoming = logins.meetings.get(status=OneOnOne.Status.PLANNED)
        self.assertTrue(self.today < upcoming.date <= self.today + timedelta(days=7))
        self.assertTrue(upcoming.talking_points.exists())

    def test_exactly_one_series_has_lapsed_the_support_heads(self) -> None:
        cutoff = self.today - timedelta(days=42)
        last_held = OneOnOneSeries.objects.annotate(
            last=Max("meetings__date", filter=Q(meetings__status=HELD))
        )
        lapsed = [series for series in last_held if series.last is None or series.last < cutoff]
        self.assertEqual(len(lapsed), 1)
        self.assertEqual(lapsed[0].lead_id, self.org.support_head_id)
        self.assertEqual(lapsed[0].report.manager_id, self.org.support_head_id)
        self.assertTrue(lapsed[0].actions.filter(status=ActionItem.Status.OPEN).exists())

    def test_actions_done_carried_over_and_overdue(self) -> None:
        actions = ActionItem.objects.select_related("raised_in")
        self.assertTrue(
            actions.filter(status=ActionItem.Status.DONE, closed_at__isnull=False).exists()
        )
        carried = [
            a
            for a in actions.filter(status=ActionItem.Status.OPEN)
            if (self.today - a.raised_in.date).days > 30
        ]
        self.assertGreaterEqual(len(carried), 3)
        self.assertTrue(any(a.is_overdue for a in carried))
        logins = [
            a
            for a in carried
            if a.series.lead_id == self.org.group_pm_id
            and a.series.report_id == self.org.member_pm_id
        ]
        self.assertTrue(logins)
        self.assertFalse(
            actions.filter(status=ActionItem.Status.OPEN, closed_at__isnull=False).exists()
        )

    def test_the_guild_and_book_club_spread_beyond_product(self) -> None:
        guild = Community.objects.get(name=GUILD)
        club = Community.objects.get(name=BOOK_CLUB, kind=Community.Kind.BOOK_CLUB)
        self.assertTrue(club.book)
        for community in (guild, club):
            sessions = community.sessions.all()
            self.assertTrue(6 <= sessions.count() <= 10)
            self.assertTrue(
                all(self.today - timedelta(days=125) <= s.date <= self.today for s in sessions)
            )
        report = load_participation(Period.last(120, self.today))
        self.assertGreaterEqual(report.disciplines_taking_part, 4)
        self.assertGreater(report.outside_product_share, 0.5)
        taking_part = {row.discipline for row in report.disciplines if row.people}
        self.assertTrue({"product", "design", "engineering", "sales"} <= taking_part)

    def test_the_stories_name_the_planted_people(self) -> None:
        text = "\n".join(self.demo.stories)
        self.assertIn(self.org.sales_led_pm_name, text)
        self.assertIn(self.org.member_pm_name, text)
        self.assertIn("lapsed", text)
        self.assertIn("outside product", text)
        self.assertTrue(has_coaching_demo())

    def test_the_same_seed_builds_the_same_coaching_history(self) -> None:
        first = signature()
        self.assertGreater(len(first["attendance"]), 50)
        clear_coaching_demo()
        self.assertFalse(has_coaching_demo())
        self.assertFalse(CoachingPlan.objects.exists() or OneOnOneSeries.objects.exists())
        again = build_coaching_demo(self.org, 7, today=self.today)
        self.assertEqual(signature(), first)
        self.assertEqual(again.stories, self.demo.stories)
