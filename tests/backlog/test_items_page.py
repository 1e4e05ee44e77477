"""The item list: filters, the reasons behind each label, and one-click corrections."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.backlog.models import Correction, Item, SetBy
from tests.backlog.report_story import build_backlog
from tests.cast import PASSWORD, build_cast

URL = "/backlog/items/"


class ItemListByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()

    def open(self, who: str, **query):
        self.client.login(username=who, password=PASSWORD)
        return self.client.get(URL, query)

    def test_a_member_reads_each_label_with_who_set_it_and_why(self) -> None:
        page = self.open("priya")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "CHK-1")
        self.assertContains(page, "Add PDF export for the ACME deal")
        self.assertContains(page, '<span class="bki-badge bki-origin-sales">Sales</span>')
        self.assertContains(page, "<summary>why</summary>")
        self.assertContains(page, 'label “sales” <span class="muted">(weight 0.8)</span>')
        self.assertContains(page, "type is Story")
        self.assertContains(page, "6 items.")
        # members read; only admins and managers correct
        self.assertNotContains(page, 'name="dimension"')

    def test_admins_and_managers_get_a_correction_per_dimension(self) -> None:
        for who in ("hana", "marco"):
            with self.subTest(who=who):
                page = self.open(who)
                item = Item.objects.get(key="CHK-1")
                self.assertContains(page, f'hx-post="/backlog/items/{item.pk}/correct/"', count=3)
                self.assertContains(page, 'aria-label="Correct the origin of CHK-1"')

    def test_a_viewer_is_refused_with_a_sentence(self) -> None:
        page = self.open("vera")
        self.assertEqual(page.status_code, 403)
        self.assertContains(
            page, "Viewers see only the aggregates of the backlog report", status_code=403
        )
        self.assertNotContains(page, "CHK-1", status_code=403)

    def test_filters_narrow_the_list(self) -> None:
        cases = {
            (("origin", "sales"),): {"CHK-1", "CHK-2", "CHK-3"},
            (("origin", "sales"), ("status", "done")): {"CHK-3"},
            (("kind", "tech_debt"),): {"SRCH-1"},
            (("framing", "problem"),): {"CHK-4"},
            (("project", "Search"),): {"SRCH-1"},
            (("q", "globex"),): {"CHK-2"},
            (("q", "chk-5"),): {"CHK-5"},
            (("origin", "nonsense"),): set(),
        }
        for filters, expected in cases.items():
            with self.subTest(filters=filters):
                page = self.open("priya", **dict(filters))
                shown = {row["item"].key for row in page.context["rows"]}
                self.assertEqual(shown, expected)
        page = self.open("priya", origin="sales", kind="new_value")
        self.assertContains(page, '<option value="sales" selected>')

    def test_no_match_says_how_to_clear_the_filters(self) -> None:
        page = self.open("priya", q="zzz")
        self.assertContains(page, "No item matches these filters.")

    def test_the_list_is_paginated_by_50(self) -> None:
        Item.objects.bulk_create(
            Item(source="jira", key=f"BULK-{n:03}", title=f"Bulk {n}") for n in range(60)
        )
        first = self.open("priya")
        self.assertEqual(len(first.context["rows"]), 50)
        self.assertContains(first, "Page 1 of 2")
        second = self.open("priya", page=2)
        self.assertEqual(len(second.context["rows"]), 16)


class ItemListWithoutData(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_it_says_to_import_an_export(self) -> None:
        self.client.login(username="priya", password=PASSWORD)
        page = self.client.get(URL)
        self.assertContains(
            page, "No tracker data yet — import a Jira, GitHub, Linear or CSV export"
        )


class OneClickCorrection(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()
        cls.item = Item.objects.get(key="CHK-1")

    def correct(self, who: str, htmx: bool = True, **data):
        self.client.login(username=who, password=PASSWORD)
        headers = {"HX-Request": "true"} if htmx else {}
        return self.client.post(f"{URL}{self.item.pk}/correct/", data, headers=headers)

    def test_htmx_swaps_the_row_with_the_corrected_label(self) -> None:
        response = self.correct("hana", dimension="origin", label="customer")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertTrue(html.strip().startswith(f'<tr id="item-{self.item.pk}"'))
        self.assertNotIn("<html", html)
        self.assertIn('name="next" value="/backlog/items/"', html)
        self.assertIn('<span class="bki-badge bki-origin-customer">Customer need</span>', html)
        self.assertIn("correction", html)
        self.item.refresh_from_db()
        self.assertEqual(self.item.origin, "customer")
        self.assertEqual(self.item.origin_set_by, SetBy.CORRECTION)
        correction = Correction.objects.get(item=self.item, dimension="origin")
        self.assertEqual(correction.label, "customer")

    def test_without_htmx_it_redirects_back_to_the_list(self) -> None:
        response = self.correct(
            "marco", htmx=False, dimension="kind", label="support", next="/backlog/items/?q=acme"
        )
        self.assertRedirects(response, "/backlog/items/?q=acme", fetch_redirect_response=False)
        self.item.refresh_from_db()
        self.assertEqual(self.item.kind, "support")

    def test_a_bad_label_is_named_and_nothing_changes(self) -> None:
        response = self.correct("hana", dimension="origin", label="aliens")
        self.assertContains(response, "&#x27;aliens&#x27; is not a")
        self.assertContains(response, "customer, sales, marketing")
        self.item.refresh_from_db()
        self.assertEqual(self.item.origin, "sales")
        self.assertFalse(Correction.objects.exists())

    def test_members_and_viewers_may_not_correct(self) -> None:
        for who in ("priya", "vera"):
            with self.subTest(who=who):
                response = self.correct(who, dimension="origin", label="customer")
                self.assertEqual(response.status_code, 403)
        self.item.refresh_from_db()
        self.assertEqual(self.item.origin, "sales")


class ItemListCost(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def cost(self, count: int) -> int:
        Item.objects.all().delete()
        Item.objects.bulk_create(
            Item(
                source="jira",
                key=f"K-{n}",
                title=f"Item {n}",
                project=f"P{n % 3}",
                origin_reasons=[{"text": "x", "weight": 1}],
            )
            for n in range(count)
        )
        self.client.login(username="hana", password=PASSWORD)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(URL).status_code, 200)
        return len(queries)

    def test_a_page_of_50_costs_what_a_page_of_5_does(self) -> None:
        self.assertEqual(self.cost(5), self.cost(120))
