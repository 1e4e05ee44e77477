"""Nobody sees another's ranking before submitting their own: each role, page and API.

Q3 (see check_story): Hana (admin) and Priya (member) take part; Marco (manager) started
it; Ada is an admin who takes part in nothing; Paul a member and Vera a viewer who do not
take part either.
"""

from __future__ import annotations

from django.test import TestCase

from productops.strategy.actions import do_create_check
from tests.strategy.check_story import HANA_Q3, PRIYA_Q3, build_check_story, rank

SIDE_BY_SIDE = "Every ranking"
OWN_RANKING = 'class="pc-mine"'
AGGREGATES = 'class="card pc-agreement"'
FORM = "Submit my ranking"


class WhoSeesWhat(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast
        cls.check = cls.story.q3
        c = cls.cast
        cls.users = {
            "hana": c.hana_user,
            "ada": cls.story.ada_user,
            "marco": c.marco_user,
            "priya": c.priya_user,
            "paul": c.paul_user,
            "vera": c.vera_user,
        }

    def look(self, name: str) -> tuple[str, dict, dict]:
        """What `name` sees on the page and in the API: html, seen rankings/results, json."""
        self.client.force_login(self.users[name])
        page = self.client.get(f"/strategy/checks/{self.check.pk}/")
        self.assertEqual(page.status_code, 200)
        api = self.client.get(f"/api/strategy/checks/{self.check.pk}")
        self.assertEqual(api.status_code, 200)
        seen = page.context["seen"]
        summary = {
            "rankings": [column.author_name for column in seen.rankings],
            "results": seen.results is not None,
        }
        return page.content.decode(), summary, api.json()

    def assert_sees(self, name: str, *, rankings: list[str], results: bool, form: bool) -> None:
        html, seen, data = self.look(name)
        self.assertEqual(seen["rankings"], rankings, name)
        self.assertEqual(seen["results"], results, name)
        self.assertEqual([r["author_name"] for r in data["rankings"]], rankings, name)
        self.assertEqual(data["results"] is not None, results, name)
        self.assertEqual(FORM in html, form, name)
        self.assertEqual(data["can_submit"], form, name)
        self.assertEqual(AGGREGATES in html, results, name)
        self.assertEqual(SIDE_BY_SIDE in html, len(rankings) > 1, name)
        author = self.users[name]
        own = any(r["author"] == author.get_username() for r in data["rankings"])
        self.assertEqual(OWN_RANKING in html, own, name)

    def test_before_anyone_ranks(self) -> None:
        for name in ("hana", "priya"):
            self.assert_sees(name, rankings=[], results=False, form=True)
        for name in ("ada", "marco", "paul", "vera"):
            self.assert_sees(name, rankings=[], results=False, form=False)

    def test_after_priya_ranks_hana_still_sees_nothing_of_it(self) -> None:
        rank(self.cast.priya_user, self.check, PRIYA_Q3)
        # Hana is an admin, but takes part and has not ranked: nothing of Priya's
        self.assert_sees("hana", rankings=[], results=False, form=True)
        html, _, data = self.look("hana")
        self.assertNotIn("Priya PM</th>", html)
        self.assertEqual(data["participants"][1]["submitted"], True)  # that she did, only
        self.assertTrue(data["waiting_for_you"])
        self.assert_sees("priya", rankings=["Priya PM"], results=False, form=False)
        # an admin who does not take part sees it at once
        self.assert_sees("ada", rankings=["Priya PM"], results=False, form=False)
        for name in ("marco", "paul", "vera"):
            self.assert_sees(name, rankings=[], results=False, form=False)

    def test_after_both_rank(self) -> None:
        rank(self.cast.priya_user, self.check, PRIYA_Q3)
        rank(self.cast.hana_user, self.check, HANA_Q3)
        both = ["Priya PM", "Hana Head"]
        self.assert_sees("hana", rankings=both, results=True, form=False)
        self.assert_sees("ada", rankings=both, results=True, form=False)
        self.assert_sees("priya", rankings=["Priya PM"], results=True, form=False)
        for name in ("marco", "paul", "vera"):
            self.assert_sees(name, rankings=[], results=True, form=False)
        _, _, data = self.look("vera")
        self.assertAlmostEqual(data["results"]["mean_tau"], 0.6)
        self.assertEqual(data["results"]["reading"], "moderate agreement")
        # nothing per priority or per pair: with two rankings it gives the other's away
        self.assertEqual(data["results"]["disagreements"], [])
        self.assertEqual(data["results"]["pairs"], [])
        # an admin, who sees both rankings, sees where they differ (naming no one)
        _, _, data = self.look("ada")
        self.assertEqual(
            set(data["results"]["disagreements"][0]),
            {
                "priority_id",
                "title",
                "spread",
                "pairwise_difference",
                "highest_rank",
                "lowest_rank",
            },
        )

    def test_a_third_participant_waiting_sees_no_aggregates(self) -> None:
        self.check.participants.add(self.cast.marco_user)
        rank(self.cast.priya_user, self.check, PRIYA_Q3)
        rank(self.cast.hana_user, self.check, HANA_Q3)
        self.assert_sees("marco", rankings=[], results=False, form=True)
        html, _, data = self.look("marco")
        self.assertNotIn("moderate agreement", html)
        self.assertNotIn("Since", html)
        self.assertIsNone(data["results"])
        self.assertEqual(data["status_label"], "waiting for 1 of 3")
        # everyone else sees the aggregates already
        self.assert_sees("vera", rankings=[], results=True, form=False)
        self.assert_sees("hana", rankings=["Priya PM", "Hana Head"], results=True, form=False)

    def test_the_change_is_hidden_from_who_waits_on_the_earlier_check(self) -> None:
        # Paul takes part in a new Q2 rerun and has not ranked it: a later check compared
        # with it shows him no change, though it shows him its own results
        rank(self.cast.priya_user, self.check, PRIYA_Q3)
        rank(self.cast.hana_user, self.check, HANA_Q3)
        self.check.participants.add(self.cast.paul_user)
        later = do_create_check(
            self.cast.marco_user,
            title="Q3 again",
            priorities=["Enterprise SSO", "Pricing page", "Onboarding"],
            participants=[self.cast.marco_user, self.story.ada_user],
        )
        self.assertEqual(later.previous, self.check)
        rank(self.cast.marco_user, later, [1, 2, 3])
        rank(self.story.ada_user, later, [3, 2, 1])
        for name, sees_change in (("paul", False), ("vera", True)):
            self.client.force_login(self.users[name])
            data = self.client.get(f"/api/strategy/checks/{later.pk}").json()
            self.assertIsNotNone(data["results"], name)
            self.assertEqual(data["results"]["change"] is not None, sees_change, name)

    def test_everyone_sees_the_list(self) -> None:
        for name, user in self.users.items():
            self.client.force_login(user)
            page = self.client.get("/strategy/checks/")
            self.assertContains(page, "Q3 priorities", msg_prefix=name)
            listed = self.client.get("/api/strategy/checks").json()["items"]
            self.assertEqual([c["title"] for c in listed], ["Q3 priorities", "Q2 priorities"])

    def test_logged_out_visitors_see_nothing(self) -> None:
        page = self.client.get(f"/strategy/checks/{self.check.pk}/")
        self.assertEqual(page.status_code, 302)
        self.assertEqual(self.client.get(f"/api/strategy/checks/{self.check.pk}").status_code, 401)
        self.assertEqual(self.client.get("/api/strategy/checks").status_code, 401)
