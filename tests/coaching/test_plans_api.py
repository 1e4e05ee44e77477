"""Marco runs Priya's plan from a script: the plans API with a personal access token."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from productops.accounts.actions import do_create_token
from productops.coaching.models import CheckIn, CoachingPlan, Goal
from tests.coaching.plan_story import add_autumn, build_plan_story


class PlansApi(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_plan_story()
        cls.cast = cls.story.cast
        cls.token = do_create_token(cls.cast.marco_user, "marco script")[1]

    def call(self, method: str, path: str, body: dict | None = None, **query):
        kwargs: dict = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        elif query:
            kwargs["data"] = query
        return getattr(self.client, method)(f"/api/coaching{path}", **kwargs)

    def draft(self, person=None) -> dict:
        response = self.call("post", "/plans", {"person_id": (person or self.cast.priya).pk})
        self.assertEqual(response.status_code, 201, response.content)
        return response.json()

    def test_drafting_returns_the_plan_with_its_goals(self) -> None:
        plan = self.draft()
        self.assertEqual(plan["status"], "draft")
        self.assertEqual(plan["person"], {"id": self.cast.priya.pk, "name": "Priya PM"})
        self.assertEqual(plan["source_cycle"]["name"], "Spring")
        self.assertEqual(plan["model"], "plan-model")
        self.assertEqual((plan["goal_total"], plan["open_goals"]), (3, 3))
        goals = plan["goals"]
        self.assertEqual(
            [(g["competency_key"], g["current_step"], g["target_step"]) for g in goals],
            [("discovery", 1.3, 4), ("communication", 1.0, 3), ("strategy", 2.0, 3)],
        )
        self.assertEqual(
            [p["title"] for p in goals[0]["practices"]],
            ["Shadow a researcher", "Share interview notes", "Read a discovery book"],
        )
        self.assertEqual(goals[0]["practices"][0]["kind"], "shadowing")
        self.assertIsNone(goals[0]["outcome"])  # a draft measures nothing yet
        self.assertEqual(plan["notes"], [])

    def test_drafting_without_gaps_explains_in_the_notes(self) -> None:
        plan = self.draft(self.cast.paul)
        self.assertEqual(plan["goals"], [])
        self.assertIn("no submitted assessment yet", plan["notes"][0])

    def test_drafting_refusals_are_sentences(self) -> None:
        self.draft()
        again = self.call("post", "/plans", {"person_id": self.cast.priya.pk})
        self.assertEqual(again.status_code, 422)
        self.assertIn("already has a draft plan", again.json()["detail"])
        unknown = self.call("post", "/plans", {"person_id": self.cast.paul.pk, "cycle_id": 9999})
        self.assertEqual(unknown.status_code, 422)
        self.assertEqual(unknown.json()["detail"], "No assessment cycle has the id 9999.")
        self.assertEqual(self.call("post", "/plans", {"person_id": 9999}).status_code, 404)
        self.assertEqual(self.call("post", "/plans", {"person_id": 10**30}).status_code, 404)
        self.assertEqual(self.call("get", f"/plans/{10**30}").status_code, 404)
        self.assertEqual(self.call("post", "/plans", {"person": "Priya"}).status_code, 422)

    def test_goals_are_added_swapped_updated_and_dropped(self) -> None:
        plan = self.draft()
        goal_ids = {g["competency_key"]: g["id"] for g in plan["goals"]}

        added = self.call("post", f"/plans/{plan['id']}/goals", {"competency_key": "delivery"})
        self.assertEqual(added.status_code, 201)
        self.assertEqual((added.json()["current_step"], added.json()["target_step"]), (3.0, 4))

        swapped = self.call(
            "post", f"/goals/{goal_ids['strategy']}/swap", {"competency_key": "analytics"}
        )
        self.assertEqual(swapped.json()["competency_key"], "analytics")

        when = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
        updated = self.call(
            "patch",
            f"/goals/{goal_ids['communication']}",
            {"target_step": 4, "target_date": when, "practice_ids": []},
        )
        self.assertEqual(updated.status_code, 200)
        self.assertEqual(
            (
                updated.json()["target_step"],
                updated.json()["target_date"],
                updated.json()["practices"],
            ),
            (4, when, []),
        )
        too_low = self.call("patch", f"/goals/{goal_ids['communication']}", {"target_step": 1})
        self.assertEqual(too_low.status_code, 422)
        self.assertIn("above the current step (1)", too_low.json()["detail"])

        dropped = self.call("post", f"/goals/{goal_ids['discovery']}/drop")
        self.assertEqual(dropped.json()["status"], "dropped")
        detail = self.call("get", f"/plans/{plan['id']}").json()
        self.assertEqual(
            [(g["competency_key"], g["status"]) for g in detail["goals"]],
            [
                ("communication", "open"),
                ("analytics", "open"),
                ("delivery", "open"),
                ("discovery", "dropped"),  # history comes after the open goals
            ],
        )
        reopened = self.call("post", f"/goals/{goal_ids['discovery']}/status", {"status": "reopen"})
        self.assertEqual(reopened.json()["status"], "open")

    def test_check_ins_and_the_refusal_on_a_closed_goal(self) -> None:
        plan = self.draft()
        self.call("post", f"/plans/{plan['id']}/status", {"status": "active"})
        goal_id = plan["goals"][0]["id"]
        made = self.call(
            "post",
            f"/goals/{goal_id}/check-ins",
            {"status": "off_track", "note": "Nothing booked", "evidence_url": ""},
        )
        self.assertEqual(made.status_code, 201)
        body = made.json()
        self.assertEqual(
            (body["date"], body["status"]), (timezone.localdate().isoformat(), "off_track")
        )
        self.assertEqual(body["author"], "Marco Manager")

        self.call("post", f"/goals/{goal_id}/status", {"status": "achieved"})
        refused = self.call("post", f"/goals/{goal_id}/check-ins", {"status": "on_track"})
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(
            refused.json()["detail"], "This goal is achieved; reopen it before checking in."
        )
        self.assertEqual(CheckIn.objects.count(), 1)

        detail = self.call("get", f"/plans/{plan['id']}").json()
        history = next(g for g in detail["goals"] if g["id"] == goal_id)["check_ins"]
        self.assertEqual([c["note"] for c in history], ["Nothing booked"])
        self.assertEqual(detail["last_check_in"], timezone.localdate().isoformat())

    def test_the_detail_says_whether_each_gap_closed(self) -> None:
        plan = self.draft()
        self.call("post", f"/plans/{plan['id']}/status", {"status": "active"})
        add_autumn(self.story)
        detail = self.call("get", f"/plans/{plan['id']}").json()
        self.assertEqual(detail["later_cycle"], "Autumn")
        outcomes = {g["competency_key"]: g["outcome"] for g in detail["goals"]}
        self.assertEqual(outcomes["discovery"]["state"], "closed")
        self.assertEqual(outcomes["communication"]["state"], "narrowed")
        self.assertEqual(
            {k: outcomes["communication"][k] for k in ("before", "after", "target", "cycle")},
            {"before": 1.0, "after": 2.0, "target": 3, "cycle": "Autumn"},
        )

    def test_coaches_are_added_and_removed(self) -> None:
        plan = self.draft()
        added = self.call("post", f"/plans/{plan['id']}/coaches", {"username": "cora"})
        self.assertEqual(added.status_code, 201)
        self.assertEqual(
            added.json()["coaches"],
            [{"id": self.story.cora_user.pk, "username": "cora", "name": None}],
        )
        twice = self.call("post", f"/plans/{plan['id']}/coaches", {"username": "cora"})
        self.assertEqual(
            (twice.status_code, twice.json()["detail"]), (422, "cora already coaches this plan.")
        )
        nobody = self.call("post", f"/plans/{plan['id']}/coaches", {"username": "ghost"})
        self.assertEqual(nobody.status_code, 422)
        removed = self.call("delete", f"/plans/{plan['id']}/coaches/{self.story.cora_user.pk}")
        self.assertEqual(removed.json()["coaches"], [])
        again = self.call("delete", f"/plans/{plan['id']}/coaches/{self.story.cora_user.pk}")
        self.assertEqual(again.status_code, 404)

    def test_the_list_filters_by_status(self) -> None:
        priya = self.draft()
        self.call("post", f"/plans/{priya['id']}/status", {"status": "active"})
        paul = self.draft(self.cast.paul)
        everything = self.call("get", "/plans").json()
        self.assertEqual([p["id"] for p in everything["items"]], [priya["id"], paul["id"]])
        self.assertEqual(everything["items"][0]["model"], "plan-model")
        drafts = self.call("get", "/plans", status="draft").json()
        self.assertEqual([p["id"] for p in drafts["items"]], [paul["id"]])
        bogus = self.call("get", "/plans", status="finished")
        self.assertEqual(bogus.status_code, 422)

    def test_status_changes_are_checked(self) -> None:
        plan = self.draft(self.cast.paul)
        refused = self.call("post", f"/plans/{plan['id']}/status", {"status": "active"})
        self.assertEqual(refused.status_code, 422)
        self.assertEqual(
            refused.json()["detail"], "Add at least one open goal before activating the plan."
        )
        self.assertEqual(CoachingPlan.objects.get(pk=plan["id"]).status, "draft")
        self.assertFalse(Goal.objects.filter(plan_id=plan["id"]).exists())
