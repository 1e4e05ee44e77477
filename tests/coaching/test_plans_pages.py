"""Marco works on Priya's plan in the browser: drafts it, edits goals, checks in with htmx.
And what the list and plan pages cost, however many goals and check-ins there are."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from productops.accounts.actions import do_create_token
from productops.coaching.actions import (
    do_draft_plan,
    do_set_goal_status,
    do_set_plan_status,
)
from productops.coaching.models import CheckIn, CoachingPlan, Goal
from productops.org.models import Discipline, Person
from tests.coaching.plan_story import add_autumn, build_plan_story


class WorkingOnAPlan(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_plan_story()
        cls.cast = cls.story.cast

    def setUp(self) -> None:
        self.client.force_login(self.cast.marco_user)

    def draft_and_activate(self) -> CoachingPlan:
        plan = do_draft_plan(self.cast.marco_user, self.cast.priya)
        do_set_plan_status(self.cast.marco_user, plan, CoachingPlan.Status.ACTIVE)
        return plan

    def test_drafting_from_the_person_opens_the_draft(self) -> None:
        response = self.client.post(
            reverse("coaching:plan_draft"), {"person": self.cast.priya.pk}, follow=True
        )
        plan = CoachingPlan.objects.get(person=self.cast.priya)
        self.assertRedirects(response, reverse("coaching:plan_detail", args=[plan.pk]))
        self.assertContains(response, "Drafted a plan for Priya PM with 3 goals.")
        self.assertContains(response, "This plan is a draft.")
        for name in ("Discovery", "Communication", "Strategy"):
            self.assertContains(response, f"<h3>{name}</h3>", html=True)
        self.assertContains(response, "step 1.3 → 4")
        self.assertContains(response, "Shadow a researcher")
        self.assertContains(response, "Activate the plan")

    def test_drafting_with_no_gaps_says_so(self) -> None:
        response = self.client.post(
            reverse("coaching:plan_draft"), {"person": self.cast.paul.pk}, follow=True
        )
        self.assertContains(response, "Paul PM has no submitted assessment yet")
        self.assertContains(response, "No open goals. Add one below.")
        self.assertContains(response, "Add the goal")

    def test_drafting_twice_leads_back_to_the_plan_in_progress(self) -> None:
        plan = do_draft_plan(self.cast.marco_user, self.cast.priya)
        response = self.client.post(
            reverse("coaching:plan_draft"), {"person": self.cast.priya.pk}, follow=True
        )
        self.assertRedirects(response, reverse("coaching:plan_detail", args=[plan.pk]))
        self.assertContains(response, "Priya PM already has a draft plan")

    def test_drafting_needs_a_real_person(self) -> None:
        for value in ("", "abc", "99999", "9" * 30, "-1"):
            response = self.client.post(reverse("coaching:plan_draft"), {"person": value})
            self.assertEqual(response.status_code, 404, value)
        self.assertEqual(self.client.get(reverse("coaching:plan_draft")).status_code, 405)

    def test_a_check_in_with_htmx_swaps_in_the_history(self) -> None:
        plan = self.draft_and_activate()
        goal = plan.goals.get(competency_key="discovery")
        prefix = f"check-in-{goal.pk}"
        response = self.client.post(
            reverse("coaching:check_in", args=[goal.pk]),
            {
                f"{prefix}-date": timezone.localdate(),
                f"{prefix}-status": "at_risk",
                f"{prefix}-note": "No interviews booked yet",
            },
            HTTP_HX_REQUEST="true",
        )
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertNotIn("<html", body)
        self.assertIn(f'id="goal-{goal.pk}-check-ins"', body)
        self.assertIn("Check-in saved.", body)
        self.assertIn("No interviews booked yet", body)
        self.assertIn("plan-badge-at_risk", body)
        self.assertIn("<svg", body)  # the strip
        self.assertEqual(goal.check_ins.get().author, self.cast.marco_user)

    def test_a_refused_check_in_with_htmx_shows_the_sentence(self) -> None:
        plan = self.draft_and_activate()
        goal = do_set_goal_status(
            self.cast.marco_user, plan.goals.get(competency_key="discovery"), "achieved"
        )
        prefix = f"check-in-{goal.pk}"
        response = self.client.post(
            reverse("coaching:check_in", args=[goal.pk]),
            {f"{prefix}-date": timezone.localdate(), f"{prefix}-status": "on_track"},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "This goal is achieved; reopen it before checking in.")
        self.assertFalse(CheckIn.objects.exists())

    def test_bad_check_in_input_is_explained(self) -> None:
        plan = self.draft_and_activate()
        goal = plan.goals.first()
        prefix = f"check-in-{goal.pk}"
        response = self.client.post(
            reverse("coaching:check_in", args=[goal.pk]),
            {f"{prefix}-date": "not a date", f"{prefix}-status": "great"},
            HTTP_HX_REQUEST="true",
        )
        self.assertContains(response, "Date: Enter a valid date.")
        self.assertContains(response, "Status: Select a valid choice.")
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = self.client.post(
            reverse("coaching:check_in", args=[goal.pk]),
            {f"{prefix}-date": tomorrow, f"{prefix}-status": "on_track"},
            follow=True,
        )
        self.assertContains(response, "cannot be dated in the future")
        self.assertFalse(CheckIn.objects.exists())

    def test_a_check_in_without_htmx_goes_back_to_the_plan(self) -> None:
        plan = self.draft_and_activate()
        goal = plan.goals.first()
        prefix = f"check-in-{goal.pk}"
        response = self.client.post(
            reverse("coaching:check_in", args=[goal.pk]),
            {f"{prefix}-date": timezone.localdate(), f"{prefix}-status": "on_track"},
        )
        self.assertRedirects(
            response, reverse("coaching:plan_detail", args=[plan.pk]) + f"#goal-{goal.pk}"
        )
        self.assertEqual(goal.check_ins.count(), 1)

    def test_swap_add_update_and_drop_from_the_page(self) -> None:
        plan = do_draft_plan(self.cast.marco_user, self.cast.priya)
        strategy = plan.goals.get(competency_key="strategy")
        self.client.post(
            reverse("coaching:goal_swap", args=[strategy.pk]),
            {f"swap-{strategy.pk}-competency": "analytics"},
        )
        strategy.refresh_from_db()
        self.assertEqual(strategy.competency_key, "analytics")

        response = self.client.post(
            reverse("coaching:goal_add", args=[plan.pk]),
            {"competency": "delivery", "target_step": "", "target_date": ""},
            follow=True,
        )
        self.assertContains(response, "Added the goal Delivery.")
        delivery = plan.goals.get(competency_key="delivery")
        self.assertEqual(delivery.target_step, 4)

        when = timezone.localdate() + dt.timedelta(days=20)
        self.client.post(
            reverse("coaching:goal_update", args=[delivery.pk]),
            {
                f"goal-{delivery.pk}-target_step": "5",
                f"goal-{delivery.pk}-target_date": when,
                f"goal-{delivery.pk}-custom_practice": "Pair with the delivery lead",
            },
        )
        delivery.refresh_from_db()
        self.assertEqual((delivery.target_step, delivery.target_date), (5, when))

        response = self.client.post(
            reverse("coaching:goal_status", args=[delivery.pk]), {"status": "dropped"}, follow=True
        )
        self.assertContains(response, "Delivery is now dropped.")
        self.assertContains(response, "<h2>History</h2>", html=True)
        self.assertEqual(plan.goals.get(pk=delivery.pk).status, Goal.Status.DROPPED)

    def test_bad_goal_input_comes_back_as_messages(self) -> None:
        plan = do_draft_plan(self.cast.marco_user, self.cast.priya)
        discovery = plan.goals.get(competency_key="discovery")
        response = self.client.post(
            reverse("coaching:goal_add", args=[plan.pk]),
            {"competency": "discovery"},
            follow=True,
        )
        self.assertContains(response, "Competency: Select a valid choice.")
        response = self.client.post(
            reverse("coaching:goal_update", args=[discovery.pk]),
            {f"goal-{discovery.pk}-target_step": "1", f"goal-{discovery.pk}-target_date": "x"},
            follow=True,
        )
        self.assertContains(response, "Target step: Select a valid choice.")
        self.assertEqual(
            self.client.post(reverse("coaching:goal_update", args=[999])).status_code, 404
        )

    def test_coaches_are_named_by_login_and_removed(self) -> None:
        plan = do_draft_plan(self.cast.marco_user, self.cast.priya)
        url = reverse("coaching:plan_coaches", args=[plan.pk])
        response = self.client.post(url, {"username": "nobody"}, follow=True)
        self.assertContains(response, "No login is named “nobody”")
        response = self.client.post(url, {"username": "priya"}, follow=True)
        self.assertContains(response, "is Priya PM&#x27;s own login")
        response = self.client.post(url, {"username": "cora"}, follow=True)
        self.assertContains(response, "cora now coaches this plan")
        self.assertEqual(list(plan.coaches.all()), [self.story.cora_user])
        response = self.client.post(url, {"remove": self.story.cora_user.pk}, follow=True)
        self.assertContains(response, "cora no longer coaches this plan")
        self.assertFalse(plan.coaches.exists())

    def test_activate_and_close_from_the_page(self) -> None:
        plan = do_draft_plan(self.cast.marco_user, self.cast.priya)
        url = reverse("coaching:plan_status", args=[plan.pk])
        response = self.client.post(url, {"status": "active"}, follow=True)
        self.assertContains(response, "The plan is now active.")
        self.assertContains(response, "Check in")
        response = self.client.post(url, {"status": "draft"}, follow=True)
        self.assertContains(response, "does not go back to draft")
        response = self.client.post(url, {"status": "closed"}, follow=True)
        self.assertContains(response, "This plan is closed")
        self.assertNotContains(response, "Add the goal")

    def test_the_gap_outcome_shows_on_each_goal(self) -> None:
        plan = self.draft_and_activate()
        add_autumn(self.story)
        response = self.client.get(reverse("coaching:plan_detail", args=[plan.pk]))
        self.assertContains(response, "measured against Autumn")
        self.assertContains(response, "<strong>Gap closed</strong>", html=True)
        self.assertContains(response, "<strong>Gap narrowed</strong>", html=True)
        self.assertContains(response, "<strong>Gap unchanged</strong>", html=True)

    def test_the_list_filters_by_status(self) -> None:
        active = self.draft_and_activate()
        draft = do_draft_plan(self.cast.marco_user, self.cast.paul)
        url = reverse("coaching:plans")

        def listed(**query):
            return [p.pk for p in self.client.get(url, query).context["page"].object_list]

        self.assertEqual(listed(), [active.pk, draft.pk])  # active plans first
        self.assertEqual(listed(status="draft"), [draft.pk])
        self.assertEqual(listed(status="closed"), [])
        self.assertContains(self.client.get(url, {"status": "closed"}), "No closed plans")
        self.assertEqual(listed(status="bogus"), [active.pk, draft.pk])

    def test_a_member_without_a_plan_is_told_what_happens_next(self) -> None:
        self.client.force_login(self.cast.paul_user)
        response = self.client.get(reverse("coaching:plans"))
        self.assertContains(response, "Your own plan appears here once your manager drafts it")
        self.assertNotContains(response, "Draft from their gaps")


class PlanPageCost(TestCase):
    """The list, the plan page and the API cost the same for 2 plans as for 30, and for a
    plan with 3 goals as for one with 12 goals and 10 check-ins each."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_plan_story()
        cls.cast = cls.story.cast
        cls.token = do_create_token(cls.cast.hana_user, "cost")[1]
        add_autumn(cls.story)

    def build(self, plans: int, goals: int, check_ins: int) -> CoachingPlan:
        CoachingPlan.objects.all().delete()
        Person.objects.filter(email__endswith="@cost.test").delete()
        people = [self.cast.priya] + Person.objects.bulk_create(
            Person(
                name=f"Cost {i:03}",
                email=f"c{i}@cost.test",
                discipline=Discipline.PRODUCT,
                manager=self.cast.marco,
            )
            for i in range(plans - 1)
        )
        made = CoachingPlan.objects.bulk_create(
            CoachingPlan(
                person=person,
                manager=self.cast.marco,
                title=f"Plan for {person.name}",
                status=CoachingPlan.Status.ACTIVE,
                source_cycle=self.story.spring,
                model_slug="plan-model",
            )
            for person in people
        )
        keys = ["discovery", "delivery", "strategy", "communication", "analytics"]
        today = timezone.localdate()
        all_goals = Goal.objects.bulk_create(
            Goal(
                plan=plan,
                competency_key=keys[i % len(keys)],
                competency_name=keys[i % len(keys)].title(),
                current_step=1.0,
                target_step=3,
                target_date=today + dt.timedelta(days=30 + i),
                position=i,
                status=Goal.Status.OPEN if i % 4 else Goal.Status.DROPPED,
            )
            for plan in made
            for i in range(goals)
        )
        practices = list(self.story.practices.values())
        for goal in all_goals:
            goal.practices.set(practices[:2])
        CheckIn.objects.bulk_create(
            CheckIn(
                goal=goal,
                date=today - dt.timedelta(days=j),
                status=("on_track", "at_risk", "off_track")[j % 3],
                note=f"Note {j}",
                author=self.cast.marco_user,
            )
            for goal in all_goals
            for j in range(check_ins)
        )
        return made[0]

    def costs(self, plan: CoachingPlan) -> dict[str, int]:
        self.client.force_login(self.cast.hana_user)
        urls = {
            "list": reverse("coaching:plans"),
            "page": reverse("coaching:plan_detail", args=[plan.pk]),
        }
        counts = {}
        for name, url in urls.items():
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(url)
            self.assertEqual(response.status_code, 200, name)
            counts[name] = len(ctx.captured_queries)
        self.client.logout()
        # a token's last use is written at most once a minute: use it once before measuring
        self.client.get("/api/coaching/plans", HTTP_AUTHORIZATION=f"Bearer {self.token}")
        for name, path in {"api list": "/plans", "api detail": f"/plans/{plan.pk}"}.items():
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(
                    f"/api/coaching{path}", HTTP_AUTHORIZATION=f"Bearer {self.token}"
                )
            self.assertEqual(response.status_code, 200, name)
            counts[name] = len(ctx.captured_queries)
        return counts

    def test_query_counts_do_not_grow_with_plans_goals_or_check_ins(self) -> None:
        small = self.costs(self.build(plans=2, goals=3, check_ins=1))
        large = self.costs(self.build(plans=30, goals=12, check_ins=10))
        self.assertEqual(large, small)

    def test_the_large_plan_page_shows_every_goal(self) -> None:
        plan = self.build(plans=1, goals=12, check_ins=10)
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(reverse("coaching:plan_detail", args=[plan.pk]))
        self.assertEqual(
            len(response.context["open_rows"]) + len(response.context["closed_rows"]), 12
        )
        self.assertEqual(response.content.decode().count('class="plan-badge plan-badge-'), 120 + 3)
