"""The delegation board API, called with personal access tokens by each role."""

from __future__ import annotations

import json
from datetime import date

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from productops.accounts.actions import do_create_token
from productops.discovery.models import Touchpoint
from productops.org.models import Team
from productops.strategy.delegation import SUGGESTED_AREAS
from productops.strategy.models import DecisionArea, Delegation, Difficulty
from tests.cast import build_cast

WHO = ("hana", "marco", "priya", "vera")


class DelegationApi(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        # the org logs touchpoints (long ago), so every team's cadence is known: 0
        Touchpoint.objects.create(team=cls.cast.checkout, date=date(2020, 1, 6), kind="interview")
        cls.pricing = DecisionArea.objects.create(name="Pricing", difficulty=Difficulty.HIGH)
        cls.tools = DecisionArea.objects.create(name="Tools", difficulty=Difficulty.LOW)
        Delegation.objects.create(team=cls.cast.search, area=cls.pricing, level=6)
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in WHO
        }

    def call(self, who: str, method: str, path: str, body=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api/strategy{path}", **kwargs)

    def cell(self, team: Team, area: DecisionArea) -> str:
        return f"/delegation/teams/{team.pk}/areas/{area.pk}"

    def test_without_a_token_the_api_says_401(self) -> None:
        self.assertEqual(self.client.get("/api/strategy/delegation").status_code, 401)

    def test_every_role_reads_the_board(self) -> None:
        for who in WHO:
            body = self.call(who, "get", "/delegation").json()
            self.assertEqual([level["name"] for level in body["levels"]][0], "Tell", who)
            self.assertEqual(len(body["levels"]), 7)
            self.assertEqual([a["name"] for a in body["areas"]], ["Pricing", "Tools"])
            self.assertEqual([t["name"] for t in body["teams"]], ["Checkout", "Search"])
            self.assertEqual(len(body["cells"]), 4)
            (finding,) = body["findings"]
            # Search: trio 1/3, cadence 0 -> M = 1/6; Pricing is high: 1 + 1 - 1 = 1
            self.assertEqual(
                (finding["team_id"], finding["level"], finding["recommended"]),
                (self.cast.search.pk, 6, 1),
            )
            self.assertEqual((finding["finding"], finding["distance"]), ("over-delegation", 5))
            parts = {part["part"]: part for part in finding["parts"]}
            self.assertFalse(parts["competence"]["known"])
            self.assertAlmostEqual(parts["trio"]["value"], 0.3333, places=4)
            self.assertEqual(parts["trio"]["weight"], 0.5)
            self.assertAlmostEqual(finding["maturity"], 0.1667, places=4)

    def test_admins_and_managers_set_a_level(self) -> None:
        for who, level in (("hana", 4), ("marco", 5)):
            response = self.call(
                who, "put", self.cell(self.cast.checkout, self.tools), {"level": level}
            )
            self.assertEqual(response.status_code, 200, response.content)
            body = response.json()
            # Checkout: trio 1, cadence 0 -> M = 0.5; low: 1 + 3 + 1 = 5
            self.assertEqual((body["level"], body["recommended"]), (level, 5))
        saved = Delegation.objects.get(team=self.cast.checkout, area=self.tools)
        self.assertEqual((saved.level, saved.updated_by), (5, self.cast.marco_user))

    def test_a_note_is_kept_when_left_out(self) -> None:
        path = self.cell(self.cast.checkout, self.tools)
        self.call("hana", "put", path, {"level": 3, "note": "New team lead"})
        self.call("hana", "put", path, {"level": 4})
        saved = Delegation.objects.get(team=self.cast.checkout, area=self.tools)
        self.assertEqual((saved.level, saved.note), (4, "New team lead"))

    def test_members_and_viewers_may_not_set_or_clear_levels(self) -> None:
        for who in ("priya", "vera"):
            path = self.cell(self.cast.search, self.pricing)
            response = self.call(who, "put", path, {"level": 3})
            self.assertEqual(response.status_code, 403, who)
            self.assertIn("Only admins and managers", response.json()["detail"])
            self.assertEqual(self.call(who, "delete", path).status_code, 403)
        self.assertEqual(Delegation.objects.get(area=self.pricing).level, 6)

    def test_a_manager_clears_a_level(self) -> None:
        path = self.cell(self.cast.search, self.pricing)
        self.assertEqual(self.call("marco", "delete", path).status_code, 204)
        self.assertFalse(Delegation.objects.exists())

    def test_bad_levels_are_422_with_a_sentence(self) -> None:
        path = self.cell(self.cast.checkout, self.tools)
        for bad in (0, 8, -3, 2.5, "seven", None, True):
            response = self.call("hana", "put", path, {"level": bad})
            self.assertEqual(response.status_code, 422, bad)
            self.assertIn("is not a delegation level", response.json()["detail"], bad)
        self.assertFalse(Delegation.objects.filter(area=self.tools).exists())

    def test_unknown_teams_and_areas_are_404(self) -> None:
        for path in (
            f"/delegation/teams/9999/areas/{self.tools.pk}",
            f"/delegation/teams/{self.cast.checkout.pk}/areas/9999",
        ):
            self.assertEqual(self.call("hana", "put", path, {"level": 3}).status_code, 404)
        self.assertEqual(self.call("hana", "get", "/delegation/areas/9999").status_code, 404)

    def test_areas_are_read_by_all_and_written_by_admins(self) -> None:
        for who in WHO:
            names = [a["name"] for a in self.call(who, "get", "/delegation/areas").json()]
            self.assertEqual(names, ["Pricing", "Tools"], who)
        for who in ("marco", "priya", "vera"):
            response = self.call(who, "post", "/delegation/areas", {"name": "Hiring"})
            self.assertEqual(response.status_code, 403, who)
            path = f"/delegation/areas/{self.tools.pk}"
            self.assertEqual(self.call(who, "put", path, {"name": "X"}).status_code, 403)
            self.assertEqual(self.call(who, "delete", path).status_code, 403)
            self.assertEqual(self.call(who, "post", "/delegation/areas/suggested").status_code, 403)
        self.assertEqual(DecisionArea.objects.count(), 2)

    def test_an_admin_adds_changes_and_removes_areas(self) -> None:
        response = self.call(
            "hana", "post", "/delegation/areas", {"name": "Hiring", "difficulty": "medium"}
        )
        self.assertEqual(response.status_code, 201)
        area_id = response.json()["id"]
        response = self.call("hana", "put", f"/delegation/areas/{area_id}", {"difficulty": "high"})
        self.assertEqual(
            (response.json()["name"], response.json()["difficulty"]), ("Hiring", "high")
        )
        path = f"/delegation/areas/{self.pricing.pk}"
        self.assertEqual(self.call("hana", "delete", path).status_code, 204)
        self.assertFalse(Delegation.objects.exists())
        response = self.call("hana", "post", "/delegation/areas/suggested")
        self.assertEqual(response.status_code, 201)
        # Pricing was removed; no other name matches a suggestion: all of them are added.
        self.assertEqual(len(response.json()), len(SUGGESTED_AREAS))
        again = self.call("hana", "post", "/delegation/areas/suggested")
        self.assertEqual(again.json(), [])

    def test_bad_areas_are_422(self) -> None:
        for body, field in (
            ({"name": "  "}, "name"),
            ({"name": "tools"}, "name"),
            ({"name": "New", "difficulty": "extreme"}, "difficulty"),
            ({"name": "x" * 201}, "name"),
        ):
            response = self.call("hana", "post", "/delegation/areas", body)
            self.assertEqual(response.status_code, 422, body)
            self.assertIn(field, response.json()["errors"], body)
        self.assertEqual(DecisionArea.objects.count(), 2)

    def test_the_board_costs_the_same_for_many_teams(self) -> None:
        self.call("marco", "get", "/delegation")
        with CaptureQueriesContext(connection) as few:
            self.call("marco", "get", "/delegation")
        for n in range(30):
            team = Team.objects.create(name=f"Team {n:02d}")
            Delegation.objects.create(team=team, area=self.tools, level=1)
        with CaptureQueriesContext(connection) as many:
            body = self.call("marco", "get", "/delegation").json()
        self.assertEqual(len(body["teams"]), 32)
        self.assertEqual(len(many), len(few))


class AnyLevel(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.area = DecisionArea.objects.create(name="Tools", difficulty=Difficulty.LOW)
        cls.token = do_create_token(cls.cast.hana_user, "hana script")[1]

    @settings(max_examples=30, deadline=None)
    @given(level=st.one_of(st.integers(-50, 50), st.text(max_size=5), st.floats()))
    def test_only_whole_numbers_from_one_to_seven_are_saved(self, level) -> None:
        response = self.client.put(
            f"/api/strategy/delegation/teams/{self.cast.checkout.pk}/areas/{self.area.pk}",
            data=json.dumps({"level": level}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {self.token}",
        )
        if isinstance(level, float):
            valid = level.is_integer() and 1 <= level <= 7
        elif isinstance(level, int):
            valid = 1 <= level <= 7
        else:
            text = level.strip()
            valid = text.isascii() and text.isdigit() and 1 <= int(text) <= 7
        self.assertEqual(response.status_code, 200 if valid else 422, repr(level))
