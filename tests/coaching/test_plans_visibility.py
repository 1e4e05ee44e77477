"""Who sees and changes Priya's plan, on the pages and in the API, for every role.

Priya has an active plan (Cora, a visiting coach, is named on it) and an older closed
one; Paul has a draft. Hana is an admin, Marco manages Priya and Paul, Tariq manages no
one, Paul is Priya's peer, Vera a viewer.
"""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from productops.accounts.actions import do_create_token
from productops.coaching.actions import (
    do_add_coach,
    do_draft_plan,
    do_remove_coach,
    do_set_plan_status,
)
from productops.coaching.models import CheckIn, CoachingPlan, Goal
from tests.coaching.plan_story import build_plan_story

ROLES = ("hana", "marco", "tariq", "priya", "paul", "cora", "vera")


class PlanAccessByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_plan_story()
        cast = cls.cast = cls.story.cast
        marco = cast.marco_user
        cls.old = do_draft_plan(marco, cast.priya)
        do_set_plan_status(marco, cls.old, CoachingPlan.Status.CLOSED)
        cls.plan = do_draft_plan(marco, cast.priya)
        do_set_plan_status(marco, cls.plan, CoachingPlan.Status.ACTIVE)
        do_add_coach(marco, cls.plan, cls.story.cora_user)
        cls.pauls = do_draft_plan(marco, cast.paul)
        cls.goal = cls.plan.goals.get(competency_key="discovery")
        cls.users = {
            "hana": cast.hana_user,
            "marco": marco,
            "tariq": cls.story.tariq_user,
            "priya": cast.priya_user,
            "paul": cast.paul_user,
            "cora": cls.story.cora_user,
            "vera": cast.vera_user,
        }
        cls.tokens = {
            who: do_create_token(user, f"{who} script")[1] for who, user in cls.users.items()
        }

    # -- pages --------------------------------------------------------------------------

    def get(self, who: str, name: str, *args, **query):
        self.client.force_login(self.users[who])
        return self.client.get(reverse(name, args=args), query)

    def post(self, who: str, name: str, *args, **data):
        self.client.force_login(self.users[who])
        return self.client.post(reverse(name, args=args), data)

    def test_the_list_shows_each_role_what_it_may_see(self) -> None:
        seen = {}
        for who in ROLES:
            response = self.get(who, "coaching:plans")
            self.assertEqual(response.status_code, 200, who)
            seen[who] = {plan.pk for plan in response.context["page"].object_list}
        everything = {self.old.pk, self.plan.pk, self.pauls.pk}
        self.assertEqual(
            seen,
            {
                "hana": everything,
                "marco": everything,
                "tariq": set(),
                "priya": {self.old.pk, self.plan.pk},
                "paul": {self.pauls.pk},
                "cora": {self.plan.pk},  # the plan she coaches, not Priya's other one
                "vera": set(),
            },
        )

    def test_the_plan_page_is_private_to_the_person_the_chain_admins_and_the_coach(self) -> None:
        statuses = {
            who: self.get(who, "coaching:plan_detail", self.plan.pk).status_code for who in ROLES
        }
        self.assertEqual(
            statuses,
            {
                "hana": 200,
                "marco": 200,
                "tariq": 404,
                "priya": 200,
                "paul": 404,
                "cora": 200,
                "vera": 404,
            },
        )

    def test_the_coach_sees_this_plan_only(self) -> None:
        self.assertEqual(self.get("cora", "coaching:plan_detail", self.old.pk).status_code, 404)
        self.assertEqual(self.get("cora", "coaching:plan_detail", self.pauls.pk).status_code, 404)
        gaps = self.get("cora", "competencies:person_gaps", self.cast.priya.pk)
        self.assertEqual(gaps.status_code, 404)
        self.assertEqual(self.get("cora", "org:person", self.cast.priya.pk).status_code, 404)

    def test_removing_the_coach_removes_access(self) -> None:
        do_remove_coach(self.cast.marco_user, self.plan, self.story.cora_user)
        self.assertEqual(self.get("cora", "coaching:plan_detail", self.plan.pk).status_code, 404)
        self.assertEqual(list(self.get("cora", "coaching:plans").context["page"].object_list), [])

    def test_who_may_add_a_goal(self) -> None:
        statuses = {
            who: self.post(
                who, "coaching:goal_add", self.plan.pk, competency="delivery"
            ).status_code
            for who in ROLES
        }
        self.assertEqual(
            statuses,
            {
                "hana": 302,
                "marco": 302,
                "tariq": 404,
                "priya": 403,
                "paul": 404,
                "cora": 302,
                "vera": 404,
            },
        )
        # the first one added it; later ones were told it is already a goal
        self.assertEqual(self.plan.goals.filter(competency_key="delivery").count(), 1)
        refused = self.post("priya", "coaching:goal_add", self.plan.pk, competency="analytics")
        self.assertContains(refused, "change its goals", status_code=403)

    def test_who_may_check_in(self) -> None:
        statuses = {}
        for who in ROLES:
            prefix = f"check-in-{self.goal.pk}"
            statuses[who] = self.post(
                who,
                "coaching:check_in",
                self.goal.pk,
                **{f"{prefix}-date": timezone.localdate(), f"{prefix}-status": "on_track"},
            ).status_code
        self.assertEqual(
            statuses,
            {
                "hana": 302,
                "marco": 302,
                "tariq": 404,
                "priya": 302,
                "paul": 404,
                "cora": 302,
                "vera": 404,
            },
        )
        self.assertEqual(CheckIn.objects.filter(goal=self.goal).count(), 4)

    def test_only_managers_and_admins_name_coaches_and_change_the_status(self) -> None:
        for who, expected in [("cora", 403), ("priya", 403), ("paul", 404)]:
            with self.subTest(who):
                named = self.post(who, "coaching:plan_coaches", self.plan.pk, username="vera")
                self.assertEqual(named.status_code, expected)
                closed = self.post(who, "coaching:plan_status", self.plan.pk, status="closed")
                self.assertEqual(closed.status_code, expected)
        self.assertEqual(list(self.plan.coaches.all()), [self.story.cora_user])
        self.assertEqual(
            self.post("hana", "coaching:plan_coaches", self.plan.pk, username="vera").status_code,
            302,
        )
        self.assertEqual(self.plan.coaches.count(), 2)

    def test_the_page_offers_each_role_only_what_it_may_do(self) -> None:
        marco = self.get("marco", "coaching:plan_detail", self.plan.pk).context
        priya = self.get("priya", "coaching:plan_detail", self.plan.pk).context
        cora = self.get("cora", "coaching:plan_detail", self.plan.pk).context
        self.assertEqual(
            [(c["can_edit"], c["can_manage"], c["can_check_in"]) for c in (marco, priya, cora)],
            [(True, True, True), (False, False, True), (True, False, True)],
        )
        page = self.get("priya", "coaching:plan_detail", self.plan.pk).content.decode()
        self.assertIn("Check in", page)
        self.assertNotIn("Add the goal", page)
        self.assertNotIn("Add as coach", page)

    def test_drafting_from_a_person_is_for_their_managers_and_admins(self) -> None:
        CoachingPlan.objects.filter(person=self.cast.paul).delete()
        statuses = {
            who: self.post(who, "coaching:plan_draft", person=self.cast.paul.pk).status_code
            for who in ("vera", "cora", "tariq", "priya", "paul")
        }
        # people one may not see at all answer 404; visible ones without the right, 403
        self.assertEqual(
            statuses, {"vera": 404, "cora": 404, "tariq": 404, "priya": 404, "paul": 403}
        )
        self.assertFalse(CoachingPlan.objects.filter(person=self.cast.paul).exists())
        response = self.post("marco", "coaching:plan_draft", person=self.cast.paul.pk)
        made = CoachingPlan.objects.get(person=self.cast.paul)
        self.assertRedirects(response, reverse("coaching:plan_detail", args=[made.pk]))

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        for url in (
            reverse("coaching:plans"),
            reverse("coaching:plan_detail", args=[self.plan.pk]),
        ):
            self.assertEqual(self.client.get(url).status_code, 302)

    # -- API ----------------------------------------------------------------------------

    def api(self, who: str, method: str, path: str, body: dict | None = None):
        call = getattr(self.client, method)
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return call(f"/api/coaching{path}", **kwargs)

    def test_the_api_lists_what_the_pages_list(self) -> None:
        listed = {
            who: {item["id"] for item in self.api(who, "get", "/plans").json()["items"]}
            for who in ("hana", "tariq", "priya", "paul", "cora", "vera")
        }
        self.assertEqual(listed["cora"], {self.plan.pk})
        self.assertEqual(listed["priya"], {self.old.pk, self.plan.pk})
        self.assertEqual(listed["paul"], {self.pauls.pk})
        self.assertEqual(listed["tariq"] | listed["vera"], set())
        self.assertEqual(len(listed["hana"]), 3)

    def test_the_api_detail_answers_404_to_those_who_may_not_see(self) -> None:
        statuses = {
            who: self.api(who, "get", f"/plans/{self.plan.pk}").status_code for who in ROLES
        }
        self.assertEqual(
            statuses,
            {
                "hana": 200,
                "marco": 200,
                "tariq": 404,
                "priya": 200,
                "paul": 404,
                "cora": 200,
                "vera": 404,
            },
        )
        self.assertEqual(self.api("cora", "get", f"/plans/{self.old.pk}").status_code, 404)

    def test_the_api_writes_follow_the_same_rules(self) -> None:
        goal_path = f"/goals/{self.goal.pk}"
        check_in = {"status": "on_track", "note": "From a script"}
        self.assertEqual(
            self.api("paul", "post", f"{goal_path}/check-ins", check_in).status_code, 404
        )
        self.assertEqual(
            self.api("priya", "post", f"{goal_path}/check-ins", check_in).status_code, 201
        )
        self.assertEqual(
            self.api("cora", "post", f"{goal_path}/check-ins", check_in).status_code, 201
        )
        goal = {"competency_key": "analytics"}
        refused = self.api("priya", "post", f"/plans/{self.plan.pk}/goals", goal)
        self.assertEqual(refused.status_code, 403)
        self.assertIn("change its goals", refused.json()["detail"])
        self.assertEqual(
            self.api("cora", "post", f"/plans/{self.plan.pk}/goals", goal).status_code, 201
        )
        coach = self.api("cora", "post", f"/plans/{self.plan.pk}/coaches", {"username": "vera"})
        self.assertEqual(coach.status_code, 403)
        # Tariq knows Priya from the Checkout team, so he is told why rather than "not found"
        drafted = self.api("tariq", "post", "/plans", {"person_id": self.cast.priya.pk})
        self.assertEqual(drafted.status_code, 403)
        self.assertIn("Ask their manager", drafted.json()["detail"])
        self.assertEqual(
            self.api("vera", "post", "/plans", {"person_id": self.cast.priya.pk}).status_code, 404
        )
        self.assertEqual(Goal.objects.filter(plan=self.plan, competency_key="analytics").count(), 1)

    def test_the_api_needs_a_login(self) -> None:
        self.assertEqual(self.client.get("/api/coaching/plans").status_code, 401)
