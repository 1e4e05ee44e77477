"""Origin mix of the open backlog and of done work, investment balance, framing share."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from productops.backlog.analysis import mix
from productops.backlog.analysis.schema import items_frame

ITEMS = items_frame(
    [
        {"origin": "sales", "framing": "solution"},
        {"origin": "sales", "framing": "solution"},
        {"origin": "support", "framing": "problem", "status_category": "in_progress"},
        {"origin": "customer", "framing": "problem"},
        # done in January: two quality, one new value; a won't-do does not count as work done
        {
            "origin": "customer",
            "kind": "new_value",
            "status_category": "done",
            "resolution": "Done",
            "resolved": datetime(2026, 1, 10),
        },
        {
            "origin": "support",
            "kind": "quality",
            "status_category": "done",
            "resolution": "Fixed",
            "resolved": datetime(2026, 1, 12),
        },
        {
            "origin": "sales",
            "kind": "quality",
            "status_category": "done",
            "resolution": "Done",
            "resolved": datetime(2026, 1, 30),
        },
        {
            "origin": "sales",
            "kind": "new_value",
            "status_category": "done",
            "resolution": "Won't Do",
            "resolved": datetime(2026, 1, 30),
        },
        # done in February
        {
            "origin": "marketing",
            "kind": "enhancement",
            "status_category": "done",
            "resolution": "Done",
            "resolved": datetime(2026, 2, 2),
        },
    ]
)


def as_shares(frame):
    return {row["value"]: (row["count"], pytest.approx(row["share"])) for row in frame.to_dicts()}


def test_the_open_backlog_mix_counts_every_open_item_once():
    result = mix.mix(mix.open_items(ITEMS), "origin")

    assert as_shares(result) == {"sales": (2, 0.5), "support": (1, 0.25), "customer": (1, 0.25)}
    assert result["value"][0] == "sales"  # largest first
    assert mix.share_of(result, {"sales", "marketing", "support"}) == pytest.approx(0.75)


def test_framing_share_of_the_open_backlog():
    framing = mix.mix(mix.open_items(ITEMS), "framing")
    assert mix.share_of(framing, {"problem"}) == pytest.approx(0.5)


def test_done_work_in_a_period_leaves_out_wont_do_and_other_months():
    january = mix.done_items(ITEMS, start=datetime(2026, 1, 1), end=datetime(2026, 1, 31))
    assert as_shares(mix.mix(january, "origin")) == {
        "customer": (1, pytest.approx(1 / 3)),
        "sales": (1, pytest.approx(1 / 3)),
        "support": (1, pytest.approx(1 / 3)),
    }


def test_investment_balance_per_month_of_resolution():
    rows = mix.investment_by_month(mix.done_items(ITEMS)).to_dicts()

    assert [(r["month"], r["kind"], r["count"], round(r["share"], 3)) for r in rows] == [
        (date(2026, 1, 1), "quality", 2, 0.667),
        (date(2026, 1, 1), "new_value", 1, 0.333),
        (date(2026, 2, 1), "enhancement", 1, 1.0),
    ]


def test_an_empty_frame_has_an_empty_mix_and_no_share():
    empty = mix.mix(items_frame([]), "origin")
    assert empty.is_empty() and mix.share_of(empty, {"sales"}) is None
