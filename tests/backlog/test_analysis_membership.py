"""Sprint membership replayed by Polars agrees with a plain replay of each item's history."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from productops.backlog.analysis.schema import changes_frame, items_frame, sprints_frame
from productops.backlog.analysis.stability import sprint_stability

ORIGIN = datetime(2026, 1, 1)
START, END = ORIGIN + timedelta(days=10), ORIGIN + timedelta(days=20)
SPRINT = {"source_id": "1", "name": "Sprint 1", "start": START, "completed": END}

# an item: in the sprint before its first change or not, then toggles on distinct days
# (days 10 and 20 are the sprint's start and end, so the edges get exercised)
histories = st.lists(
    st.tuples(st.booleans(), st.lists(st.integers(0, 30), unique=True, max_size=5)),
    min_size=1,
    max_size=8,
)


def plain_replay(initially: bool, days: list[int]) -> tuple[bool, bool, bool]:
    """(committed, added, in at the end) by walking the history one change at a time."""
    state, committed, joined_inside, at_end = initially, initially, False, initially
    for day in sorted(days):
        state = not state
        moment = ORIGIN + timedelta(days=day)
        if moment <= START:
            committed = state
        if START < moment < END and state:
            joined_inside = True
        if moment < END:
            at_end = state
    return committed, (not committed) and joined_inside, at_end


@settings(max_examples=150, deadline=None)
@given(histories)
def test_polars_replay_matches_a_plain_replay(history):
    items, changes = [], []
    expected = {"committed": 0, "added": 0, "removed": 0, "carried_over": 0}
    for item_id, (initially, days) in enumerate(history, start=1):
        state = initially
        for day in sorted(days):
            before, after = ("Sprint 1", "") if state else ("", "Sprint 1")
            changes.append(
                {
                    "item_id": item_id,
                    "at": ORIGIN + timedelta(days=day),
                    "field": "sprint",
                    "from_value": before,
                    "to_value": after,
                }
            )
            state = not state
        items.append(
            {
                "id": item_id,
                "created": ORIGIN - timedelta(days=1),
                "sprints": ["1"] if state else [],
            }
        )
        committed, added, at_end = plain_replay(initially, days)
        expected["committed"] += committed
        expected["added"] += added
        expected["removed"] += (committed or added) and not at_end
        expected["carried_over"] += at_end

    result = sprint_stability(
        items_frame(items),
        changes_frame(changes),
        sprints_frame([SPRINT]),
        as_of=ORIGIN + timedelta(days=60),
    ).sprints.to_dicts()

    if expected["committed"] + expected["added"] == 0:
        assert result == []
    else:
        [sprint] = result
        assert {name: sprint[name] for name in expected} == expected
