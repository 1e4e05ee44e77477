"""The report's period follows the data: the last 90 days up to its newest moment."""

from __future__ import annotations

from datetime import date, datetime

from productops.backlog.analysis.period import Period, data_period, newest_moment
from productops.backlog.analysis.schema import changes_frame, items_frame

TODAY = date(2026, 12, 2)


def test_the_newest_change_ends_the_period():
    items = items_frame([{"created": datetime(2020, 1, 5)}, {"created": datetime(2020, 3, 1)}])
    changes = changes_frame(
        [
            {"item_id": 1, "at": datetime(2020, 7, 8, 16, 30), "field": "status"},
            {"item_id": 2, "at": datetime(2020, 5, 1), "field": "priority"},
        ]
    )

    period = data_period(items, changes, today=TODAY)

    assert (period.start, period.end) == (date(2020, 4, 9), date(2020, 7, 8))
    assert period.text == "2020-04-09 to 2020-07-08, the last 90 days in this export"
    assert period.since == datetime(2020, 4, 9) and period.until.date() == date(2020, 7, 8)
    assert period.until.hour == 23  # the end covers its whole day


def test_without_a_changelog_the_newest_created_updated_or_resolved_time_decides():
    items = items_frame(
        [
            {"created": datetime(2020, 1, 5), "updated": datetime(2020, 6, 30)},
            {"created": datetime(2020, 2, 1), "resolved": datetime(2020, 6, 2)},
        ]
    )
    assert newest_moment(items, changes_frame([])) == datetime(2020, 6, 30)
    assert data_period(items, changes_frame([]), today=TODAY).end == date(2020, 6, 30)


def test_an_item_created_after_the_last_change_extends_the_period():
    items = items_frame([{"created": datetime(2020, 8, 1)}])
    changes = changes_frame([{"item_id": 1, "at": datetime(2020, 7, 8), "field": "status"}])
    assert data_period(items, changes, today=TODAY).end == date(2020, 8, 1)


def test_data_without_any_time_falls_back_to_the_last_90_days_up_to_today():
    period = data_period(items_frame([{"key": "A-1"}]), changes_frame([]), today=TODAY)
    assert (period.start, period.end, period.basis) == (date(2026, 9, 3), TODAY, "today")
    assert period.text == "2026-09-03 to 2026-12-02, the last 90 days"


def test_dates_asked_for_are_said_as_they_are():
    assert Period(date(2026, 1, 1), date(2026, 3, 31)).text == "2026-01-01 to 2026-03-31"
    assert Period(date(2026, 2, 1), None).text == "from 2026-02-01"
