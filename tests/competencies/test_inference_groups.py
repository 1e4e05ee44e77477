"""Reconstruction from a small group's distribution (issue 11, finding M3 of the review).

The distribution of a manager's group gave an exact median over 3 people, the viewer one of
them: whenever the viewer was not the median, the median was another PM's exact
consensus. Here Priya, a PM under Marco, knows her own consensus and reads the
distribution of Marco's group through the API and the page; she tries to recover a
colleague's consensus from it. The tests fail if she can.

Cycle "Review" (closed) on the three-competency test model; each PM is rated by Marco
alone, so each consensus is Marco's score. Marco's group: Priya, Paul and Mei (3 people),
then two to five more PMs for the larger group.
"""

from __future__ import annotations

from typing import Any

from django.test import TestCase, override_settings

from productops.org.models import Person
from tests.api import ApiClient
from tests.cast import build_cast
from tests.competencies.factories import make_model_version
from tests.competencies.gap_story import open_cycle, rate

KEYS = ("discovery", "delivery", "strategy")
# Consensus per person (Marco's score), all distinct per competency where it can be.
# With the old rule (3 people, exact median) Mei's discovery and delivery came out.
PRIYA = (5, 1, 3)
OTHERS = [(1, 4, 5), (3, 2, 1), (4, 5, 2), (2, 3, 4), (2, 4, 1)]


class SmallGroupReconstruction(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.version = make_model_version()
        cls.cycle = open_cycle("Review", cls.version, days_ago=5, closed=True)
        marco = cls.cast.marco
        cls.people: dict[int, tuple[int, ...]] = {}

        def assess(person: Person, scores: tuple[int, ...]) -> None:
            rate(cls.cycle, person, marco, "manager", dict(zip(KEYS, scores, strict=True)))
            cls.people[person.pk] = scores

        assess(cls.cast.priya, PRIYA)
        assess(cls.cast.paul, OTHERS[0])
        mei = Person.objects.create(
            name="Mei PM", email="mei@example.com", discipline="product", manager=marco
        )
        assess(mei, OTHERS[1])
        cls.api = ApiClient()

    def add_colleagues(self, count: int) -> None:
        for n, scores in enumerate(OTHERS[2 : 2 + count]):
            person = Person.objects.create(
                name=f"Extra PM {n}",
                email=f"extra{n}@example.com",
                discipline="product",
                manager=self.cast.marco,
            )
            rate(
                self.cycle, person, self.cast.marco, "manager", dict(zip(KEYS, scores, strict=True))
            )
            self.people[person.pk] = scores

    def distribution(self, who: str) -> dict[str, dict[str, Any]]:
        """The distribution of Marco's group; for Vera (a viewer, who may not look up
        Marco) the org's, which holds the same people: nobody else was assessed."""
        query: dict[str, Any] = {"cycle": self.cycle.pk}
        if who != "vera":
            query["manager"] = self.cast.marco.pk
        response = self.api.get(who, "/competencies/gaps/org", query=query)
        self.assertEqual(response.status_code, 200, response.content)
        return {entry["key"]: entry for entry in response.json()["distribution"]}

    def assert_priya_recovers_nobody(self, shown: dict[str, dict[str, Any]]) -> None:
        """Every exact value the distribution gives, against everyone else's consensus."""
        for index, key in enumerate(KEYS):
            entry = shown[key]
            others = [
                scores[index] for pk, scores in self.people.items() if pk != self.cast.priya.pk
            ]
            candidates = []
            if entry["median"] is not None and entry["median"] != PRIYA[index]:
                candidates.append(entry["median"])
            # A bucket holding exactly one person besides Priya names that person's step,
            # and with a whole-step consensus that is their exact score.
            counts = {int(step): n for step, n in entry["counts"].items()}
            counts[PRIYA[index]] = counts.get(PRIYA[index], 0) - (1 if entry["people"] else 0)
            if sum(n for n in counts.values() if n > 0) == 1:
                candidates += [step for step, n in counts.items() if n == 1]
            for value in candidates:
                self.assertNotIn(value, others, f"{key}: a colleague's consensus recovered")

    def test_the_reviews_group_of_three_is_withheld(self) -> None:
        shown = self.distribution("priya")
        self.assert_priya_recovers_nobody(shown)
        for entry in shown.values():
            self.assertTrue(entry["hidden"])
            self.assertIsNone(entry["median"])
            self.assertEqual(set(entry["counts"].values()), {0})
        self.client.force_login(self.cast.priya_user)
        page = self.client.get("/competencies/gaps/", {"manager": self.cast.marco.pk})
        self.assertContains(page, "Discovery: withheld: fewer than 5 other people")
        self.assertNotContains(page, 'class="chart-median"')

    def test_a_group_of_five_others_shows_the_steps_but_no_median_to_a_member(self) -> None:
        self.add_colleagues(3)  # Priya and 5 others
        shown = self.distribution("priya")
        self.assert_priya_recovers_nobody(shown)
        for entry in shown.values():
            self.assertFalse(entry["hidden"])
            self.assertEqual(entry["people"], 6)
            self.assertIsNone(entry["median"])
            self.assertTrue(entry["median_withheld"])
        self.client.force_login(self.cast.priya_user)
        page = self.client.get("/competencies/gaps/", {"manager": self.cast.marco.pk})
        self.assertNotContains(page, 'class="chart-median"')
        self.assertContains(page, "No median is marked where you know someone")
        # A viewer knows nobody's value: the median of 6 is nobody's in particular.
        viewer = self.distribution("vera")
        self.assertFalse(viewer["discovery"]["median_withheld"])
        self.assertEqual(viewer["discovery"]["median"], 2.5)

    def test_four_others_are_too_few(self) -> None:
        self.add_colleagues(2)  # Priya and 4 others: 5 people, but only 4 she does not know
        shown = self.distribution("priya")
        self.assert_priya_recovers_nobody(shown)
        self.assertTrue(all(entry["hidden"] for entry in shown.values()))
        # A viewer is not in the group: 5 people are enough.
        self.assertFalse(any(entry["hidden"] for entry in self.distribution("vera").values()))

    @override_settings(PRODUCTOPS_MIN_GROUP_SIZE=6)
    def test_the_group_size_is_a_setting(self) -> None:
        self.add_colleagues(3)
        # Priya knows her own value: 5 others, fewer than 6. Vera knows nobody's: 6.
        self.assertTrue(all(entry["hidden"] for entry in self.distribution("priya").values()))
        self.assertFalse(any(entry["hidden"] for entry in self.distribution("vera").values()))

    def test_a_manager_who_sees_everyone_keeps_the_exact_median(self) -> None:
        shown = self.distribution("marco")
        self.assertFalse(shown["discovery"]["hidden"])
        self.assertEqual(shown["discovery"]["median"], 3)
