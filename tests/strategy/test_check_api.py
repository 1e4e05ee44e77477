"""Scripts run the CEO/CPO check through the API with a personal access token."""

from __future__ import annotations

import pytest
from django.test import TestCase

from productops.accounts.actions import do_create_token
from productops.strategy.actions import do_create_check
from productops.strategy.models import PriorityCheck, Ranking
from tests.cast import build_cast
from tests.strategy.check_story import HANA_Q3, PRIYA_Q3, build_check_story


class CheckApi(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast
        cls.tokens = {
            user.get_username(): do_create_token(user, "script")[1]
            for user in (
                cls.cast.hana_user,
                cls.cast.marco_user,
                cls.cast.priya_user,
                cls.cast.vera_user,
            )
        }
        cls.q3 = cls.story.q3
        cls.ids = list(cls.q3.priorities.values_list("pk", flat=True))

    def call(self, who: str, method: str, path: str, body: dict | None = None):
        kwargs: dict = {"HTTP_AUTHORIZATION": f"Bearer {self.tokens[who]}"}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        return getattr(self.client, method)(f"/api/strategy{path}", **kwargs)

    def ranking(self, ranks: list) -> dict:
        return {
            "ranks": [
                {"priority_id": pk, "rank": r} for pk, r in zip(self.ids, ranks, strict=False)
            ]
        }

    def test_starting_a_check(self) -> None:
        response = self.call(
            "marco",
            "post",
            "/checks",
            {
                "title": "Q4 priorities",
                "priorities": ["Partner API", "Data export", "Billing"],
                "participants": ["hana", "paul"],
            },
        )
        self.assertEqual(response.status_code, 201, response.content)
        check = response.json()
        self.assertEqual(
            [p["title"] for p in check["priorities"]], ["Partner API", "Data export", "Billing"]
        )
        self.assertEqual([p["username"] for p in check["participants"]], ["hana", "paul"])
        self.assertEqual(check["previous_id"], self.story.q2.pk)
        self.assertEqual(
            (check["status"], check["status_label"]), ("waiting", "waiting for 2 of 2")
        )
        self.assertEqual(check["created_by"], "marco")
        self.assertFalse(check["can_submit"])  # Marco does not take part
        self.assertTrue(check["can_close"])

    def test_starting_a_check_without_comparison(self) -> None:
        body = {
            "title": "Fresh",
            "priorities": ["Data export", "X", "Y"],
            "participants": ["hana", "paul"],
            "previous_id": 0,
        }
        self.assertIsNone(self.call("marco", "post", "/checks", body).json()["previous_id"])
        body["previous_id"] = self.q3.pk
        self.assertEqual(
            self.call("marco", "post", "/checks", body).json()["previous_id"], self.q3.pk
        )

    def test_starting_refusals_are_sentences(self) -> None:
        base = {"title": "Q4", "priorities": ["A", "B", "C"], "participants": ["hana", "paul"]}
        cases = [
            ("priya", base, 403, "Only admins and managers start a priority check."),
            ("vera", base, 403, "Only admins and managers start a priority check."),
            (
                "marco",
                {**base, "participants": ["hana", "nobody"]},
                422,
                "No login is named “nobody”",
            ),
            ("marco", {**base, "participants": ["hana"]}, 422, "Choose at least two people"),
            (
                "marco",
                {**base, "priorities": ["A", "a", "B"]},
                422,
                "Each priority once: “A” appears twice.",
            ),
            ("marco", {**base, "priorities": ["A", "B"]}, 422, "List at least 3 priorities"),
            ("marco", {**base, "previous_id": 99999}, 422, "No priority check has the id 99999."),
        ]
        for who, body, status, sentence in cases:
            response = self.call(who, "post", "/checks", body)
            self.assertEqual(response.status_code, status, (who, body))
            self.assertIn(sentence, response.json()["detail"])
        self.assertFalse(PriorityCheck.objects.filter(title="Q4").exists())
        self.assertEqual(self.call("marco", "post", "/checks", {"title": "x"}).status_code, 422)

    def test_ranking_then_seeing_the_results(self) -> None:
        mine = self.call("priya", "post", f"/checks/{self.q3.pk}/ranking", self.ranking(PRIYA_Q3))
        self.assertEqual(mine.status_code, 201, mine.content)
        data = mine.json()
        self.assertIsNone(data["results"])  # only one ranking in
        self.assertEqual(len(data["rankings"]), 1)
        self.assertEqual(
            [r["rank"] for r in data["rankings"][0]["ranks"]], [1, 2, 3, 4, 5]
        )  # sorted by rank
        self.assertEqual(data["status_label"], "waiting for 1 of 2")
        # Hana, an admin still to rank, sees nothing of it
        hana = self.call("hana", "get", f"/checks/{self.q3.pk}").json()
        self.assertEqual(hana["rankings"], [])
        self.assertTrue(hana["waiting_for_you"])
        done = self.call(
            "hana", "post", f"/checks/{self.q3.pk}/ranking", self.ranking(HANA_Q3)
        ).json()
        self.assertEqual([r["author"] for r in done["rankings"]], ["priya", "hana"])
        results = done["results"]
        self.assertAlmostEqual(results["mean_tau"], 0.6)
        self.assertEqual(
            results["pairs"],
            [
                {
                    "first": "priya",
                    "second": "hana",
                    "tau": pytest.approx(0.6),
                    "reading": "moderate agreement",
                }
            ],
        )
        self.assertEqual(
            [d["title"] for d in results["disagreements"]],
            ["Enterprise SSO", "Mobile checkout", "Search relevance", "Onboarding"],
        )
        change = results["change"]
        self.assertEqual(
            (change["previous_id"], change["basis"]), (self.story.q2.pk, "same people")
        )
        self.assertAlmostEqual(change["tau_change"], 1.6)
        self.assertEqual(
            [(p["title"], p["change"]) for p in change["priorities"]],
            [("Enterprise SSO", -2), ("Pricing page", -1), ("Mobile checkout", 0)],
        )
        self.assertEqual(done["status"], "complete")

    def test_ranking_refusals(self) -> None:
        path = f"/checks/{self.q3.pk}/ranking"
        missing = self.call("priya", "post", path, self.ranking([1, 2, 3]))
        self.assertEqual(missing.status_code, 422)
        self.assertIn("Give “Search relevance” a rank from 1 to 5.", missing.json()["detail"])
        out = self.call("priya", "post", path, self.ranking([1, 2, 3, 4, 6]))
        self.assertEqual(out.status_code, 422)
        self.assertIn("“Onboarding” has the rank 6", out.json()["detail"])
        twice = {"ranks": [{"priority_id": self.ids[0], "rank": 1}] * 2}
        self.assertIn("ranked twice", self.call("priya", "post", path, twice).json()["detail"])
        self.assertEqual(self.call("priya", "post", path, {"ranks": "1,2"}).status_code, 422)
        self.assertFalse(Ranking.objects.filter(priority_check=self.q3).exists())
        for who in ("marco", "vera"):
            refused = self.call(who, "post", path, self.ranking(PRIYA_Q3))
            self.assertEqual(refused.status_code, 403)
            self.assertIn("Only the people taking part", refused.json()["detail"])
        self.assertEqual(self.call("priya", "post", path, self.ranking(PRIYA_Q3)).status_code, 201)
        again = self.call("priya", "post", path, self.ranking(HANA_Q3))
        self.assertEqual(again.status_code, 422)
        self.assertIn("a ranking is final", again.json()["detail"])

    def test_closing(self) -> None:
        path = f"/checks/{self.q3.pk}/close"
        self.assertEqual(self.call("priya", "post", path).status_code, 403)
        closed = self.call("marco", "post", path)
        self.assertEqual(closed.status_code, 200)
        self.assertEqual(closed.json()["status"], "closed")
        self.assertEqual(self.call("hana", "post", path).status_code, 422)
        late = self.call("priya", "post", f"/checks/{self.q3.pk}/ranking", self.ranking(PRIYA_Q3))
        self.assertEqual(late.status_code, 422)
        self.assertIn("is closed", late.json()["detail"])

    def test_unknown_checks_are_not_found(self) -> None:
        for path in ("/checks/99999", f"/checks/{10**30}"):
            self.assertEqual(self.call("hana", "get", path).status_code, 404)
        self.assertEqual(self.call("hana", "post", "/checks/99999/close").status_code, 404)


@pytest.mark.django_db
def test_the_list_costs_the_same_for_many_checks(client, django_assert_max_num_queries) -> None:
    cast = build_cast()
    for n in range(55):
        do_create_check(
            cast.marco_user,
            title=f"Check {n}",
            priorities=[f"A{n}", f"B{n}", f"C{n}"],
            participants=[cast.hana_user, cast.marco_user],
            previous=None,
        )
    client.force_login(cast.vera_user)
    with django_assert_max_num_queries(8):
        listed = client.get("/api/strategy/checks").json()
    assert listed["count"] == 55
    assert len(listed["items"]) == 50
    assert listed["items"][0]["status_label"] == "waiting for 2 of 2"
    assert listed["items"][0]["created_by"] is None  # Vera is a viewer: no names
