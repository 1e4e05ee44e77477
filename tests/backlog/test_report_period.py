"""An export whose dates are all in 2020: the report covers its last 90 days, not today's,
and the page, the API and the command say so with the same numbers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from productops.backlog.models import Change, Item, Sprint
from productops.backlog.report import build_report
from tests.api import ApiClient
from tests.cast import PASSWORD, build_cast

PERIOD = "2020-04-09 to 2020-07-08, the last 90 days in this export"


def at(month: int, day: int, hour: int = 12) -> datetime:
    return datetime(2020, month, day, hour, tzinfo=UTC)


def build_2020_export() -> None:
    """A Jira export of 2020: one sprint in June, twelve items, the last change on 8 July."""
    Sprint.objects.create(
        source="jira", source_id="20", name="Sprint 20", start=at(6, 1), completed=at(6, 14)
    )
    done = {"status": "Done", "status_category": "done", "resolution": "Done"}
    for n in range(1, 13):
        item = Item.objects.create(
            source="jira",
            key=f"OLD-{n}",
            title=f"Old item {n}",
            created=at(1, 10),
            updated=at(6, 10),
            sprints=["20"] if n <= 4 else [],
            origin="customer" if n % 2 else "sales",
            **({**done, "resolved": at(6, 10)} if n <= 3 else {}),
        )
        if n <= 3:
            Change.objects.create(
                item=item,
                change_id=f"s{n}",
                at=at(6, 10),
                field="status",
                from_value="In Progress",
                to_value="Done",
            )
    # the newest change of the export: an item started on 8 July 2020
    Change.objects.create(
        item=Item.objects.get(key="OLD-12"),
        change_id="last",
        at=at(7, 8, 16),
        field="status",
        from_value="To Do",
        to_value="In Progress",
    )


def command(*args: str) -> str:
    out = StringIO()
    call_command("backlog_report", *args, stdout=out)
    return out.getvalue()


class AnExportFrom2020(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        build_cast()
        build_2020_export()
        cls.api = ApiClient()

    def test_the_report_covers_the_last_90_days_of_the_data(self) -> None:
        report = build_report()

        self.assertEqual(report.period_text, PERIOD)
        self.assertEqual(report.period_basis, "data")
        self.assertEqual(
            (report.start.date().isoformat(), report.end.date().isoformat()),
            ("2020-04-09", "2020-07-08"),
        )
        [sprint] = report.sprints
        self.assertEqual((sprint.name, sprint.committed, sprint.completed), ("Sprint 20", 4, 3))
        self.assertEqual(report.done_count, 3)
        self.assertTrue(any("1 sprint measured: a small sample" in s for s in report.verdict))

    def test_explicit_dates_are_kept_as_asked(self) -> None:
        report = build_report(start=datetime(2026, 9, 1).date(), end=datetime(2026, 11, 30).date())
        self.assertEqual(report.period_text, "2026-09-01 to 2026-11-30")
        self.assertEqual((report.sprints, report.done_count), ([], 0))
        self.assertTrue(
            any(n.startswith("None of the 1 sprint with dates") for n in report.sprint_notes)
        )

    def test_the_page_api_and_command_say_the_same(self) -> None:
        self.client.login(username="hana", password=PASSWORD)
        page = self.client.get("/backlog/")
        self.assertContains(page, f"period {PERIOD}")
        self.assertContains(page, 'value="2020-04-09"')
        self.assertContains(page, "<td>Sprint 20</td>")
        self.assertNotContains(page, "No sprints in this period")

        body = self.api.get("priya", "/backlog/report").json()
        self.assertEqual(body["period_text"], PERIOD)
        self.assertEqual(body["start"], "2020-04-09T00:00:00")
        self.assertEqual([s["name"] for s in body["sprints"]], ["Sprint 20"])

        data = json.loads(command("--json"))
        self.assertEqual(data["period_text"], PERIOD)
        self.assertEqual(data["sprints"], body["sprints"])
        self.assertEqual(data["verdict"], body["verdict"])
        self.assertEqual(data["unknowns"], body["unknowns"])
        self.assertEqual(data["classifier"], body["classifier"])

        text = command()
        self.assertIn(f"Backlog health, {PERIOD}: 12 items", text)
        self.assertRegex(text, r"Sprint 20\s+│\s+4")

    def test_the_api_keeps_dates_given(self) -> None:
        body = self.api.get("priya", "/backlog/report", query={"start": "2020-06-01"}).json()
        self.assertTrue(body["period_text"].startswith("2020-06-01 to "))
        self.assertEqual(body["period_basis"], "asked")


class ACsvWithSprintNamesOnly(TestCase):
    """A CSV names the sprints of each item but has no sprint dates and no changelog."""

    @classmethod
    def setUpTestData(cls) -> None:
        build_cast()
        for n in range(1, 7):
            Item.objects.create(
                source="csv",
                key=f"CSV-{n}",
                title=f"CSV item {n}",
                created=at(3, n),
                sprints=[f"Team sprint {n}"],
            )
        cls.api = ApiClient()

    def test_the_sprints_are_said_to_be_known_by_name_only(self) -> None:
        expected = "6 sprints seen without dates (Team sprint 1, Team sprint 2"
        [note] = build_report().sprint_notes
        self.assertTrue(note.startswith(expected), note)

        self.client.login(username="hana", password=PASSWORD)
        page = self.client.get("/backlog/")
        self.assertContains(page, expected)
        self.assertNotContains(page, "No sprints in this period")

        body = self.api.get("hana", "/backlog/report").json()
        self.assertEqual(body["sprint_notes"], [note])
        self.assertEqual(body["sprint_coverage"]["undated"], 6)

        text = command()
        self.assertIn(expected, text)
        self.assertNotIn("No sprints in this period", text)
