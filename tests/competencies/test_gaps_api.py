"""The gap analysis API, called with personal access tokens by each role."""

from __future__ import annotations

from django.test import TestCase, override_settings

from productops.accounts.actions import do_create_token
from tests.competencies.gap_story import build_gap_story


class GapsApiByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast
        cls.tokens = {
            name: do_create_token(getattr(cls.cast, f"{name}_user"), f"{name} script")[1]
            for name in ["hana", "marco", "priya", "paul", "vera"]
        }

    def call(self, who: str, path: str, **query):
        return self.client.get(
            f"/api/competencies/gaps{path}", query, HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}"
        )

    def person(self, who: str, person, **query):
        return self.call(who, f"/people/{person.pk}", **query)

    def test_needs_a_token(self) -> None:
        self.assertEqual(
            self.client.get(f"/api/competencies/gaps/people/{self.cast.priya.pk}").status_code, 401
        )

    def test_the_subject_reads_the_same_numbers_as_the_page(self) -> None:
        body = self.person("priya", self.cast.priya).json()
        self.assertEqual(body["cycle"]["name"], "H2")
        self.assertEqual(body["previous_cycle"]["name"], "H1")
        rows = {row["key"]: row for row in body["competencies"]}
        discovery = rows["discovery"]
        self.assertEqual(
            {k: discovery[k] for k in ("self_score", "manager_score", "peer_count", "peer_mean")},
            # The subject may not read each peer's answers: no exact count, "3 or more".
            {"self_score": 4, "manager_score": 2, "peer_count": None, "peer_mean": 2.67},
        )
        self.assertEqual(discovery["peers_answered"], "3 or more")
        self.assertEqual(body["peer_results"], "released")
        self.assertFalse(body["exact_peer_counts"])
        self.assertEqual(discovery["consensus"], 2.33)
        self.assertEqual(discovery["gap"], 0.67)
        self.assertEqual(discovery["change"], 1.33)
        self.assertEqual(body["blind_spots"], ["discovery"])
        self.assertEqual(body["top_gaps"], ["discovery"])
        self.assertEqual(rows["strategy"]["peer_mean"], None)
        self.assertEqual(rows["strategy"]["peer_count"], None)
        self.assertEqual(rows["strategy"]["peers_answered"], "fewer than 3")
        # An admin reads exact counts.
        admin = self.person("hana", self.cast.priya).json()
        self.assertEqual(admin["competencies"][0]["peer_count"], 3)
        self.assertEqual(admin["competencies"][2]["peer_count"], 2)

    def test_two_peer_answers_stay_hidden(self) -> None:
        body = self.person("hana", self.cast.paul).json()
        discovery = next(r for r in body["competencies"] if r["key"] == "discovery")
        self.assertIsNone(discovery["peer_mean"])
        self.assertEqual(discovery["others"], 4)
        self.assertEqual(discovery["consensus"], 4)
        numbers = [v for k, v in discovery.items() if isinstance(v, int | float)]
        self.assertNotIn(1, numbers)  # the two peers' mean
        self.assertNotIn(2.5, numbers)  # the manager mixed with them
        org = self.call("hana", "/org").json()
        paul = next(r for r in org["heatmap"] if r["person"]["name"] == "Paul PM")
        self.assertIsNone(paul["cells"][0]["peer_mean"])

    def test_no_route_names_a_peer(self) -> None:
        for who, path in [
            ("priya", f"/people/{self.cast.priya.pk}"),
            ("hana", "/org"),
            ("marco", "/org"),
        ]:
            text = self.call(who, path).content.decode()
            for peer in ("Dana Designer", "Tariq Tech", "Otto Outsider"):
                self.assertNotIn(peer, text, (who, path))

    def test_a_peer_never_reads_a_colleague(self) -> None:
        self.assertEqual(self.person("paul", self.cast.priya).status_code, 404)
        self.assertEqual(self.person("priya", self.cast.paul).status_code, 404)
        self.assertEqual(self.person("vera", self.cast.priya).status_code, 404)

    def test_the_manager_reads_the_chain(self) -> None:
        self.assertEqual(self.person("marco", self.cast.paul).status_code, 200)
        self.assertEqual(self.person("marco", self.cast.dana).status_code, 404)
        body = self.call("marco", "/org").json()
        self.assertEqual(body["scope"], "chain")
        self.assertEqual(
            [r["person"]["name"] for r in body["heatmap"]],
            ["Marco Manager", "Paul PM", "Priya PM"],
        )
        self.assertEqual([g["manager_name"] for g in body["support"]], ["Marco Manager"])
        self.assertEqual([p["name"] for p in body["support"][0]["people"]], ["Paul PM", "Priya PM"])

    def test_admin_reads_everything(self) -> None:
        body = self.call("hana", "/org").json()
        self.assertEqual(body["scope"], "all")
        self.assertEqual(body["people_assessed"], 3)
        self.assertEqual(
            [g["manager_name"] for g in body["support"]], ["Hana Head", "Marco Manager"]
        )
        discovery = body["distribution"][0]
        self.assertEqual(discovery["counts"], {"1": 0, "2": 1, "3": 1, "4": 1, "5": 0})
        self.assertEqual(discovery["median"], 3)
        self.assertEqual(body["distribution"][2]["median"], 2.5)
        self.assertEqual(body["steps"], [1, 2, 3, 4, 5])

    def test_member_reads_their_own_row_and_no_ranking(self) -> None:
        body = self.call("priya", "/org").json()
        self.assertEqual(body["scope"], "own")
        self.assertEqual([r["person"]["name"] for r in body["heatmap"]], ["Priya PM"])
        self.assertEqual(body["support"], [])
        strategy = body["distribution"][2]
        self.assertTrue(strategy["hidden"])
        self.assertEqual(strategy["median"], None)
        self.assertEqual(set(strategy["counts"].values()), {0})

    @override_settings(PRODUCTOPS_MIN_GROUP_SIZE=3)  # the story's org has 3 people
    def test_viewer_reads_distributions_only(self) -> None:
        body = self.call("vera", "/org").json()
        self.assertEqual(body["scope"], "aggregates")
        self.assertEqual(body["heatmap"], [])
        self.assertEqual(body["support"], [])
        self.assertFalse(body["distribution"][0]["hidden"])
        self.assertTrue(body["distribution"][2]["hidden"])
        only = self.call("vera", "/distribution").json()
        self.assertEqual(only["distribution"], body["distribution"])
        self.assertNotIn("heatmap", only)
        self.assertEqual(
            self.call("vera", "/distribution", team=self.cast.checkout.pk).status_code, 404
        )

    def test_team_route(self) -> None:
        body = self.call("hana", f"/teams/{self.cast.checkout.pk}").json()
        self.assertEqual([r["person"]["name"] for r in body["heatmap"]], ["Priya PM"])
        self.assertEqual(self.call("paul", f"/teams/{self.cast.checkout.pk}").status_code, 404)

    def test_cycle_model_and_manager_choice(self) -> None:
        body = self.call("hana", "/org", cycle=self.story.h1.pk).json()
        self.assertEqual(body["cycle"]["name"], "H1")
        self.assertEqual(len(body["heatmap"]), 1)
        self.assertEqual([c["name"] for c in body["cycles"]], ["H2", "H1"])
        self.assertEqual(self.call("hana", "/org", model="nope").status_code, 404)
        self.assertEqual(self.call("hana", "/org", cycle=99999).status_code, 404)
        chain = self.call("hana", "/org", manager=self.cast.marco.pk).json()
        self.assertEqual(len(chain["heatmap"]), 2)
        self.assertEqual(self.person("priya", self.cast.priya, cycle=99999).status_code, 404)

    def test_nobody_assessed(self) -> None:
        body = self.person("hana", self.cast.otto).json()
        self.assertIsNone(body["cycle"])
        self.assertEqual(body["competencies"], [])
