"""Gap arithmetic on hand-built facts: no database, every number worked out by hand."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productops.competencies import gaps
from productops.competencies.gaps import Answer, CompetencyFact, PersonFact

KEYS = ("discovery", "delivery", "strategy", "influence")
COMPETENCIES = [CompetencyFact(key=key, name=key.title()) for key in KEYS]
PRIYA = PersonFact(id=1, name="Priya PM", level="PM", manager_id=9, manager_name="Marco")


def answers(kind: str, **scores: int | None) -> list[Answer]:
    return [Answer(kind=kind, competency_key=key, score=score) for key, score in scores.items()]


def peers(key: str, *scores: int | None) -> list[Answer]:
    return [Answer(kind="peer", competency_key=key, score=score) for score in scores]


def one(key: str, *given: list[Answer], expected: int | None = None) -> gaps.CompetencyGap:
    flat = [answer for group in given for answer in group]
    result = gaps.person_gaps(
        PRIYA, COMPETENCIES, flat, {key: expected} if expected is not None else {}
    )
    return result.row(key)


def test_the_module_is_pure() -> None:
    tree = ast.parse(Path(gaps.__file__).read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not imported & {"django", "productops"}, imported


def test_rater_kinds_match_the_model_choices() -> None:
    from productops.competencies.models import RaterKind
    from productops.competencies.visibility import PEER_ANONYMITY_THRESHOLD

    assert {gaps.SELF, gaps.MANAGER, gaps.PEER} == set(RaterKind.values)
    assert gaps.PEER_ANONYMITY_THRESHOLD == PEER_ANONYMITY_THRESHOLD


class TestConsensus:
    def test_manager_and_peer_mean_weigh_the_same(self) -> None:
        # peers 2, 3, 3 -> 8/3; others (2 + 8/3) / 2 = 7/3; gap 3 - 7/3 = 2/3
        row = one(
            "discovery",
            answers("self", discovery=4),
            answers("manager", discovery=2),
            peers("discovery", 2, 3, 3),
            expected=3,
        )
        assert row.peer_mean == pytest.approx(8 / 3)
        assert row.peer_count == 3
        assert row.others == pytest.approx(7 / 3)
        assert row.consensus == pytest.approx(7 / 3)
        assert row.basis == "manager+peers"
        assert row.gap == pytest.approx(2 / 3)
        assert gaps.shown(row.gap, signed=True) == "+0.67"

    def test_self_does_not_count_when_others_answered(self) -> None:
        row = one("delivery", answers("self", delivery=5), answers("manager", delivery=2))
        assert row.consensus == 2
        assert row.basis == "manager"

    def test_peers_only(self) -> None:
        row = one("delivery", peers("delivery", 4, 4, 1, 3), expected=4)
        assert row.consensus == 3
        assert row.basis == "peers"
        assert row.gap == 1

    def test_two_managers_are_averaged(self) -> None:
        row = one("delivery", answers("manager", delivery=3), answers("manager", delivery=4))
        assert row.manager_score == 3.5
        assert row.consensus == 3.5

    def test_self_only_falls_back_to_self(self) -> None:
        row = one("strategy", answers("self", strategy=2), expected=3)
        assert row.consensus == 2
        assert row.others is None
        assert row.basis == "self"
        assert row.gap == 1
        assert row.signal is None  # never compared with itself

    def test_no_answers_no_consensus_no_gap(self) -> None:
        row = one("strategy", answers("self", discovery=3), expected=3)
        assert row.consensus is None
        assert row.gap is None
        assert row.basis == "none"

    def test_gap_is_none_without_an_expectation(self) -> None:
        row = one("delivery", answers("manager", delivery=2))
        assert row.expected is None
        assert row.gap is None

    def test_gap_above_expectation_is_negative(self) -> None:
        row = one("delivery", answers("manager", delivery=5), expected=3)
        assert row.gap == -2
        assert gaps.shown(row.gap, signed=True) == "-2"


class TestPeerThreshold:
    def test_two_peer_answers_are_hidden_and_left_out(self) -> None:
        row = one(
            "discovery", answers("manager", discovery=4), peers("discovery", 1, 1), expected=4
        )
        assert row.peer_count == 2
        assert row.peer_mean is None
        assert row.others == 4  # not (4 + 1) / 2: the two peers are left out entirely
        assert row.gap == 0
        assert row.peers_cell() == "hidden (n=2, 3 needed)"

    def test_three_peer_answers_are_shown(self) -> None:
        row = one("discovery", answers("manager", discovery=4), peers("discovery", 1, 1, 1))
        assert row.peer_mean == 1
        assert row.others == 2.5
        assert row.peers_cell() == "1 (n=3)"

    def test_two_peers_without_a_manager_fall_back_to_self(self) -> None:
        row = one("discovery", answers("self", discovery=3), peers("discovery", 1, 5))
        assert row.consensus == 3
        assert row.basis == "self"

    def test_not_observed_answers_do_not_count_towards_the_threshold(self) -> None:
        row = one("discovery", answers("manager", discovery=2), peers("discovery", 3, 3, None))
        assert row.peer_count == 2
        assert row.peer_mean is None
        assert row.consensus == 2

    def test_not_observed_self_and_manager_count_nowhere(self) -> None:
        row = one("discovery", answers("self", discovery=None), answers("manager", discovery=None))
        assert row.self_score is None
        assert row.manager_score is None
        assert row.consensus is None

    def test_the_threshold_is_a_parameter(self) -> None:
        result = gaps.person_gaps(PRIYA, COMPETENCIES, peers("discovery", 2, 4), peer_threshold=2)
        assert result.row("discovery").peer_mean == 3


class TestSignals:
    def test_blind_spot_at_exactly_one_and_a_half(self) -> None:
        # others (2 + 3) / 2 = 2.5; self 4 - 2.5 = 1.5
        row = one(
            "discovery",
            answers("self", discovery=4),
            answers("manager", discovery=2),
            peers("discovery", 3, 3, 3),
        )
        assert row.self_minus_others == 1.5
        assert row.signal == "blind_spot"

    def test_just_under_one_and_a_half_is_no_blind_spot(self) -> None:
        # peers 3, 3, 4 -> 10/3; others (2 + 10/3) / 2 = 8/3; self 4 - 8/3 = 4/3
        row = one(
            "discovery",
            answers("self", discovery=4),
            answers("manager", discovery=2),
            peers("discovery", 3, 3, 4),
        )
        assert row.self_minus_others == pytest.approx(4 / 3)
        assert row.signal is None

    def test_hidden_strength_at_exactly_one_and_a_half(self) -> None:
        row = one(
            "discovery",
            answers("self", discovery=1),
            answers("manager", discovery=3),
            peers("discovery", 2, 2, 2),
        )
        assert row.self_minus_others == -1.5
        assert row.signal == "hidden_strength"

    def test_one_and_a_half_from_two_managers(self) -> None:
        row = one(
            "delivery",
            answers("self", delivery=5),
            answers("manager", delivery=3),
            answers("manager", delivery=4),
        )
        assert row.signal == "blind_spot"

    def test_one_step_apart_is_nothing(self) -> None:
        row = one("delivery", answers("self", delivery=4), answers("manager", delivery=3))
        assert row.signal is None

    def test_person_lists_their_signals(self) -> None:
        result = gaps.person_gaps(
            PRIYA,
            COMPETENCIES,
            answers("self", discovery=5, delivery=1, strategy=3)
            + answers("manager", discovery=2, delivery=3, strategy=3),
        )
        assert [row.key for row in result.blind_spots] == ["discovery"]
        assert [row.key for row in result.hidden_strengths] == ["delivery"]


class TestTopGaps:
    def test_largest_positive_gaps_ties_in_model_order(self) -> None:
        result = gaps.person_gaps(
            PRIYA,
            COMPETENCIES,
            answers("manager", discovery=3, delivery=2, strategy=2, influence=2),
            {"discovery": 4, "delivery": 3, "strategy": 4, "influence": 3},
        )
        # gaps: discovery 1, delivery 1, strategy 2, influence 1
        assert [row.key for row in result.top_gaps] == ["strategy", "discovery", "delivery"]
        assert result.total_gap == 5
        assert result.below_count == 4

    def test_zero_and_negative_gaps_are_never_top(self) -> None:
        result = gaps.person_gaps(
            PRIYA,
            COMPETENCIES,
            answers("manager", discovery=3, delivery=5, strategy=1),
            {"discovery": 3, "delivery": 3, "strategy": 2, "influence": 3},
        )
        assert [row.key for row in result.top_gaps] == ["strategy"]
        assert result.total_gap == 1  # surpluses do not offset shortfalls

    def test_tie_on_a_mean_is_broken_by_model_order(self) -> None:
        # both gaps 4 - 7/3 = 5/3, reached by different sums
        result = gaps.person_gaps(
            PRIYA,
            COMPETENCIES,
            answers("manager", delivery=2, discovery=2)
            + peers("delivery", 2, 3, 3)
            + peers("discovery", 3, 3, 2),
            {"discovery": 4, "delivery": 4},
        )
        assert [row.key for row in result.top_gaps] == ["discovery", "delivery"]


class TestChange:
    def test_change_against_the_previous_consensus_by_key(self) -> None:
        result = gaps.person_gaps(
            PRIYA,
            COMPETENCIES,
            answers("manager", discovery=2, delivery=3) + peers("discovery", 2, 3, 3),
            previous=answers("self", discovery=3, strategy=4)
            + answers("manager", discovery=1, delivery=4, retired=2),
        )
        assert result.row("discovery").previous == 1
        assert result.row("discovery").change == pytest.approx(7 / 3 - 1)
        assert result.row("delivery").change == -1
        # strategy: self-only 4 before, no answer now
        assert result.row("strategy").previous == 4
        assert result.row("strategy").change is None
        assert result.row("influence").change is None

    def test_no_previous_cycle_no_change(self) -> None:
        result = gaps.person_gaps(PRIYA, COMPETENCIES, answers("manager", discovery=2))
        assert result.row("discovery").previous is None
        assert result.row("discovery").change is None


class TestGroups:
    def people(self) -> list[gaps.PersonGaps]:
        expected = {"discovery": 3, "delivery": 3}
        return [
            gaps.person_gaps(
                PersonFact(id=1, name="Ann", manager_id=9, manager_name="Marco"),
                COMPETENCIES,
                answers("manager", discovery=1, delivery=2),  # total 3, 2 below
                expected,
            ),
            gaps.person_gaps(
                PersonFact(id=2, name="Ben", manager_id=9, manager_name="Marco"),
                COMPETENCIES,
                answers("manager", discovery=3, delivery=5) + peers("discovery", 1, 1, 1),
                expected,  # discovery (3 + 1) / 2 = 2 -> gap 1; total 1
            ),
            gaps.person_gaps(
                PersonFact(id=3, name="Cid", manager_id=9, manager_name="Marco"),
                COMPETENCIES,
                answers("manager", discovery=0, delivery=3),  # total 3, 1 below
                expected,
            ),
            gaps.person_gaps(
                PersonFact(id=4, name="Dee", manager_id=8, manager_name="Hana"),
                COMPETENCIES,
                answers("manager", discovery=3, delivery=3),  # nothing below
                expected,
            ),
            gaps.person_gaps(
                PersonFact(id=5, name="Eve", manager_id=None),
                COMPETENCIES,
                answers("manager", discovery=1),
                expected,
            ),
        ]

    def test_distribution_buckets_and_median(self) -> None:
        results = self.people()
        extra = gaps.person_gaps(
            PersonFact(id=6, name="Fay"),
            COMPETENCIES,
            answers("manager", delivery=2) + peers("delivery", 3, 3, 3),  # 2.5 -> step 3
        )
        by_key = {
            d.key: d for d in gaps.distribution([*results, extra], COMPETENCIES, [1, 2, 3, 4, 5])
        }
        discovery = by_key["discovery"]
        # 1, 2, 0 (clamped to step 1), 3, 1
        assert discovery.counts == (3, 1, 1, 0, 0)
        assert discovery.people == 5
        assert discovery.median == 1
        delivery = by_key["delivery"]
        # 2, 5, 3, 3, 2.5
        assert delivery.counts == (0, 1, 3, 0, 1)
        assert delivery.median == 3
        assert by_key["strategy"].people == 0
        assert by_key["strategy"].median is None

    def test_step_bucket_rounds_halves_up_within_the_scale(self) -> None:
        steps = [1, 2, 3, 4, 5, 6]
        assert gaps.step_bucket(2.5, steps) == 3
        assert gaps.step_bucket(7 / 3, steps) == 2
        assert gaps.step_bucket(2.75, steps) == 3
        assert gaps.step_bucket(0.2, steps) == 1
        assert gaps.step_bucket(9, steps) == 6

    def test_who_most_needs_support(self) -> None:
        groups = gaps.needs_support(self.people())
        assert [g.manager_name for g in groups] == ["Marco"]
        marco = groups[0]
        # Ann and Cid both total 3: Ann has more competencies below expectation
        assert [(e.name, e.total_gap, e.below) for e in marco.people] == [
            ("Ann", 3, 2),
            ("Cid", 3, 1),
            ("Ben", 1, 1),
        ]
        assert marco.people[0].top == ("Discovery", "Delivery")

    def test_support_limited_to_some_managers(self) -> None:
        assert gaps.needs_support(self.people(), managers={8}) == []


def test_shown_numbers() -> None:
    assert gaps.shown(None) == "—"
    assert gaps.shown(3.0) == "3"
    assert gaps.shown(2.5) == "2.5"
    assert gaps.shown(7 / 3) == "2.33"
    assert gaps.shown(2 / 3, signed=True) == "+0.67"
    assert gaps.shown(-0.001, signed=True) == "0"
    assert gaps.rounded(-0.001) == 0.0


def test_as_dict_never_holds_a_single_peer_score() -> None:
    result = gaps.person_gaps(
        PRIYA,
        COMPETENCIES,
        answers("manager", discovery=4) + peers("discovery", 1, 2),
        {"discovery": 4},
    )
    row = result.as_dict()["competencies"][0]
    assert row["peer_mean"] is None
    assert row["peer_count"] == 2
    assert row["consensus"] == 4
    assert 1 not in row.values() and 1.5 not in row.values()


scores = st.lists(st.integers(min_value=1, max_value=6), max_size=4)


@given(own=scores, managers=scores, few_peers=st.lists(st.integers(1, 6), max_size=2))
def test_fewer_than_three_peers_never_move_a_number(own, managers, few_peers) -> None:
    base = answers_of("self", own) + answers_of("manager", managers)
    without = gaps.person_gaps(PRIYA, COMPETENCIES, base, {"discovery": 3}).as_dict()
    with_peers = gaps.person_gaps(
        PRIYA, COMPETENCIES, base + answers_of("peer", few_peers), {"discovery": 3}
    ).as_dict()
    for row in with_peers["competencies"]:
        row["peer_count"] = 0
        row["peers_answered"] = "none"
    assert with_peers == without


@given(own=scores, managers=scores, peer_scores=scores)
def test_consensus_stays_within_the_others_answers(own, managers, peer_scores) -> None:
    row = gaps.person_gaps(
        PRIYA,
        COMPETENCIES,
        answers_of("self", own) + answers_of("manager", managers) + answers_of("peer", peer_scores),
        {"discovery": 4},
    ).row("discovery")
    counted = managers + (peer_scores if len(peer_scores) >= 3 else [])
    pool = counted or own
    if not pool:
        assert row.consensus is None and row.gap is None
        return
    assert min(pool) - 1e-9 <= row.consensus <= max(pool) + 1e-9
    assert row.gap == pytest.approx(4 - row.consensus)


def answers_of(kind: str, values: list[int]) -> list[Answer]:
    return [Answer(kind=kind, competency_key="discovery", score=value) for value in values]
