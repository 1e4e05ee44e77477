"""A participant tries to work out the others' rankings from what a check shows them.

The attack (security review, H1): with two rankings, "ranked between 3 and 9" beside your
own 3 says the other gave 9. Here a participant reads exactly what the API and the page
return, then tries every ranking the others might have given (every order of the
priorities, no ties: a prior that only helps the attacker) and keeps those that would have
produced the same answer. A rank is recovered when every ranking kept gives the same rank
to a priority; the test fails on any such rank.

The only answers that give rankings away are the ones any statement of agreement does:
a tau of 1 (or -1) between two people says the other ranked in the same (or the reverse)
order. The last test shows that this is all, over every ranking of a 5-priority check.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import pytest
from django.contrib.auth.models import User
from django.test import TestCase

from productops.strategy import priority_check
from productops.strategy.actions import do_create_check
from productops.strategy.models import PriorityCheck
from tests.api import ApiClient
from tests.cast import build_cast
from tests.strategy.check_story import rank

SIX = ["Enterprise SSO", "Mobile checkout", "Pricing page", "Data export", "Search", "Onboarding"]
FIVE = ["Enterprise SSO", "Mobile checkout", "Pricing page", "Search", "Onboarding"]


def observed(client: TestCase, api: ApiClient, user: User, check: PriorityCheck) -> dict:
    """What `user` gets for `check`, from the API and the page, checked to agree."""
    data = api.get(user, f"/strategy/checks/{check.pk}").json()
    client.client.force_login(user)
    html = client.client.get(f"/strategy/checks/{check.pk}/").content.decode()
    results = data["results"]
    assert results is not None
    # nothing per priority or per pair, in the API and on the page
    assert results["disagreements"] == [] and results["pairs"] == []
    assert results["change"] is None or results["change"]["priorities"] == []
    for table in ("pc-disagreements", "pc-changes", "pc-pairs", "pc-side-by-side"):
        assert table not in html, table
    assert "Ranked between" not in html
    # the rankings: only one's own
    assert [r["author"] for r in data["rankings"]] == [user.get_username()]
    shown = re.search(r'<span class="stat">([^<]*)</span>', html)
    assert shown is not None and shown.group(1) == f"{results['mean_tau']:.2f}"
    return results


def own_ranks(api: ApiClient, user: User, check: PriorityCheck) -> dict[int, int]:
    data = api.get(user, f"/strategy/checks/{check.pk}").json()
    (mine,) = data["rankings"]
    return {entry["priority_id"]: entry["rank"] for entry in mine["ranks"]}


def tau_of_orders(first: Sequence[int], second: Sequence[int]) -> float:
    """Kendall's tau for two rankings without ties (then tau-b is this): concordant minus
    discordant pairs over all pairs. Much faster than scipy for trying every ranking."""
    pairs = list(itertools.combinations(range(len(first)), 2))
    score = sum(1 if (first[i] - first[j]) * (second[i] - second[j]) > 0 else -1 for i, j in pairs)
    return score / len(pairs)


def public_of(rankings: Sequence[Sequence[int]]) -> tuple[int, float, str]:
    """The public result of rankings without ties, as `priority_check.public_result`."""
    taus = [tau_of_orders(a, b) for a, b in itertools.combinations(rankings, 2)]
    mean = sum(taus) / len(taus)
    return len(rankings), mean, priority_check.reading(mean)


def matches(candidate: Sequence[Sequence[int]], results: dict) -> bool:
    count, tau, reading = public_of(candidate)
    if count != results["rankings_in"] or reading != results["reading"]:
        return False
    return results["mean_tau"] is not None and abs(tau - results["mean_tau"]) < 1e-9


def recovered(mine: dict[int, int], others: int, results: dict) -> list[tuple[int, int, int]]:
    """(which other, priority id, rank) for every rank all consistent candidates agree on."""
    ids = sorted(mine)
    own = [mine[pk] for pk in ids]
    orders = list(itertools.permutations(range(1, len(ids) + 1)))
    kept = [
        combo
        for combo in itertools.product(orders, repeat=others)
        if matches([own, *combo], results)
    ]
    assert kept, "the true rankings must be among the candidates"
    found = []
    for which in range(others):
        for place, pk in enumerate(ids):
            if len({combo[which][place] for combo in kept}) == 1:
                found.append((which, pk, kept[0][which][place]))
    return found


def test_the_fast_tau_is_the_checks_tau() -> None:
    for first, second in itertools.product(itertools.permutations(range(1, 5)), repeat=2):
        expected = priority_check.public_result(
            {"a": dict(enumerate(first)), "b": dict(enumerate(second))}
        )
        assert expected is not None and expected[1] is not None
        assert public_of([first, second]) == pytest.approx(expected)


class TwoParticipants(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.api = ApiClient()
        cast = cls.cast
        cls.check = do_create_check(
            cast.hana_user,
            title="Q4 priorities",
            priorities=SIX,
            participants=[cast.marco_user, cast.priya_user],
            previous=None,
        )
        rank(cast.marco_user, cls.check, [1, 2, 3, 4, 5, 6])
        rank(cast.priya_user, cls.check, [3, 1, 2, 6, 4, 5])

    def test_neither_participant_recovers_a_rank_of_the_other(self) -> None:
        for user in (self.cast.marco_user, self.cast.priya_user):
            results = observed(self, self.api, user, self.check)
            mine = own_ranks(self.api, user, self.check)
            self.assertEqual(recovered(mine, 1, results), [], user.get_username())

    def test_the_old_ranges_would_have_given_every_rank_away(self) -> None:
        # what the page showed before: the highest and lowest rank per priority. With
        # one's own rank, the other end of the range is the other's rank.
        rankings = priority_check.load_rankings(self.check)
        marco = rankings[self.cast.marco_user.pk]
        priya = rankings[self.cast.priya_user.pk]
        for found in priority_check.disagreements(rankings, limit=len(SIX)):
            own = marco[found.priority]
            other = found.lowest_rank if own == found.highest_rank else found.highest_rank
            self.assertEqual(other, priya[found.priority])

    def test_non_participants_see_the_same(self) -> None:
        marco = observed(self, self.api, self.cast.marco_user, self.check)
        for user in (self.cast.paul_user, self.cast.vera_user):
            data = self.api.get(user, f"/strategy/checks/{self.check.pk}").json()
            self.assertEqual(data["results"], marco, user.get_username())
            self.assertEqual(data["rankings"], [])

    def test_an_admin_still_sees_each_ranking(self) -> None:
        data = self.api.get(self.cast.hana_user, f"/strategy/checks/{self.check.pk}").json()
        self.assertEqual(len(data["rankings"]), 2)
        self.assertTrue(data["results"]["disagreements"])


class ThreeParticipants(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.api = ApiClient()
        cast = cls.cast
        cls.previous = do_create_check(
            cast.hana_user,
            title="Q3 priorities",
            priorities=FIVE,
            participants=[cast.marco_user, cast.priya_user],
            previous=None,
        )
        rank(cast.marco_user, cls.previous, [1, 2, 3, 4, 5])
        rank(cast.priya_user, cls.previous, [2, 1, 3, 5, 4])
        cls.check = do_create_check(
            cast.hana_user,
            title="Q4 priorities",
            priorities=FIVE,
            participants=[cast.marco_user, cast.priya_user, cast.paul_user],
        )
        rank(cast.marco_user, cls.check, [1, 2, 3, 4, 5])
        rank(cast.priya_user, cls.check, [2, 1, 3, 5, 4])  # the same as in Q3
        rank(cast.paul_user, cls.check, [4, 3, 5, 1, 2])

    def test_no_participant_recovers_a_rank_of_another(self) -> None:
        self.assertEqual(self.check.previous, self.previous)
        for user in (self.cast.marco_user, self.cast.priya_user, self.cast.paul_user):
            results = observed(self, self.api, user, self.check)
            # the change compares the means: no pair's tau comes out of it
            self.assertEqual(results["change"]["basis"], "all pairs")
            mine = own_ranks(self.api, user, self.check)
            self.assertEqual(recovered(mine, 2, results), [], user.get_username())


@pytest.mark.parametrize("n", [3, 4, 5])
def test_only_full_agreement_or_its_reverse_gives_a_ranking_away(n: int) -> None:
    """Every ranking another might give, against one's own: nothing is recovered unless
    the tau is 1 or -1, which says the order is the same or the reverse."""
    mine = {pk: pk for pk in range(1, n + 1)}
    for order in itertools.permutations(range(1, n + 1)):
        other = dict(zip(mine, order, strict=True))
        public = priority_check.public_result({"me": mine, "other": other})
        assert public is not None and public[1] is not None
        results = {"rankings_in": public[0], "mean_tau": public[1], "reading": public[2]}
        found = recovered(mine, 1, results)
        if abs(abs(public[1]) - 1) < 1e-9:
            assert len(found) == n
        else:
            assert found == [], (order, public)
