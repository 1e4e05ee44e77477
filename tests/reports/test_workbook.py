"""Every table of a diagnosis in one workbook, as each reader may see it.

Hana (admin) gets the named tables; Marco (manager) his chain's people; Vera (viewer) the
aggregates only: the audit's counts, the origin mix and the cadence, and no one's name.
"""

from __future__ import annotations

import io

from django.test import TestCase
from django.urls import reverse

from productops.backlog.report import build_report
from productops.org import visibility as org_visibility
from productops.org.models import Person
from productops.reports.workbook import diagnosis_sheets, write_workbook
from productops.strategy import alignment
from productops.strategy.models import Objective, ObjectiveLevel
from tests.backlog.report_story import build_backlog
from tests.cast import Cast, build_cast
from tests.imports.test_tables import read_xlsx, read_xlsx_sheets, sheet_rows


def workbook_of(user: object) -> dict[str, list[list[object]]]:
    out = io.BytesIO()
    counts = write_workbook(out, diagnosis_sheets(user))  # type: ignore[arg-type]
    sheets = {name: sheet_rows(cells) for name, cells in read_xlsx_sheets(out.getvalue()).items()}
    for name, count in counts.items():
        assert len(sheets[name]) - 1 == count, name
    return sheets


class DiagnosisWorkbook(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()

    def test_the_admin_gets_every_table_with_names(self) -> None:
        sheets = workbook_of(self.cast.hana_user)
        self.assertEqual(
            list(sheets),
            ["People", "Org audit findings", "Spans", "Backlog items", "Origin mix",
             "Discovery cadence"],
        )  # fmt: skip
        people = [row[0] for row in sheets["People"][1:]]
        self.assertEqual(people, sorted(p.name for p in Person.objects.filter(active=True)))
        self.assertEqual(len(sheets["Backlog items"]) - 1, 6)
        self.assertEqual(
            sorted(row[0] for row in sheets["Discovery cadence"][1:]), ["Checkout", "Search"]
        )

    def test_a_manager_gets_the_people_the_people_page_shows_them(self) -> None:
        sheets = workbook_of(self.cast.marco_user)
        shown = {row[0] for row in sheets["People"][1:]}
        visible = set(
            org_visibility.visible_people(self.cast.marco_user)
            .filter(active=True)
            .values_list("name", flat=True)
        )
        self.assertEqual(shown, visible)
        self.assertNotIn("Otto Outsider", shown)

    def test_a_viewer_gets_aggregates_and_no_ones_name(self) -> None:
        sheets = workbook_of(self.cast.vera_user)
        self.assertEqual(list(sheets), ["Org audit counts", "Origin mix", "Discovery cadence"])
        cells = {str(value) for rows in sheets.values() for row in rows for value in row}
        for person in Person.objects.all():
            self.assertNotIn(person.name, cells)
            self.assertNotIn(person.email, cells)

    def test_the_origin_mix_counts_add_up_to_the_reports_open_and_done_items(self) -> None:
        report = build_report()
        rows = workbook_of(self.cast.hana_user)["Origin mix"]
        self.assertEqual(rows[0], ["Items", "Origin", "Count", "Share (%)"])
        by_group: dict[object, float] = {}
        for group, _origin, count, _share in rows[1:]:
            by_group[group] = by_group.get(group, 0) + float(count)  # type: ignore[arg-type]
        self.assertEqual(by_group.get("Open backlog"), report.open_count)
        self.assertEqual(by_group.get("Done in the period", 0), report.done_count)
        sales = [r for r in rows[1:] if r[:2] == ["Open backlog", "Sales"]]
        self.assertEqual(sales[0][2], 2.0)  # two open items from sales in the story

    def test_objectives_add_the_alignment_pages_table(self) -> None:
        start, end = alignment.period_from(None, None)
        Objective.objects.create(
            level=ObjectiveLevel.PRODUCT,
            title="Checkout converts on the first try",
            period_start=start,
            period_end=end,
        )
        sheets = workbook_of(self.cast.hana_user)
        self.assertEqual(list(sheets)[-1], "Alignment")
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(reverse("strategy:alignment") + "?format=xlsx")
        page = sheet_rows(read_xlsx(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
        self.assertEqual(sheets["Alignment"], page)
        self.assertEqual(sheets["Alignment"][1][0], "Checkout converts on the first try")

    def test_the_origin_mix_is_the_backlog_pages_origin_table(self) -> None:
        from productops.backlog.views.report import report_view_model

        page = report_view_model(build_report().as_dict(), title="Backlog")["origin_rows"]
        flattened = [
            [row["name"], part["label"], float(part["count"]), float(part["percent"])]
            for row in page
            for part in row["parts"]
        ]
        rows = workbook_of(self.cast.hana_user)["Origin mix"]
        self.assertEqual(rows[1:], flattened)
        self.assertTrue(flattened)
