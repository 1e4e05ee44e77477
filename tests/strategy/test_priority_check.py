"""Kendall's tau, disagreements and the change since the last check, worked out by hand.

Pure functions: no database.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productops.strategy.priority_check import (
    NO_AGREEMENT,
    NO_TAU,
    PairAgreement,
    agreement_change,
    check_status,
    disagreements,
    kendall_tau,
    mean_tau,
    pair_agreements,
    reading,
    shared_ranks,
    spread_changes,
    title_key,
)

ABCD = "ABCD"


def ranks(*values: float, keys: str = ABCD) -> dict[str, float]:
    return dict(zip(keys, values, strict=True))


# -- Kendall's tau-b ----------------------------------------------------------------------


def test_identical_rankings_agree_fully() -> None:
    assert kendall_tau(ranks(1, 2, 3, 4), ranks(1, 2, 3, 4)) == pytest.approx(1.0)


def test_reversed_rankings_are_opposite() -> None:
    assert kendall_tau(ranks(1, 2, 3, 4), ranks(4, 3, 2, 1)) == pytest.approx(-1.0)


def test_one_swap_in_four() -> None:
    # 6 pairs: A-B discordant, the other 5 concordant, no ties: (5 - 1) / 6
    assert kendall_tau(ranks(1, 2, 3, 4), ranks(2, 1, 3, 4)) == pytest.approx(4 / 6)


def test_ties_use_tau_b() -> None:
    # x = 1 1 2 3, y = 1 2 3 3. Pairs: A-B tied in x only, C-D tied in y only, the other
    # 4 concordant. tau-b = (4 - 0) / sqrt((6 - 1) * (6 - 1)) = 0.8 (tau-a would say 4/6).
    assert kendall_tau(ranks(1, 1, 2, 3), ranks(1, 2, 3, 3)) == pytest.approx(0.8)


def test_ties_on_both_sides_of_the_same_pair() -> None:
    # x = 1 1 2, y = 2 2 1: A-B tied in both; A-C and B-C discordant.
    # n0 = 3, ties in x: 1, in y: 1 -> (0 - 2) / sqrt(2 * 2) = -1
    keys = "ABC"
    assert kendall_tau(ranks(1, 1, 2, keys=keys), ranks(2, 2, 1, keys=keys)) == pytest.approx(-1)


def test_tau_is_undefined_without_an_order() -> None:
    assert kendall_tau(ranks(1, 1, 1, 1), ranks(1, 2, 3, 4)) is None
    assert kendall_tau({"A": 1}, {"A": 1}) is None
    assert kendall_tau({"A": 1, "B": 2}, {"C": 1, "D": 2}) is None


def test_tau_only_counts_the_priorities_both_ranked() -> None:
    assert kendall_tau(ranks(1, 2, 3, 4), {"A": 1, "B": 2, "X": 3}) == pytest.approx(1.0)


@given(
    st.permutations(list(range(1, 7))),
    st.lists(st.integers(1, 6), min_size=6, max_size=6),
)
def test_tau_is_symmetric_and_bounded(first: list[int], second: list[int]) -> None:
    keys = "ABCDEF"
    a, b = ranks(*first, keys=keys), ranks(*second, keys=keys)
    tau = kendall_tau(a, b)
    other = kendall_tau(b, a)
    assert (tau is None) == (other is None)
    if tau is not None:
        assert tau == pytest.approx(other)
        assert -1 - 1e-9 <= tau <= 1 + 1e-9
    assert kendall_tau(a, a) == pytest.approx(1.0)


def test_every_pair_and_the_mean_for_three_people() -> None:
    rankings = {
        "ceo": ranks(1, 2, 3, 4),
        "cpo": ranks(1, 2, 3, 4),
        "cto": ranks(4, 3, 2, 1),
    }
    pairs = pair_agreements(rankings)
    assert [(p.first, p.second, round(p.tau, 6)) for p in pairs] == [
        ("ceo", "cpo", 1.0),
        ("ceo", "cto", -1.0),
        ("cpo", "cto", -1.0),
    ]
    assert mean_tau(pairs) == pytest.approx(-1 / 3)


def test_the_mean_leaves_out_undefined_pairs() -> None:
    pairs = [PairAgreement("a", "b", 0.5), PairAgreement("a", "c", None)]
    assert mean_tau(pairs) == pytest.approx(0.5)
    assert mean_tau([PairAgreement("a", "c", None)]) is None


@pytest.mark.parametrize(
    ("tau", "words"),
    [
        (1.0, "strong agreement"),
        (0.7, "strong agreement"),
        (0.69, "moderate agreement"),
        (0.4, "moderate agreement"),
        (0.39, "weak agreement"),
        (0.1, "weak agreement"),
        (0.09, NO_AGREEMENT),
        (0.0, NO_AGREEMENT),
        (-1.0, NO_AGREEMENT),
        (None, NO_TAU),
    ],
)
def test_reading_in_plain_words(tau: float | None, words: str) -> None:
    assert reading(tau) == words


def test_a_computed_seven_tenths_reads_strong() -> None:
    # 0.7 computed in floating point may land a hair below 0.7
    assert reading(0.1 * 7) == "strong agreement"


# -- shared ranks and disagreements -------------------------------------------------------


def test_ties_share_the_average_of_their_places() -> None:
    assert shared_ranks({"A": 1, "B": 1, "C": 3}) == {"A": 1.5, "B": 1.5, "C": 3.0}
    assert shared_ranks({"A": 1, "B": 1, "C": 2}) == {"A": 1.5, "B": 1.5, "C": 3.0}
    assert shared_ranks({}) == {}


def test_largest_spread_first_then_the_pairwise_difference_then_position() -> None:
    # A: 1 1 3 3 -> spread 2, pairwise 0+2+2+2+2+0 = 8
    # B: 2 2 2 4 -> spread 2, pairwise 0+0+2+0+2+2 = 6
    # C: 3 4 1 1 -> spread 3, pairwise 1+2+2+3+3+0 = 11
    # D: 4 3 4 2 -> spread 2, pairwise 1+0+2+1+1+2 = 7
    rankings = {
        1: ranks(1, 2, 3, 4),
        2: ranks(1, 2, 4, 3),
        3: ranks(3, 2, 1, 4),
        4: ranks(3, 4, 1, 2),
    }
    found = disagreements(rankings, order="ABCD")
    assert [(d.priority, d.spread, d.pairwise_difference) for d in found] == [
        ("C", 3, 11),
        ("A", 2, 8),
        ("D", 2, 7),
        ("B", 2, 6),
    ]
    assert (found[0].highest_rank, found[0].lowest_rank) == (1, 4)


def test_equal_disagreements_keep_the_checks_order() -> None:
    # two people swap A and B, and C and D: every spread is 1, every pairwise 1
    rankings = {1: ranks(1, 2, 3, 4), 2: ranks(2, 1, 4, 3)}
    assert [d.priority for d in disagreements(rankings, order="DCBA")] == list("DCBA")
    assert [d.priority for d in disagreements(rankings, order="ABCD")] == list("ABCD")


def test_no_disagreement_when_everyone_agrees_and_at_most_five() -> None:
    assert disagreements({1: ranks(1, 2, 3, 4), 2: ranks(1, 2, 3, 4)}) == []
    keys = "ABCDEFGH"
    forward = ranks(*range(1, 9), keys=keys)
    backward = ranks(*range(8, 0, -1), keys=keys)
    found = disagreements({1: forward, 2: backward})
    assert len(found) == 5
    # spreads 7 (A, H), 5 (B, G), 3 (C, ...): the largest first
    assert [d.spread for d in found] == [7, 7, 5, 5, 3]


def test_disagreement_uses_shared_ranks_for_ties() -> None:
    # person 1 ties A and B first (1.5 each); person 2 puts A first, B third
    found = disagreements({1: {"A": 1, "B": 1, "C": 3}, 2: {"A": 1, "B": 3, "C": 2}})
    assert [(d.priority, d.spread) for d in found] == [("B", 1.5), ("C", 1), ("A", 0.5)]


# -- change since the last check ----------------------------------------------------------


def test_change_for_the_same_two_people() -> None:
    then = [PairAgreement("ceo", "cpo", 0.2)]
    now = [PairAgreement("cpo", "ceo", 0.8)]  # the pair, in either order
    change = agreement_change(now, then)
    assert change.basis == "same people"
    assert (change.tau_then, change.tau_now) == (0.2, 0.8)
    assert change.change == pytest.approx(0.6)


def test_change_compares_the_means_when_people_joined() -> None:
    # comparing only the pair in both checks would give that pair's tau away
    then = [PairAgreement("ceo", "cpo", 0.2)]
    now = [
        PairAgreement("ceo", "cpo", 0.4),
        PairAgreement("ceo", "cto", -1.0),
        PairAgreement("cpo", "cto", -1.0),
    ]
    change = agreement_change(now, then)
    assert change.basis == "all pairs"
    assert change.tau_now == pytest.approx(-1.6 / 3)
    assert change.change == pytest.approx(-1.6 / 3 - 0.2)


def test_change_falls_back_to_the_means_for_other_people() -> None:
    then = [PairAgreement("ceo", "cpo", 0.5), PairAgreement("ceo", "cfo", 0.1)]
    now = [PairAgreement("ceo", "cto", 0.9)]
    change = agreement_change(now, then)
    assert change.basis == "all pairs"
    assert change.tau_then == pytest.approx(0.3)
    assert change.change == pytest.approx(0.6)


def test_change_is_undefined_when_a_tau_is() -> None:
    change = agreement_change([PairAgreement("a", "b", None)], [PairAgreement("a", "b", 0.5)])
    assert change.change is None


def test_spread_change_for_priorities_in_both_checks() -> None:
    changes = spread_changes({"pricing": 3, "mobile": 1, "new": 4}, {"mobile": 1, "pricing": 1})
    assert [(c.title, c.spread_then, c.spread_now, c.change) for c in changes] == [
        ("pricing", 1, 3, 2),
        ("mobile", 1, 1, 0),
    ]
    narrowing = spread_changes({"a": 0, "b": 1}, {"a": 3, "b": 2})
    assert [(c.title, c.change) for c in narrowing] == [("a", -3), ("b", -1)]


def test_titles_match_ignoring_case_and_spacing() -> None:
    assert title_key("  Enterprise   SSO ") == title_key("enterprise sso")
    assert title_key("Pricing") != title_key("Pricing page")


def test_status_says_whom_the_check_waits_for() -> None:
    assert check_status(closed=False, participants=2, rankings=0).label == "waiting for 2 of 2"
    assert check_status(closed=False, participants=3, rankings=2).label == "waiting for 1 of 3"
    assert check_status(closed=False, participants=2, rankings=2).key == "complete"
    assert check_status(closed=True, participants=2, rankings=1).key == "closed"
