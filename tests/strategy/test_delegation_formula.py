"""The recommendation formula, worked by hand: no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productops.strategy.delegation import (
    MICROMANAGEMENT,
    OVER_DELEGATION,
    MaturityParts,
    cadence_part,
    competence_score,
    finding,
    level_for,
    maturity,
    recommended_level,
    round_half_up,
    team_competence,
    trio_completeness,
)


def test_all_three_parts_weigh_half_quarter_quarter() -> None:
    # 0.5·0.6 + 0.25·(2/3) + 0.25·0.5 = 0.3 + 1/6 + 0.125 = 0.591666…
    parts = MaturityParts(competence=0.6, trio=2 / 3, cadence=0.5)
    assert maturity(parts) == pytest.approx(0.5916667, abs=1e-6)
    # 1 + 6·0.591666… = 4.55 -> 5 (medium), 4 (high), 6 (low)
    assert recommended_level(parts, "medium") == 5
    assert recommended_level(parts, "high") == 4
    assert recommended_level(parts, "low") == 6


def test_a_missing_part_is_left_out_and_the_weights_renormalized() -> None:
    # No competence: (0.25·1 + 0.25·0) / 0.5 = 0.5 -> 1 + 3 = 4
    parts = MaturityParts(trio=1.0, cadence=0.0)
    assert maturity(parts) == pytest.approx(0.5)
    assert recommended_level(parts, "medium") == 4
    # No cadence: (0.5·0.5 + 0.25·1/3) / 0.75 = (0.25 + 1/12) / 0.75 = 4/9
    parts = MaturityParts(competence=0.5, trio=1 / 3)
    assert maturity(parts) == pytest.approx(4 / 9)
    # 1 + 6·4/9 = 3.666… -> 4
    assert recommended_level(parts, "medium") == 4
    # Only trio: M is the trio itself.
    assert maturity(MaturityParts(trio=1 / 3)) == pytest.approx(1 / 3)
    assert recommended_level(MaturityParts(trio=1 / 3), "medium") == 3


def test_no_part_at_all_means_no_recommendation() -> None:
    assert maturity(MaturityParts()) is None
    assert recommended_level(MaturityParts(), "low") is None
    assert level_for(None, "high") is None


def test_halves_round_up() -> None:
    assert round_half_up(2.5) == 3
    assert round_half_up(3.5) == 4
    assert round_half_up(3.4999) == 3
    assert round_half_up(-0.5) == 0
    # M = 0.25: 1 + 1.5 = 2.5 -> 3 (Python's round would give 2)
    assert level_for(0.25, "medium") == 3
    # M = 0.75: 1 + 4.5 = 5.5 -> 6; for a high difficulty 4.5 -> 5 (round would give 4)
    assert level_for(0.75, "medium") == 6
    assert level_for(0.75, "high") == 5
    # Thirds summed as floats: M = 1/3, 1 + 2 = 3 exactly, not 2.9999…
    assert recommended_level(MaturityParts(1 / 3, 1 / 3, 1 / 3), "medium") == 3
    # trio 2/3, cadence 0, no competence: M = 1/3 -> 3; with high: 2
    assert recommended_level(MaturityParts(trio=2 / 3, cadence=0.0), "high") == 2
    # Competence 0 and trio 1/3: M = (0.25/3) / 0.75 = 1/9; 1 + 6/9 = 1.67 -> 2
    assert recommended_level(MaturityParts(competence=0.0, trio=1 / 3), "medium") == 2


def test_levels_are_clamped_to_one_and_seven() -> None:
    assert level_for(1.0, "low") == 7  # 1 + 6 + 1 = 8 -> 7
    assert level_for(1.0, "medium") == 7
    assert level_for(1.0, "high") == 6
    assert level_for(0.0, "high") == 1  # 1 + 0 - 1 = 0 -> 1
    assert level_for(0.0, "medium") == 1
    assert level_for(0.0, "low") == 2


def test_an_unknown_difficulty_is_an_error() -> None:
    with pytest.raises(ValueError):
        level_for(0.5, "extreme")


def test_findings_start_two_levels_away() -> None:
    assert finding(6, 4) == OVER_DELEGATION
    assert finding(5, 4) is None
    assert finding(4, 4) is None
    assert finding(3, 4) is None
    assert finding(2, 4) == MICROMANAGEMENT
    assert finding(7, 1) == OVER_DELEGATION
    assert finding(1, 7) == MICROMANAGEMENT
    assert finding(None, 4) is None
    assert finding(4, None) is None


def test_competence_is_the_mean_consensus_placed_on_the_scale() -> None:
    # Consensus 3, 7/3, 3 on 1..5: mean 25/9; (25/9 - 1) / 4 = 4/9
    assert competence_score([3, 7 / 3, 3], [1, 2, 3, 4, 5]) == pytest.approx(4 / 9)
    # Competencies without a consensus are left out of the mean.
    assert competence_score([4, None], [1, 2, 3, 4, 5]) == pytest.approx(0.75)
    assert competence_score([None], [1, 2, 3, 4, 5]) is None
    assert competence_score([], [1, 2, 3]) is None
    # A scale from 0: (2 - 0) / 4
    assert competence_score([2], [0, 1, 2, 3, 4]) == pytest.approx(0.5)
    # A one-step scale places nothing.
    assert competence_score([1], [1]) is None


def test_several_pms_count_as_their_mean() -> None:
    assert team_competence([0.2, 0.6]) == pytest.approx(0.4)
    assert team_competence([0.2, None]) == pytest.approx(0.2)
    assert team_competence([None]) is None
    assert team_competence([]) is None


def test_trio_counts_product_design_and_engineering_once_each() -> None:
    assert trio_completeness(["product_manager", "design_lead", "tech_lead"]) == 1
    assert trio_completeness(["product_manager", "designer", "engineer", "engineer"]) == 1
    assert trio_completeness(["product_manager"]) == pytest.approx(1 / 3)
    assert trio_completeness(["product_manager", "product_manager"]) == pytest.approx(1 / 3)
    assert trio_completeness(["analyst", "other"]) == 0
    assert trio_completeness([]) == 0


def test_cadence_is_the_weekly_share() -> None:
    assert cadence_part(0.75) == 0.75
    assert cadence_part(None) is None


@given(
    competence=st.one_of(st.none(), st.floats(0, 1)),
    trio=st.one_of(st.none(), st.sampled_from([0, 1 / 3, 2 / 3, 1])),
    cadence=st.one_of(st.none(), st.floats(0, 1)),
    difficulty=st.sampled_from(["low", "medium", "high"]),
)
def test_any_parts_give_a_level_from_one_to_seven_or_none(
    competence, trio, cadence, difficulty
) -> None:
    parts = MaturityParts(competence, trio, cadence)
    level = recommended_level(parts, difficulty)
    if competence is None and trio is None and cadence is None:
        assert level is None
    else:
        assert 1 <= level <= 7
        assert 0 <= maturity(parts) <= 1


@given(team_maturity=st.floats(0, 1), difficulty=st.sampled_from(["low", "medium", "high"]))
def test_harder_areas_never_get_a_higher_level(team_maturity, difficulty) -> None:
    assert level_for(team_maturity, "high") <= level_for(team_maturity, "medium")
    assert level_for(team_maturity, "medium") <= level_for(team_maturity, "low")
