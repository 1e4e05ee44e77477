"""The backlog health page: every role sees the verdict and the mixes; viewers never an item."""

from __future__ import annotations

from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.backlog.models import Item
from tests.backlog.report_story import DATA_PERIOD, build_backlog, fake_report
from tests.cast import PASSWORD, build_cast

URL = "/backlog/"


@mock.patch("productops.backlog.report.build_report", fake_report)
class HealthPageByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()

    def open(self, who: str, **query):
        self.client.login(username=who, password=PASSWORD)
        return self.client.get(URL, query)

    def test_the_head_of_product_reads_the_verdict_and_the_origin_mix(self) -> None:
        page = self.open("hana")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn("60% of open items come from sales, marketing or support.", html)
        # open: 2 sales, 1 customer, 1 support, 1 internal -> sales 40%
        self.assertIn('data-origin="sales">Sales 40%', html)
        self.assertIn('<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-shares"', html)
        self.assertIn("chart-stacked", html)  # investment balance per month
        self.assertIn("Checkout 14", html)
        self.assertIn("40%", html)  # churn
        self.assertIn("Sales 67%, Customer need 33%", html)  # added mid-sprint
        # the shelved item, with its title from the database and its days in progress
        self.assertRegex(
            html,
            r"<td>CHK-1</td><td>Add PDF export for the ACME deal</td><td class=\"num\">12</td>"
            r"<td>2026-10-03</td><td>back to to-do</td>",
        )
        self.assertIn('href="/backlog/items/"', html)

    def test_managers_and_members_see_the_shelved_items_too(self) -> None:
        for who in ("marco", "priya"):
            with self.subTest(who=who):
                html = self.open(who).content.decode()
                self.assertIn("<td>CHK-1</td>", html)
                self.assertIn("Sales 40%", html)

    def test_a_viewer_sees_aggregates_but_no_item_key_or_title(self) -> None:
        page = self.open("vera")
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn("60% of open items come from sales", html)
        self.assertIn("Sales 40%", html)
        self.assertIn("1 in-progress item shelved", html)  # the count stays
        for item in Item.objects.all():
            self.assertNotIn(item.key, html)
            self.assertNotIn(item.title, html)
        self.assertNotIn('href="/backlog/items/"', html)

    def test_the_period_defaults_to_the_last_90_days_of_the_data(self) -> None:
        with mock.patch("productops.backlog.report.build_report", wraps=fake_report) as build:
            page = self.open("hana")
        kwargs = build.call_args.kwargs
        # no dates: the report picks the data's own last 90 days, and the page says so
        self.assertEqual((kwargs["start"], kwargs["end"], kwargs["project"]), (None, None, None))
        self.assertContains(page, f"period {DATA_PERIOD}")

    def test_one_date_gets_the_other_counted_from_it(self) -> None:
        with mock.patch("productops.backlog.report.build_report", wraps=fake_report) as build:
            self.open("hana", end="2026-03-31")
        kwargs = build.call_args.kwargs
        self.assertEqual((str(kwargs["start"]), str(kwargs["end"])), ("2025-12-31", "2026-03-31"))

    def test_the_period_and_project_are_passed_on(self) -> None:
        with mock.patch("productops.backlog.report.build_report", wraps=fake_report) as build:
            page = self.open("hana", start="2026-01-01", end="2026-03-31", project="Search")
        kwargs = build.call_args.kwargs
        self.assertEqual(str(kwargs["start"]), "2026-01-01")
        self.assertEqual(str(kwargs["end"]), "2026-03-31")
        self.assertEqual(kwargs["project"], "Search")
        self.assertContains(page, '<option value="Search" selected>')
        self.assertContains(page, "1 item; period 2026-01-01 to 2026-03-31; in Search.")

    def test_a_bad_date_is_named_and_the_default_used(self) -> None:
        page = self.open("hana", start="next tuesday")
        self.assertContains(page, "“next tuesday” is not a date (YYYY-MM-DD)")
        self.assertContains(page, "What the numbers say")

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        page = self.client.get(URL)
        self.assertEqual(page.status_code, 302)
        self.assertIn("/login/", page["Location"])


@mock.patch("productops.backlog.report.build_report", fake_report)
class EmptyHealthPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_without_data_it_says_to_import_an_export(self) -> None:
        self.client.login(username="hana", password=PASSWORD)
        page = self.client.get(URL)
        self.assertContains(
            page, "No tracker data yet — import a Jira, GitHub, Linear or CSV export"
        )
        self.assertNotContains(page, "What the numbers say")

    def test_a_viewer_is_told_who_can_import(self) -> None:
        self.client.login(username="vera", password=PASSWORD)
        page = self.client.get(URL)
        self.assertContains(page, "Ask an admin or a manager to import one.")


class CorrectionMovesTheMix(TestCase):
    """With the real report: correcting one item's origin changes the open backlog's mix."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()

    def open_mix(self) -> dict[str, str]:
        page = self.client.get(URL)
        return {part["key"]: part["percent"] for part in page.context["origin_rows"][0]["parts"]}

    def test_correcting_a_sales_item_to_customer_need_moves_20_points(self) -> None:
        self.client.login(username="hana", password=PASSWORD)
        before = self.open_mix()
        self.assertEqual(before["sales"], 40)
        self.assertEqual(before["customer"], 20)
        item = Item.objects.get(key="CHK-1")
        self.client.post(
            f"/backlog/items/{item.pk}/correct/",
            {"dimension": "origin", "label": "customer"},
            headers={"HX-Request": "true"},
        )
        after = self.open_mix()
        self.assertEqual(after["sales"], 20)
        self.assertEqual(after["customer"], 40)

    def test_the_real_report_costs_the_same_queries_for_more_items(self) -> None:
        self.client.login(username="priya", password=PASSWORD)
        # one item of unknown kind: the report then reads a sample of the unknowns' texts
        Item.objects.create(source="jira", key="ODD-1", title="Odd one", origin="sales")
        self.client.get(URL)
        with CaptureQueriesContext(connection) as few:
            self.client.get(URL)
        Item.objects.bulk_create(
            Item(source="jira", key=f"MORE-{n}", title=f"More {n}", origin="sales")
            for n in range(200)
        )
        with CaptureQueriesContext(connection) as many:
            self.client.get(URL)
        self.assertEqual(len(few), len(many))
