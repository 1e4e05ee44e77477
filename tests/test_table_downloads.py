"""CSV and XLSX downloads of the pages' tables: the same rows as the page, per role."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from productops.backlog.models import Item
from tests.backlog.report_story import build_backlog
from tests.cast import build_cast
from tests.competencies.gap_story import build_gap_story
from tests.imports.test_tables import read_xlsx
from tests.strategy.alignment_story import build_story as build_alignment_story

LOW_SPANS = "span_warn=1&span_critical=9"


def csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def xlsx_column(response, column: str = "A") -> list[object]:  # type: ignore[no-untyped-def]
    # Reading the streamed content to its end closes the response, as a WSGI server
    # would (the test client wraps it); closing it again here would fire
    # request_finished a second time and close the test's database connection.
    cells = read_xlsx(b"".join(response.streaming_content))
    values = []
    row = 1
    while f"{column}{row}" in cells or f"A{row}" in cells:
        values.append(cells.get(f"{column}{row}"))
        row += 1
    return values


class PeopleDownloads(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def names_on_page(self) -> set[str]:
        page = self.client.get("/org/people/").content.decode()
        everyone = ["Hana Head", "Marco Manager", "Priya PM", "Paul PM", "Dana Designer",
                    "Tariq Tech", "Otto Outsider"]  # fmt: skip
        return {name for name in everyone if name in page}

    def test_the_admin_downloads_everyone_as_csv_and_xlsx(self) -> None:
        self.client.force_login(self.cast.hana_user)
        page = self.client.get("/org/people/").content.decode()
        self.assertIn("format=xlsx", page)
        rows = csv_rows(self.client.get("/org/people/?format=csv"))
        self.assertEqual(rows[0][:2], ["name", "email"])
        self.assertEqual({r[0] for r in rows[1:]}, self.names_on_page())
        response = self.client.get("/org/people/?format=xlsx")
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        names = xlsx_column(response)
        self.assertEqual(names[0], "name")
        self.assertEqual(set(names[1:]), self.names_on_page())  # type: ignore[arg-type]
        self.assertEqual(len(names) - 1, 7)

    def test_the_filters_of_the_page_narrow_the_download(self) -> None:
        self.client.force_login(self.cast.hana_user)
        names = xlsx_column(self.client.get("/org/people/?q=Priya&format=xlsx"))
        self.assertEqual(names[1:], ["Priya PM"])

    def test_a_manager_downloads_only_the_people_their_page_shows(self) -> None:
        self.client.force_login(self.cast.marco_user)
        shown = self.names_on_page()
        self.assertNotIn("Otto Outsider", shown)
        names = set(xlsx_column(self.client.get("/org/people/?format=xlsx"))[1:])
        self.assertEqual(names, shown)
        self.assertEqual(
            {r[0] for r in csv_rows(self.client.get("/org/people/?format=csv"))[1:]}, shown
        )

    def test_a_viewer_gets_no_names_in_any_format(self) -> None:
        self.client.force_login(self.cast.vera_user)
        for format in ("csv", "xlsx"):
            response = self.client.get(f"/org/people/?format={format}")
            self.assertEqual(response.status_code, 403)
            self.assertNotIn(b"Priya", response.content)

    def test_an_unknown_format_shows_the_page(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.get("/org/people/?format=ods")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/html; charset=utf-8")


class AuditDownloads(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_the_admin_downloads_every_finding_and_span(self) -> None:
        self.client.force_login(self.cast.hana_user)
        page = self.client.get(f"/org/audit/?{LOW_SPANS}").content.decode()
        self.assertIn("table=findings", page)
        concerns = xlsx_column(
            self.client.get(f"/org/audit/?{LOW_SPANS}&format=xlsx&table=findings"), "C"
        )
        self.assertEqual(concerns[0], "Concerns")
        self.assertIn("Hana Head", concerns)
        self.assertIn("Marco Manager", concerns)
        for name in concerns[1:]:
            self.assertIn(str(name), page)  # every finding downloaded is on the page
        spans = csv_rows(self.client.get(f"/org/audit/?{LOW_SPANS}&format=csv&table=spans"))
        self.assertEqual(spans[0], ["Manager", "Direct reports", "Total reports", "Severity"])
        self.assertIn(["Hana Head", "3", "5", "warning"], spans)

    def test_span_numbers_are_numbers_in_the_workbook(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(f"/org/audit/?{LOW_SPANS}&format=xlsx&table=spans")
        cells = read_xlsx(b"".join(response.streaming_content))
        row = next(r for r in range(2, 10) if cells.get(f"A{r}") == "Hana Head")
        self.assertEqual(cells[f"B{row}"][:2], ("number", 3.0))  # type: ignore[index]

    def test_a_manager_downloads_only_their_chain(self) -> None:
        self.client.force_login(self.cast.marco_user)
        concerns = xlsx_column(self.client.get(f"/org/audit/?{LOW_SPANS}&format=xlsx"), "C")
        self.assertIn("Marco Manager", concerns)
        self.assertNotIn("Hana Head", concerns)
        spans = csv_rows(self.client.get(f"/org/audit/?{LOW_SPANS}&format=csv&table=spans"))
        self.assertEqual([r[0] for r in spans[1:]], ["Marco Manager"])

    def test_a_viewer_downloads_counts_only_whatever_table_is_asked(self) -> None:
        self.client.force_login(self.cast.vera_user)
        admin_counts = None
        for table in ("findings", "spans", "counts"):
            response = self.client.get(f"/org/audit/?format=csv&table={table}")
            rows = csv_rows(response)
            self.assertEqual(rows[0], ["Rule", "Critical", "Warning", "Info"])
            body = "\n".join(",".join(r) for r in rows)
            for name in (
                "Hana",
                "Marco",
                "Priya",
                "Paul",
                "Dana",
                "Tariq",
                "Otto",
                "Search",
                "Checkout",
            ):
                self.assertNotIn(name, body)
            admin_counts = admin_counts or rows
        self.assertGreater(len(admin_counts or []), 1)  # the counts are there, just no names


class ExportItemsAsXlsx(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        Item.objects.create(source="jira", key="SHOP-1", title="=SUM(A1:A9) for the ACME deal")
        Item.objects.create(source="jira", key="SHOP-2", title="Refactor checkout")

    def test_the_workbook_has_every_item_and_the_csv_columns(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder, "items.xlsx")
            err = io.StringIO()
            call_command("export_items", "--format", "xlsx", "--output", str(target), stderr=err)
            cells = read_xlsx(target.read_bytes())
        self.assertEqual(err.getvalue(), f"2 item(s) written to {target}.\n")
        self.assertEqual([cells["A1"], cells["B1"], cells["C1"]], ["source", "key", "title"])
        self.assertEqual([cells["B2"], cells["B3"]], ["SHOP-1", "SHOP-2"])
        self.assertEqual(cells["C2"], "=SUM(A1:A9) for the ACME deal")  # text, not a formula
        self.assertNotIn("B4", cells)

    def test_xlsx_without_a_file_says_what_to_do(self) -> None:
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "add --output items.xlsx"):
            call_command("export_items", "--format", "xlsx", stdout=io.StringIO())

    def test_an_unwritable_file_is_an_error_not_a_traceback(self) -> None:
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "Cannot write /no/such/dir/items.xlsx"):
            call_command("export_items", "--format", "xlsx", "--output", "/no/such/dir/items.xlsx")


class BacklogItemDownloads(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()

    def test_the_list_downloads_every_filtered_item_with_the_page_labels(self) -> None:
        self.client.force_login(self.cast.priya_user)
        page = self.client.get("/backlog/items/?origin=sales").content.decode()
        self.assertIn("format=xlsx", page)
        response = self.client.get("/backlog/items/?origin=sales&format=xlsx")
        cells = read_xlsx(b"".join(response.streaming_content))
        self.assertEqual(cells["A1"], "Key")
        keys = [cells[f"A{r}"] for r in range(2, 5)]
        self.assertEqual(keys, ["CHK-1", "CHK-2", "CHK-3"])
        self.assertNotIn("A5", cells)
        for key in keys:
            self.assertIn(str(key), page)
        self.assertEqual(cells["E2"], "Sales")  # the label the page shows, not the code
        self.assertIn("Sales", page)

    def test_the_csv_has_the_same_rows(self) -> None:
        self.client.force_login(self.cast.hana_user)
        rows = csv_rows(self.client.get("/backlog/items/?format=csv"))
        self.assertEqual(len(rows), 1 + 6)
        self.assertEqual(rows[1][:3], ["CHK-1", "Add PDF export for the ACME deal", "Checkout"])

    def test_a_viewer_who_cannot_see_items_cannot_download_them(self) -> None:
        self.client.force_login(self.cast.vera_user)
        response = self.client.get("/backlog/items/?format=csv")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"ACME", response.content)


class DiscoveryCadenceDownloads(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_every_team_row_of_the_page_downloads_for_any_role(self) -> None:
        for user in (self.cast.hana_user, self.cast.vera_user):
            self.client.force_login(user)
            page = self.client.get("/discovery/cadence/").content.decode()
            self.assertIn("format=xlsx", page)
            rows = csv_rows(self.client.get("/discovery/cadence/?format=csv"))
            self.assertEqual(
                rows[0][:4], ["Team", "Weeks with one", "Weeks in period", "Share (%)"]
            )
            teams = sorted(r[0] for r in rows[1:])
            self.assertEqual(teams, ["Checkout", "Search"])
            for team in teams:
                self.assertIn(team, page)

    def test_the_numbers_are_numbers_in_the_workbook(self) -> None:
        self.client.force_login(self.cast.vera_user)
        response = self.client.get("/discovery/cadence/?format=xlsx")
        cells = read_xlsx(b"".join(response.streaming_content))
        self.assertEqual(cells["B2"][:2], ("number", 0.0))  # type: ignore[index]
        self.assertEqual(cells["C2"][0], "number")  # type: ignore[index]
        self.assertGreater(cells["C2"][1], 0)  # type: ignore[index]


class PersonGapsDownloads(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast

    def test_the_subject_downloads_the_page_table_with_numbers_as_numbers(self) -> None:
        self.client.force_login(self.cast.priya_user)
        url = reverse("competencies:person_gaps", args=[self.cast.priya.pk])
        self.assertIn("format=xlsx", self.client.get(url).content.decode())
        response = self.client.get(url, {"format": "xlsx"})
        cells = read_xlsx(b"".join(response.streaming_content))
        self.assertEqual(cells["A1"], "Competency")
        row = next(r for r in range(2, 6) if str(cells.get(f"A{r}", "")).lower() == "discovery")
        self.assertEqual(cells[f"B{row}"][:2], ("number", 4.0))  # type: ignore[index]
        self.assertEqual(cells[f"D{row}"], "2.67 (3 or more)")  # text stays text
        self.assertEqual(cells[f"G{row}"][:2], ("number", 0.67))  # type: ignore[index]

    def test_hidden_peer_answers_stay_hidden_in_the_download(self) -> None:
        self.client.force_login(self.cast.hana_user)
        url = reverse("competencies:person_gaps", args=[self.cast.paul.pk])
        rows = csv_rows(self.client.get(url, {"format": "csv"}))
        discovery = next(r for r in rows if r[0].lower() == "discovery")
        self.assertEqual(discovery[3], "hidden (n=2, 3 needed)")
        self.assertEqual(discovery[4], "4")

    def test_someone_who_cannot_see_the_person_gets_nothing(self) -> None:
        for user in (self.cast.paul_user, self.cast.vera_user):
            self.client.force_login(user)
            url = reverse("competencies:person_gaps", args=[self.cast.priya.pk])
            response = self.client.get(url, {"format": "csv"})
            self.assertEqual(response.status_code, 404)


ALIGNMENT_Q1 = "/strategy/alignment/?start=2026-01-01&end=2026-03-31"


class AlignmentDownloads(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_alignment_story(cls.cast)

    def test_the_objectives_table_downloads_with_the_page_numbers(self) -> None:
        self.client.force_login(self.cast.hana_user)
        page = self.client.get(ALIGNMENT_Q1).content.decode()
        self.assertIn("table=objectives", page)
        response = self.client.get(ALIGNMENT_Q1 + "&format=xlsx&table=objectives")
        cells = read_xlsx(b"".join(response.streaming_content))
        self.assertEqual(cells["A1"], "Objective")
        row = next(r for r in range(2, 12) if cells.get(f"A{r}") == "Faster checkout")
        # the bar on the page reads "2 in progress, 2 done"
        self.assertEqual(cells[f"B{row}"][:2], ("number", 2.0))  # type: ignore[index]
        self.assertEqual(cells[f"C{row}"][:2], ("number", 2.0))  # type: ignore[index]

    def test_a_member_downloads_the_unaligned_work_the_page_lists(self) -> None:
        self.client.force_login(self.cast.priya_user)
        rows = csv_rows(self.client.get(ALIGNMENT_Q1 + "&format=csv&table=unaligned"))
        self.assertEqual(rows[0], ["Key", "Title", "Status", "Project"])
        keys = {r[0] for r in rows[1:]}
        self.assertTrue({"SHOP-7", "SHOP-30", "SRCH-3"} <= keys)

    def test_a_viewer_gets_no_item_keys_or_titles(self) -> None:
        self.client.force_login(self.cast.vera_user)
        page = self.client.get(ALIGNMENT_Q1).content.decode()
        self.assertNotIn("table=unaligned", page)
        rows = csv_rows(self.client.get(ALIGNMENT_Q1 + "&format=csv&table=unaligned"))
        self.assertEqual(rows[0][0], "Objective")  # the objectives table, not the items
        body = "\n".join(",".join(r) for r in rows)
        for key in ("SHOP-7", "SHOP-30", "SRCH-3", "Work on SRCH-3"):
            self.assertNotIn(key, body)
