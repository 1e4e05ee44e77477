"""`productops backlog-report`: the verdict and key tables, or the report as JSON."""

from __future__ import annotations

import json
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone

from tests.backlog.report_story import DATA_PERIOD, build_backlog, fake_report
from tests.cast import build_cast


def run(*args: str) -> str:
    out = StringIO()
    call_command("backlog_report", *args, stdout=out)
    return out.getvalue()


@mock.patch("productops.backlog.report.build_report", fake_report)
class BacklogReportCommand(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        build_cast()
        build_backlog()

    def test_it_prints_the_verdict_and_the_key_tables(self) -> None:
        text = run()
        self.assertIn("6 items", text)
        self.assertIn("• 60% of open items come from sales, marketing or support.", text)
        self.assertIn("Origin mix", text)
        self.assertRegex(text, r"Sales\s+│\s+2\s+│\s+40%\s+│\s+1\s+│\s+100%")
        self.assertIn("Investment balance", text)
        self.assertRegex(text, r"Checkout 14.*40%.*70%.*Sales 67%")
        self.assertIn("Shelved in-progress work: 1 item (2026-10: 1)", text)
        self.assertRegex(text, r"CHK-1\s+│\s+Add PDF export for the ACME deal\s+│\s+12")

    def test_json_is_the_reports_dictionary(self) -> None:
        body = json.loads(run("--json", "--project", "Search"))
        self.assertEqual(body["item_count"], 1)
        self.assertEqual(body["origin_mix_open"][0]["value"], "internal")
        self.assertEqual(body["project"], "Search")

    def test_the_period_is_passed_on(self) -> None:
        with mock.patch("productops.backlog.report.build_report", wraps=fake_report) as build:
            run("--start", "2026-01-01", "--end", "2026-03-31")
        self.assertEqual(str(build.call_args.kwargs["start"]), "2026-01-01")
        self.assertEqual(str(build.call_args.kwargs["end"]), "2026-03-31")
        with mock.patch("productops.backlog.report.build_report", wraps=fake_report) as build:
            text = run()
        kwargs = build.call_args.kwargs
        # no dates: the report picks the last 90 days of the data, and the header says so
        self.assertEqual((kwargs["start"], kwargs["end"]), (None, None))
        self.assertIn(f"Backlog health, {DATA_PERIOD}: 6 items", text)
        with mock.patch("productops.backlog.report.build_report", wraps=fake_report) as build:
            run("--json", "--start", "2026-01-01")
        kwargs = build.call_args.kwargs
        self.assertEqual(
            (str(kwargs["start"]), kwargs["end"]), ("2026-01-01", timezone.localdate())
        )

    def test_a_bad_date_is_named(self) -> None:
        with self.assertRaisesMessage(CommandError, "--start 'soon' is not a date"):
            run("--start", "soon")
        with self.assertRaisesMessage(CommandError, "comes after --end"):
            run("--start", "2026-05-01", "--end", "2026-01-01")


@mock.patch("productops.backlog.report.build_report", fake_report)
class BacklogReportWithoutData(TestCase):
    def test_it_says_to_import_first(self) -> None:
        with self.assertRaisesMessage(CommandError, "No tracker data yet"):
            run()
