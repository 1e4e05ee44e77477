"""Started work that was put aside: listed with its days in progress, counted per month."""

from __future__ import annotations

from datetime import date, datetime

from productops.backlog.analysis.schema import changes_frame, items_frame
from productops.backlog.analysis.shelved import shelved_in_progress, shelved_per_month


def status(item_id: int, at: datetime, before: str, after: str) -> dict:
    return {
        "item_id": item_id,
        "at": at,
        "field": "status",
        "from_value": before,
        "to_value": after,
    }


CREATED = datetime(2026, 1, 1)
ITEMS = [
    {"id": 1, "key": "APP-1", "created": CREATED, "origin": "customer"},
    {
        "id": 2,
        "key": "APP-2",
        "created": CREATED,
        "status_category": "done",
        "resolution": "Won't Do",
        "origin": "sales",
    },
    {"id": 3, "key": "APP-3", "created": CREATED, "status_category": "done", "resolution": "Done"},
    {"id": 4, "key": "APP-4", "created": CREATED},
]
CHANGES = [
    # APP-1: started on 5 Jan, back to the backlog on 15 Jan: 10 days of work shelved
    status(1, datetime(2026, 1, 5), "To Do", "In Progress"),
    status(1, datetime(2026, 1, 15), "In Progress", "To Do"),
    # APP-2: started, reviewed, then closed as won't do: the review counts as in progress
    status(2, datetime(2026, 2, 1), "To Do", "In Progress"),
    status(2, datetime(2026, 2, 3), "In Progress", "In Review"),
    status(2, datetime(2026, 2, 4, 12), "In Review", "Closed"),
    # APP-3: started and finished: not shelved
    status(3, datetime(2026, 2, 1), "To Do", "In Progress"),
    status(3, datetime(2026, 2, 9), "In Progress", "Done"),
    # APP-4: moved between to-do columns only: not shelved
    status(4, datetime(2026, 2, 1), "Backlog", "Selected for Development"),
]


def shelved(**period):
    return shelved_in_progress(items_frame(ITEMS), changes_frame(CHANGES), **period)


def test_work_sent_back_to_do_or_closed_as_wont_do_is_shelved_with_its_days():
    rows = shelved().to_dicts()

    assert [(r["key"], r["how"], r["days_in_progress"]) for r in rows] == [
        ("APP-2", "wont_do", 1.5),  # newest first; days since it last entered in progress
        ("APP-1", "back_to_todo", 10.0),
    ]
    assert rows[0]["origin"] == "sales"
    assert (rows[0]["from_status"], rows[0]["to_status"]) == ("In Review", "Closed")


def test_shelvings_are_counted_per_calendar_month():
    months = shelved_per_month(shelved()).to_dicts()

    assert months == [
        {"month": date(2026, 1, 1), "count": 1, "items": 1},
        {"month": date(2026, 2, 1), "count": 1, "items": 1},
    ]


def test_the_period_limits_the_shelvings():
    rows = shelved(start=datetime(2026, 2, 1)).to_dicts()
    assert [r["key"] for r in rows] == ["APP-2"]


def test_without_a_recorded_start_the_days_run_from_creation():
    items = [{"id": 9, "key": "APP-9", "created": datetime(2026, 3, 1)}]
    changes = [status(9, datetime(2026, 3, 4), "In Progress", "Open")]
    [row] = shelved_in_progress(items_frame(items), changes_frame(changes)).to_dicts()
    assert row["days_in_progress"] == 3.0


def test_no_changes_means_nothing_shelved():
    assert shelved_in_progress(items_frame(ITEMS), changes_frame([])).is_empty()
