"""The backlog health report built from database rows, as the page and the API get it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from productops.backlog.analysis.verdict import EMPTY
from productops.backlog.models import Change, Item, Sprint
from productops.backlog.report import build_report

pytestmark = pytest.mark.django_db

START = datetime(2026, 1, 10, 9, tzinfo=UTC)
END = datetime(2026, 1, 24, 17, tzinfo=UTC)
LONG_AGO = datetime(2025, 12, 1, tzinfo=UTC)


def at(day: int) -> datetime:
    return datetime(2026, 1, day, 12, tzinfo=UTC)


def item(key: str, *, project: str = "Checkout", **fields) -> Item:
    fields.setdefault("created", LONG_AGO)
    return Item.objects.create(
        source="jira", key=key, title=f"{key} title", project=project, **fields
    )


def change(target: Item, n: int, when: datetime, field: str, before: str, after: str) -> None:
    Change.objects.create(
        item=target, change_id=str(n), at=when, field=field, from_value=before, to_value=after
    )


def the_checkout_team_sprint() -> None:
    """The brief's sprint: 5 committed, 2 added (1 from sales), 1 removed, 3 committed done."""
    Sprint.objects.create(
        source="jira", source_id="101", name="Sprint 1", state="closed", start=START, completed=END
    )
    done = {"status": "Done", "status_category": "done", "resolution": "Done", "resolved": at(20)}
    committed = [
        item(f"CO-{n}", sprints=["101"], origin="customer", framing="problem", **done)
        for n in (1, 2, 3)
    ]
    carried = item("CO-4", sprints=["101"], status="In Progress", status_category="in_progress")
    removed = item("CO-5", origin="sales")
    from_sales = item("CO-6", sprints=["101"], origin="sales", **done)
    from_customer = item("CO-7", sprints=["101"], origin="customer")
    change(removed, 1, at(15), "sprint", "Sprint 1", "")
    change(from_sales, 2, at(12), "sprint", "", "Sprint 1")
    change(from_customer, 3, at(12), "sprint", "", "Sprint 1")
    for n, finished in enumerate([*committed, from_sales], start=10):
        change(finished, n, at(20), "status", "In Progress", "Done")
    # work started on CO-5, then dropped for the next request
    change(removed, 20, at(11), "status", "To Do", "In Progress")
    change(removed, 21, at(15), "status", "In Progress", "To Do")
    # noise the analysis does not read
    change(carried, 30, at(11), "priority", "Low", "High")


def test_the_report_measures_the_sprint_from_database_rows():
    the_checkout_team_sprint()
    report = build_report()

    [sprint] = report.sprints
    assert (sprint.name, sprint.committed, sprint.added, sprint.removed) == ("Sprint 1", 5, 2, 1)
    assert (sprint.completed_committed, sprint.carried_over) == (3, 2)
    assert sprint.churn == pytest.approx(0.6) and sprint.accuracy == pytest.approx(0.6)
    assert sprint.added_by_origin == {"sales": 1, "customer": 1}
    assert sprint.start == START.replace(tzinfo=None)


def test_the_report_lists_shelved_work_and_the_origin_mix():
    the_checkout_team_sprint()
    report = build_report()

    [shelved] = report.shelved.items
    assert (shelved.key, shelved.how, shelved.days_in_progress) == ("CO-5", "back_to_todo", 4.0)
    assert [(m.month, m.count) for m in report.shelved.per_month] == [(date(2026, 1, 1), 1)]
    assert report.item_count == 7 and report.open_count == 3 and report.done_count == 4
    open_mix = {row.value: (row.label, row.count) for row in report.origin_mix_open}
    assert open_mix == {
        "customer": ("Customer need", 1),
        "sales": ("Sales", 1),
        "unknown": ("Unknown", 1),
    }
    assert [m.month for m in report.investment_by_month] == [date(2026, 1, 1)]


def test_as_dict_is_json_ready():
    the_checkout_team_sprint()
    data = json.loads(json.dumps(build_report().as_dict()))

    assert data["sprints"][0]["churn"] == pytest.approx(0.6)
    assert data["sprints"][0]["start"] == "2026-01-10T09:00:00"
    assert data["shelved"]["count"] == 1 and data["is_empty"] is False
    assert set(data) >= {
        "origin_mix_open",
        "origin_mix_done",
        "investment_by_month",
        "framing_share",
        "sprints",
        "releases",
        "shelved",
        "verdict",
        "item_count",
    }


def test_the_period_and_the_project_narrow_the_report():
    the_checkout_team_sprint()
    item("SRCH-1", project="Search")

    assert build_report(project="Search").item_count == 1
    assert build_report(project="Search").sprints == []
    later = build_report(start=date(2026, 2, 1))
    assert later.sprints == [] and later.shelved.items == [] and later.done_count == 0
    assert later.open_count == 4  # the open backlog is as it stands now, Search included


def test_releases_come_from_fix_version_changes():
    first, second = item("REL-1", fix_versions=["3.0"]), item("REL-2", fix_versions=[])
    change(first, 1, at(2), "fix_version", "", "3.0")
    change(second, 2, at(2), "fix_version", "", "3.0")
    change(second, 3, at(8), "fix_version", "3.0", "")

    [release] = build_report().releases
    assert (release.version, release.initial, release.removed, release.churn) == ("3.0", 2, 1, 0.5)


def test_no_items_gives_a_report_that_says_so():
    report = build_report()

    assert report.is_empty and report.verdict == [EMPTY]
    assert report.sprints == [] and report.origin_mix_open == []
    json.dumps(report.as_dict())


def test_the_number_of_queries_does_not_grow_with_the_backlog():
    the_checkout_team_sprint()
    with CaptureQueriesContext(connection) as few:
        build_report()
    for n in range(40):
        extra = item(f"MORE-{n}", sprints=["101"], created=timezone.now() - timedelta(days=90))
        change(extra, 100 + n, at(3), "sprint", "", "Sprint 1")
    with CaptureQueriesContext(connection) as many:
        build_report()
    # items, changes, sprints, the ids of the items backed by discovery, the corrections,
    # the learned models, the org's own label mappings, the texts of a sample of the
    # unknown items
    assert len(many) == len(few) == 8
