"""Django admin holds what every strategy reader sees, never the individual rankings."""

from __future__ import annotations

from django.contrib import admin

from productops.strategy.models import (
    AlignmentRule,
    DecisionArea,
    Delegation,
    Objective,
    ObjectiveLink,
    Priority,
    PriorityCheck,
    RankEntry,
    Ranking,
)


def test_the_shared_records_are_registered() -> None:
    for model in (
        Objective,
        ObjectiveLink,
        AlignmentRule,
        PriorityCheck,
        Priority,
        DecisionArea,
        Delegation,
    ):
        assert admin.site.is_registered(model), model


def test_rankings_are_never_registered() -> None:
    assert not admin.site.is_registered(Ranking)
    assert not admin.site.is_registered(RankEntry)
