"""Results read from the database: Q3 against Q2, as worked out in check_story."""

from __future__ import annotations

import pytest
from django.test import TestCase

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.strategy.actions import do_create_check
from productops.strategy.priority_check import load_results
from tests.cast import PASSWORD
from tests.strategy.check_story import build_check_story, rank, rank_q3


class ResultsOfQ3(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast

    def test_no_results_until_two_rankings_are_in(self) -> None:
        self.assertIsNone(load_results(self.story.q3))
        rank(self.cast.priya_user, self.story.q3, [2, 1, 3, 5, 4])
        self.assertIsNone(load_results(self.story.q3))

    def test_agreement_and_disagreements(self) -> None:
        rank_q3(self.story)
        results = load_results(self.story.q3)
        self.assertEqual(results.rankings_in, 2)
        self.assertEqual(len(results.pairs), 1)
        self.assertAlmostEqual(results.mean_tau, 0.6)
        self.assertEqual(results.reading, "moderate agreement")
        titles = dict(self.story.q3.priorities.values_list("pk", "title"))
        self.assertEqual(
            [(titles[d.priority], d.spread) for d in results.disagreements],
            [
                ("Enterprise SSO", 1),
                ("Mobile checkout", 1),
                ("Search relevance", 1),
                ("Onboarding", 1),
            ],
        )

    def test_the_change_since_q2_for_the_same_people(self) -> None:
        rank_q3(self.story)
        change = load_results(self.story.q3).change
        self.assertEqual(
            (change.previous_id, change.previous_title), (self.story.q2.pk, "Q2 priorities")
        )
        self.assertEqual(change.agreement.basis, "same people")
        self.assertAlmostEqual(change.agreement.tau_then, -1.0)
        self.assertAlmostEqual(change.agreement.change, 1.6)
        self.assertEqual(
            [(c.title, c.spread_then, c.spread_now, c.change) for c in change.priorities],
            [
                ("Enterprise SSO", 3, 1, -2),
                ("Pricing page", 1, 0, -1),
                ("Mobile checkout", 1, 1, 0),
            ],
        )
        self.assertIsNone(load_results(self.story.q3, with_change=False).change)

    def test_other_people_compare_the_means(self) -> None:
        # Q4: Marco and Paul take part, neither ranked Q2 -> "all pairs"
        marco, paul = self.cast.marco_user, self.cast.paul_user
        q4 = do_create_check(
            marco,
            title="Q4",
            priorities=["Enterprise SSO", "Data export", "Hiring"],
            participants=[marco, paul],
            previous=self.story.q2,
        )
        rank(marco, q4, [1, 2, 3])
        rank(paul, q4, [1, 3, 2])  # tau = (2 - 1) / 3
        change = load_results(q4).change
        self.assertEqual(change.agreement.basis, "all pairs")
        self.assertAlmostEqual(change.agreement.tau_now, 1 / 3)
        self.assertAlmostEqual(change.agreement.change, 1 / 3 + 1)
        # SSO: 3 -> 0; Data export: 3 -> 1 (Marco 2, Paul 3)
        self.assertEqual(
            [(c.title, c.change) for c in change.priorities],
            [("Enterprise SSO", -3), ("Data export", -2)],
        )

    def test_an_earlier_check_without_results_has_no_change(self) -> None:
        ceo = do_create_login("ceo", PASSWORD, Role.MANAGER)
        lonely = do_create_check(
            ceo,
            title="Lonely",
            priorities=["Enterprise SSO", "A", "B"],
            participants=[ceo, self.cast.paul_user],
            previous=None,
        )
        rank(ceo, lonely, [1, 2, 3])
        later = do_create_check(
            ceo,
            title="Later",
            priorities=["Enterprise SSO", "A", "B"],
            participants=[ceo, self.cast.paul_user],
        )
        self.assertEqual(later.previous, lonely)
        rank(ceo, later, [1, 2, 3])
        rank(self.cast.paul_user, later, [3, 2, 1])
        results = load_results(later)
        self.assertAlmostEqual(results.mean_tau, -1.0)
        self.assertEqual(results.reading, "no agreement or opposite views")
        self.assertIsNone(results.change.agreement)


@pytest.mark.django_db
def test_three_people_every_pair_and_the_mean() -> None:
    story = build_check_story()
    cast = story.cast
    check = do_create_check(
        cast.marco_user,
        title="Three",
        priorities=["A", "B", "C", "D"],
        participants=[cast.hana_user, cast.priya_user, cast.marco_user],
        previous=None,
    )
    rank(cast.hana_user, check, [1, 2, 3, 4])
    rank(cast.priya_user, check, [1, 2, 3, 4])
    rank(cast.marco_user, check, [1, 1, 2, 3])  # with Hana: tau-b = 5 / sqrt(6 * 5)
    results = load_results(check)
    taus = [round(pair.tau, 4) for pair in results.pairs]
    expected = round(5 / (6 * 5) ** 0.5, 4)
    assert taus == [1.0, expected, expected]
    assert results.mean_tau == pytest.approx((1 + 2 * 5 / 30**0.5) / 3)
