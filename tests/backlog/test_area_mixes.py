"""`area_mixes` counts each product area in one pass exactly as the per-project report does."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from productops.backlog.models import Item
from productops.backlog.report import area_mixes, build_report

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "diagnose"


class AreaMixesMatchTheProjectReports(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
        call_command("import_people", str(FIXTURES / "people.csv"), **quiet)
        call_command("import_tracker", str(FIXTURES / "jira"), "--format", "jira-json", **quiet)

    def assert_same_as_each_project_report(self, **period: dt.date | None) -> None:
        projects = sorted(set(Item.objects.values_list("project", flat=True)))
        self.assertGreaterEqual(len(projects), 3)
        mixes = area_mixes(**period)
        self.assertEqual(set(mixes), set(projects))
        for project in projects:
            report = build_report(project=project, **period)
            open_sales = sum(r.count for r in report.origin_mix_open if r.value == "sales")
            added = [s.added_by_origin for s in report.sprints]
            with self.subTest(project=project):
                measured = mixes[project]
                self.assertEqual(measured.open_count, report.open_count)
                self.assertEqual(measured.open_sales, open_sales)
                self.assertEqual(measured.added, sum(sum(by.values()) for by in added))
                self.assertEqual(measured.added_sales, sum(by.get("sales", 0) for by in added))

    def test_over_all_the_data(self) -> None:
        self.assert_same_as_each_project_report(start=dt.date(2000, 1, 1), end=dt.date(2100, 1, 1))

    def test_over_a_period_that_cuts_sprints_out(self) -> None:
        first = Item.objects.order_by("created").values_list("created", flat=True).first()
        assert first is not None
        start = first.date() + dt.timedelta(days=60)
        self.assert_same_as_each_project_report(start=start, end=start + dt.timedelta(days=45))

    def test_the_sales_led_area_is_the_one_the_fixture_plants(self) -> None:
        mixes = area_mixes(start=dt.date(2000, 1, 1), end=dt.date(2100, 1, 1))
        deals = mixes["Enterprise Deals"]
        self.assertGreater(deals.added_sales / deals.added, 0.5)
        others = [m for name, m in mixes.items() if name != "Enterprise Deals" and m.added]
        self.assertTrue(others)
        self.assertTrue(all(m.added_sales / m.added < 0.5 for m in others))

    def test_an_empty_tracker_has_no_areas(self) -> None:
        Item.objects.all().delete()
        self.assertEqual(area_mixes(), {})
