"""Scope churn, planning accuracy and release churn against sprints computed by hand."""

from __future__ import annotations

from datetime import datetime

import pytest

from productops.backlog.analysis.membership import membership_events
from productops.backlog.analysis.schema import changes_frame, items_frame, sprints_frame
from productops.backlog.analysis.stability import (
    release_stability,
    sprint_lookup,
    sprint_stability,
)
from productops.backlog.analysis.statuses import is_wont_do, status_category_of

NOW = datetime(2026, 3, 1)
BEFORE = datetime(2026, 1, 1)
START = datetime(2026, 1, 10, 9)
END = datetime(2026, 1, 24, 17)
SPRINT_1 = {"source_id": "101", "name": "Sprint 1", "start": START, "completed": END}


def day(n: int, hour: int = 12) -> datetime:
    return datetime(2026, 1, n, hour)


def sprint_change(item_id: int, at: datetime, before: str, after: str) -> dict:
    return {
        "item_id": item_id,
        "at": at,
        "field": "sprint",
        "from_value": before,
        "to_value": after,
    }


def status_change(item_id: int, at: datetime, before: str, after: str) -> dict:
    return {
        "item_id": item_id,
        "at": at,
        "field": "status",
        "from_value": before,
        "to_value": after,
    }


def measure(items, changes, sprints=(SPRINT_1,)):
    result = sprint_stability(
        items_frame(items), changes_frame(changes), sprints_frame(list(sprints)), as_of=NOW
    )
    return result.sprints.to_dicts(), result.additions.to_dicts()


def the_sprint_of_the_brief():
    """5 committed, 2 added mid-sprint (1 from sales), 1 committed removed, 3 committed done."""
    done = {"status_category": "done", "resolution": "Done", "resolved": day(20)}
    items = [
        {"id": 1, "created": BEFORE, "sprints": ["101"], **done},
        {"id": 2, "created": BEFORE, "sprints": ["101"], **done},
        {"id": 3, "created": BEFORE, "sprints": ["101"], **done},
        {"id": 4, "created": BEFORE, "sprints": ["101"], "status_category": "in_progress"},
        {"id": 5, "created": BEFORE, "sprints": []},
        {"id": 6, "created": BEFORE, "sprints": ["101"], "origin": "sales", **done},
        {"id": 7, "created": BEFORE, "sprints": ["101"], "origin": "customer"},
    ]
    changes = [
        sprint_change(5, day(15), "Sprint 1", ""),
        sprint_change(6, day(12), "", "Sprint 1"),
        sprint_change(7, day(12), "", "Sprint 1"),
        *[status_change(i, day(20), "In Progress", "Done") for i in (1, 2, 3, 6)],
        status_change(4, day(11), "To Do", "In Progress"),
    ]
    return items, changes


def test_the_sprint_of_the_brief_churns_three_fifths_and_keeps_three_fifths():
    [sprint], additions = measure(*the_sprint_of_the_brief())

    assert sprint["name"] == "Sprint 1"
    assert (sprint["start"], sprint["end"]) == (START, END)  # not the completed count
    assert (sprint["committed"], sprint["added"], sprint["removed"]) == (5, 2, 1)
    assert sprint["completed"] == 4  # 3 committed + the sales addition
    assert sprint["completed_committed"] == 3
    assert sprint["carried_over"] == 2  # item 4 and the customer addition
    assert sprint["churn"] == pytest.approx(3 / 5)
    assert sprint["accuracy"] == pytest.approx(3 / 5)
    shares = {row["origin"]: row["count"] for row in additions}
    assert shares == {"sales": 1, "customer": 1}


def test_an_item_created_inside_a_running_sprint_is_an_addition_not_a_commitment():
    items = [
        {"id": 1, "created": BEFORE, "sprints": ["101"]},
        {"id": 2, "created": day(15), "sprints": ["101"], "origin": "sales"},
    ]
    [sprint], additions = measure(items, [])

    assert (sprint["committed"], sprint["added"], sprint["carried_over"]) == (1, 1, 2)
    assert additions == [{"source_id": "101", "origin": "sales", "count": 1}]


def test_an_item_moved_into_the_sprint_before_it_started_is_committed():
    items = [{"id": 1, "created": BEFORE, "sprints": ["101"]}]
    changes = [sprint_change(1, day(9), "", "Sprint 1")]
    [sprint], _ = measure(items, changes)

    assert (sprint["committed"], sprint["added"], sprint["churn"]) == (1, 0, 0.0)


def test_jira_lists_several_sprints_in_one_change_and_a_carry_over_keeps_the_old_one():
    sprint_2 = {"source_id": "102", "name": "Sprint 2", "start": day(25), "completed": day(31)}
    items = [{"id": 1, "created": BEFORE, "sprints": ["101", "102"]}]
    changes = [
        sprint_change(1, day(5), "", "Sprint 1"),
        # Jira moves unfinished work on when the sprint completes, a moment after its end
        sprint_change(1, datetime(2026, 1, 24, 17, 0, 3), "Sprint 1", "Sprint 1, Sprint 2"),
    ]
    sprints, _ = measure(items, changes, [SPRINT_1, sprint_2])

    first, second = sprints
    assert (first["committed"], first["removed"], first["carried_over"]) == (1, 0, 1)
    assert (second["committed"], second["added"], second["carried_over"]) == (1, 0, 1)


def test_an_item_taken_out_then_put_back_before_the_end_is_not_removed():
    items = [{"id": 1, "created": BEFORE, "sprints": ["101"]}]
    changes = [sprint_change(1, day(12), "Sprint 1", ""), sprint_change(1, day(14), "", "Sprint 1")]
    [sprint], _ = measure(items, changes)

    assert (sprint["committed"], sprint["added"], sprint["removed"]) == (1, 0, 0)


def test_an_item_closed_as_wont_do_is_not_completed():
    items = [
        {
            "id": 1,
            "created": BEFORE,
            "sprints": ["101"],
            "status_category": "done",
            "resolution": "Won't Do",
            "resolved": day(15),
        },
    ]
    changes = [status_change(1, day(15), "In Progress", "Won't Do")]
    [sprint], _ = measure(items, changes)

    assert (sprint["completed"], sprint["carried_over"], sprint["accuracy"]) == (0, 0, 0.0)


def test_work_done_after_the_sprint_ended_is_carried_over():
    items = [
        {
            "id": 1,
            "created": BEFORE,
            "sprints": ["101"],
            "status_category": "done",
            "resolution": "Done",
            "resolved": day(28),
        }
    ]
    changes = [status_change(1, day(28), "In Progress", "Done")]
    [sprint], _ = measure(items, changes)

    assert (sprint["completed"], sprint["carried_over"]) == (0, 1)


def test_running_and_unstarted_sprints_are_not_measured_yet():
    running = {
        "source_id": "103",
        "name": "Sprint 3",
        "start": day(28),
        "planned_end": datetime(2026, 3, 9),
    }
    future = {"source_id": "104", "name": "Sprint 4"}
    items = [{"id": 1, "created": BEFORE, "sprints": ["103", "104"]}]
    sprints, _ = measure(items, [], [running, future])

    assert sprints == []


def release_change(item_id: int, at: datetime, before: str, after: str) -> dict:
    return {
        "item_id": item_id,
        "at": at,
        "field": "fix_version",
        "from_value": before,
        "to_value": after,
    }


def test_release_churn_counts_additions_removals_and_moves_against_the_first_day():
    items = [
        {"id": 1, "created": BEFORE, "fix_versions": ["2.0"]},
        {"id": 2, "created": BEFORE, "fix_versions": ["2.0"]},
        {"id": 3, "created": BEFORE, "fix_versions": []},  # removed
        {"id": 4, "created": BEFORE, "fix_versions": ["2.1"]},  # moved out to 2.1
        {"id": 5, "created": BEFORE, "fix_versions": ["2.0"]},  # added later
    ]
    changes = [
        *[release_change(i, day(2, 10), "", "2.0") for i in (1, 2, 3, 4)],
        release_change(2, day(2, 15), "", "2.0"),  # a duplicate assignment changes nothing
        release_change(3, day(9), "2.0", ""),
        # Jira records a move as two entries at the same moment
        release_change(4, day(10), "2.0", ""),
        release_change(4, day(10), "", "2.1"),
        release_change(5, day(12), "", "2.0"),
    ]
    rows = release_stability(items_frame(items), changes_frame(changes)).to_dicts()
    release = next(row for row in rows if row["version"] == "2.0")

    assert release["first_seen"] == day(2, 10)
    assert (release["initial"], release["added"], release["removed"], release["moved_out"]) == (
        4,
        1,
        1,
        1,
    )
    assert release["final"] == 3
    assert release["churn"] == pytest.approx(3 / 4)
    later = next(row for row in rows if row["version"] == "2.1")
    assert (later["initial"], later["churn"]) == (1, 0.0)


def test_a_release_known_only_from_current_lists_starts_at_its_items_creation():
    items = [
        {"id": 1, "created": day(3), "fix_versions": ["1.0"]},
        {"id": 2, "created": day(20), "fix_versions": ["1.0"]},
    ]
    [release] = release_stability(items_frame(items), changes_frame([])).to_dicts()

    assert release["first_seen"] == day(3)
    assert (release["initial"], release["added"], release["churn"]) == (1, 1, 1.0)


def test_sprint_changes_name_sprints_by_name_or_by_id_and_skip_unknown_ones():
    sprints = sprints_frame([SPRINT_1, {"source_id": "102", "name": "Sprint 2"}])
    events = membership_events(
        changes_frame([sprint_change(1, day(3), "Sprint 1, Ghost", "102")]),
        "sprint",
        sprint_lookup(sprints),
    )
    assert sorted((e["target"], e["member_after"]) for e in events.to_dicts()) == [
        ("101", False),
        ("102", True),
    ]


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Done", "done"),
        ("Won't Do", "done"),
        ("CANCELLED", "done"),
        ("In Review", "in_progress"),
        ("testing", "in_progress"),
        ("Doing", "in_progress"),
        ("Selected for Development", "todo"),
        ("Backlog", "todo"),
        ("", "todo"),
    ],
)
def test_a_status_name_maps_to_one_category(name, category):
    assert status_category_of(name) == category


def test_wont_do_names_ignore_case_and_apostrophes():
    assert is_wont_do("WONT-DO") and is_wont_do("Won’t Fix") and not is_wont_do("Done")
