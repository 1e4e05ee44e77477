"""CSV and XLSX downloads of the remaining tables: the same rows as the page, per role.

Each story opens the page as a role, reads the rows the page shows (from its context,
which the template renders), downloads both formats and compares. A role that may not
see the page gets no data from the download either.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.backlog.models import Item
from productops.coaching.models import CoachingPlan
from productops.competencies.models import AssessmentCycle
from productops.discovery.models import Touchpoint
from productops.strategy.models import (
    DecisionArea,
    Delegation,
    Difficulty,
    Objective,
    ObjectiveLevel,
)
from tests.cast import PASSWORD, build_cast
from tests.coaching.cadence_cast import build_cadence_story
from tests.coaching.one_on_one_cast import build_one_on_one_cast
from tests.competencies.cycle_cast import build_cycle_cast
from tests.competencies.gap_story import build_gap_story
from tests.imports.test_tables import read_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def xlsx_rows(response: Any) -> list[list[object]]:
    """The first sheet as rows of values (numbers as ("number", value, style))."""
    # Reading the stream to its end closes the response; do not close it again (it would
    # close the test's database connection under PostgreSQL).
    cells = read_xlsx(b"".join(response.streaming_content))
    columns = [chr(ord("A") + i) for i in range(26)]
    width = 0
    while f"{columns[width]}1" in cells:
        width += 1
    rows = []
    row = 1
    while any(f"{column}{row}" in cells for column in columns[:width]):
        rows.append([cells.get(f"{column}{row}") for column in columns[:width]])
        row += 1
    return rows


def number(cell: object) -> float | None:
    """A workbook cell's number; fails the test when the cell is text."""
    assert isinstance(cell, tuple) and cell[0] == "number", f"not a number: {cell!r}"
    return float(cell[1])  # type: ignore[arg-type]


class DownloadCase(TestCase):
    def both(self, url: str) -> tuple[list[list[str]], list[list[object]]]:
        """The download of `url` as CSV rows and XLSX rows, after checking both types."""
        joiner = "&" if "?" in url else "?"
        as_csv = self.client.get(f"{url}{joiner}format=csv")
        self.assertEqual(as_csv.status_code, 200, url)
        self.assertTrue(as_csv["Content-Type"].startswith("text/csv"))
        as_xlsx = self.client.get(f"{url}{joiner}format=xlsx")
        self.assertEqual(as_xlsx.status_code, 200)
        self.assertEqual(as_xlsx["Content-Type"], XLSX)
        return csv_rows(as_csv), xlsx_rows(as_xlsx)

    def first_column(self, url: str) -> list[str]:
        """The first column of the download's data rows, the same in both formats."""
        text, book = self.both(url)
        self.assertEqual(text[0], [str(cell) for cell in book[0]])
        self.assertEqual([row[0] for row in text[1:]], [row[0] for row in book[1:]])
        return [row[0] for row in text[1:]]

    def refused(self, url: str, status: int = 403) -> None:
        joiner = "&" if "?" in url else "?"
        for format in ("csv", "xlsx"):
            response = self.client.get(f"{url}{joiner}format={format}")
            self.assertEqual(response.status_code, status, format)
            self.assertNotEqual(response.get("Content-Type"), XLSX)
            self.assertFalse(response.get("Content-Type", "").startswith("text/csv"))


# -- org: teams ---------------------------------------------------------------------------


class TeamListDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def page_teams(self) -> list[str]:
        response = self.client.get(reverse("org:teams"))
        self.assertContains(response, "format=xlsx")
        return [row["team"].name for row in response.context["rows"]]

    def test_admin_and_manager_download_the_teams_their_page_lists(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.priya_user):
            self.client.force_login(user)
            shown = self.page_teams()
            self.assertTrue(shown)
            self.assertEqual(self.first_column(reverse("org:teams")), shown, user.username)

    def test_the_trio_and_the_size_come_as_on_the_page(self) -> None:
        self.client.force_login(self.cast.hana_user)
        text, book = self.both(reverse("org:teams"))
        self.assertEqual(
            text[0],
            ["Team", "Product area", "Group", "Product manager", "Design lead", "Tech lead",
             "People"],
        )  # fmt: skip
        checkout = next(row for row in text if row[0] == "Checkout")
        self.assertEqual(checkout[3:6], ["Priya PM", "Dana Designer", "Tariq Tech"])
        search = next(row for row in text if row[0] == "Search")
        self.assertEqual(search[4:6], ["", ""])  # no design or tech lead: empty, not "missing"
        checkout_row = next(row for row in book if row[0] == "Checkout")
        self.assertEqual(number(checkout_row[6]), 3.0)

    def test_a_viewer_gets_no_team_names(self) -> None:
        self.client.force_login(self.cast.vera_user)
        self.refused(reverse("org:teams"))


# -- coaching: plans, 1:1 series, cadence -------------------------------------------------


class PlanListDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_one_on_one_cast()
        cls.cast = cls.story.cast
        CoachingPlan.objects.create(
            person=cls.cast.paul, manager=cls.cast.marco, title="Paul's draft"
        )

    def page_plans(self, query: str = "") -> list[str]:
        response = self.client.get(reverse("coaching:plans") + query)
        return [plan.title for plan in response.context["page"].object_list]

    def test_each_role_downloads_the_plans_their_page_lists(self) -> None:
        expected = {
            "hana": {"Priya's plan", "Paul's draft"},
            "marco": {"Priya's plan", "Paul's draft"},
            "priya": {"Priya's plan"},
            "paul": {"Paul's draft"},
        }
        for name, titles in expected.items():
            self.client.force_login(getattr(self.cast, f"{name}_user"))
            shown = self.page_plans()
            self.assertEqual(set(shown), titles, name)
            text, book = self.both(reverse("coaching:plans"))
            self.assertEqual([row[1] for row in text[1:]], shown, name)
            self.assertEqual([row[1] for row in book[1:]], shown, name)

    def test_the_status_filter_narrows_the_download(self) -> None:
        self.client.force_login(self.cast.hana_user)
        text, _ = self.both(reverse("coaching:plans") + "?status=active")
        self.assertEqual([row[1] for row in text[1:]], self.page_plans("?status=active"))
        self.assertEqual([row[1] for row in text[1:]], ["Priya's plan"])

    def test_goal_counts_are_numbers(self) -> None:
        self.client.force_login(self.cast.marco_user)
        text, book = self.both(reverse("coaching:plans"))
        self.assertEqual(text[0][3:5], ["Open goals", "Goals"])
        priya = next(row for row in book if row[1] == "Priya's plan")
        self.assertEqual((number(priya[3]), number(priya[4])), (2.0, 2.0))

    def test_someone_who_sees_no_plan_downloads_none(self) -> None:
        self.client.force_login(self.cast.vera_user)
        text, book = self.both(reverse("coaching:plans"))
        self.assertEqual(self.page_plans(), [])
        self.assertEqual(len(text), 1)
        self.assertEqual(len(book), 1)


class SeriesListDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_one_on_one_cast()
        cls.cast = cls.story.cast

    def page_series(self) -> list[tuple[str, str]]:
        response = self.client.get(reverse("coaching:series_list"))
        return [(s.lead.name, s.report.name) for s in response.context["page"].object_list]

    def test_each_role_downloads_the_series_their_page_lists(self) -> None:
        for user, count in (
            (self.cast.hana_user, 2),
            (self.cast.marco_user, 2),
            (self.cast.priya_user, 1),
            (self.story.tariq_user, 1),
            (self.story.dana_user, 0),
        ):
            self.client.force_login(user)
            shown = self.page_series()
            self.assertEqual(len(shown), count, user.username)
            text, book = self.both(reverse("coaching:series_list"))
            self.assertEqual([(r[0], r[1]) for r in text[1:]], shown, user.username)
            self.assertEqual([(r[0], r[1]) for r in book[1:]], shown, user.username)

    def test_minutes_and_open_actions_are_numbers(self) -> None:
        self.client.force_login(self.cast.hana_user)
        _, book = self.both(reverse("coaching:series_list"))
        self.assertEqual(book[0][4], "Minutes")
        tariq = next(row for row in book if row[0] == "Tariq Tech")
        self.assertEqual(number(tariq[4]), 45.0)
        self.assertEqual(number(tariq[8]), 0.0)

    def test_a_viewer_gets_no_series(self) -> None:
        self.client.force_login(self.cast.vera_user)
        self.refused(reverse("coaching:series_list"))


class CadenceDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_cadence_story(cls.cast, timezone.localdate())

    def page(self) -> Any:
        return self.client.get(reverse("coaching:cadence"))

    def test_each_role_downloads_the_series_their_page_lists(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.priya_user):
            self.client.force_login(user)
            response = self.page()
            shown = [
                (s.fact.lead_name, s.fact.report_name) for s in response.context["page"].object_list
            ]
            self.assertTrue(shown)
            text, book = self.both(reverse("coaching:cadence") + "?table=series")
            self.assertEqual([(r[0], r[1]) for r in text[1:]], shown, user.username)
            self.assertEqual([(r[0], r[1]) for r in book[1:]], shown, user.username)

    def test_the_health_and_missed_count_match_the_page(self) -> None:
        self.client.force_login(self.cast.hana_user)
        health = {s.fact.report_name: s for s in self.page().context["page"].object_list}
        text, book = self.both(reverse("coaching:cadence") + "?table=series")
        self.assertEqual(text[0][6], "Missed")
        for row, cells in zip(text[1:], book[1:], strict=True):
            self.assertEqual(row[11], health[row[1]].health.label)
            self.assertEqual(number(cells[6]), float(health[row[1]].missed))
        by_report = {row[1]: row for row in text[1:]}
        self.assertEqual(by_report["Paul PM"][11], health["Paul PM"].health.label)
        self.assertNotEqual(by_report["Paul PM"][11], by_report["Priya PM"][11])

    def test_loads_follow_the_page_for_admin_and_manager(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user):
            self.client.force_login(user)
            shown = [row["load"].name for row in self.page().context["loads"]]
            self.assertTrue(shown)
            text, _ = self.both(reverse("coaching:cadence") + "?table=loads")
            self.assertEqual([row[0] for row in text[1:]], shown, user.username)
        self.client.force_login(self.cast.marco_user)
        text, _ = self.both(reverse("coaching:cadence") + "?table=loads")
        self.assertNotIn("Hana Head", [row[0] for row in text[1:]])

    def test_a_member_sees_no_loads(self) -> None:
        self.client.force_login(self.cast.priya_user)
        text, _ = self.both(reverse("coaching:cadence") + "?table=loads")
        self.assertEqual(len(text), 1)

    def test_a_viewer_gets_the_counts_only_whatever_table_is_asked(self) -> None:
        self.client.force_login(self.cast.vera_user)
        counts = self.page().context["counts"]
        for table in ("series", "loads", "counts"):
            text, book = self.both(reverse("coaching:cadence") + f"?table={table}")
            self.assertEqual(text[0], ["Health", "Series"])
            body = repr(text) + repr(book)
            for name in ("Hana", "Marco", "Priya", "Paul", "Dana"):
                self.assertNotIn(name, body)
            self.assertEqual(sum(int(row[1]) for row in text[1:]), sum(counts.values()))
            self.assertEqual(sum(number(row[1]) or 0 for row in book[1:]), 4.0)


# -- backlog: reporters -------------------------------------------------------------------


class ReporterDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        common = {"source": "jira", "project": "SHOP"}
        Item.objects.create(key="SHOP-1", title="A", reporter="Sam Sales", **common)
        Item.objects.create(key="SHOP-2", title="B", reporter="Sam Sales", **common)
        Item.objects.create(key="SHOP-3", title="C", reporter="Priya PM", **common)
        Item.objects.create(key="SHOP-4", title="D", **common)

    def page_reporters(self, query: str = "") -> list[str]:
        response = self.client.get(reverse("backlog:reporters") + query)
        return [entry["row"].name if entry["row"].key else "No reporter"
                for entry in response.context["rows"]]  # fmt: skip

    def test_admin_and_manager_download_the_reporters_their_page_lists(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user):
            self.client.force_login(user)
            shown = self.page_reporters()
            self.assertEqual(self.first_column(reverse("backlog:reporters")), shown)
            self.assertIn("Sam Sales", shown)

    def test_item_counts_are_numbers_and_the_filter_narrows(self) -> None:
        self.client.force_login(self.cast.hana_user)
        _, book = self.both(reverse("backlog:reporters"))
        self.assertEqual(book[0][3], "Items")
        sam = next(row for row in book if row[0] == "Sam Sales")
        self.assertEqual(number(sam[3]), 2.0)
        self.assertEqual(number(sam[4]), 50.0)
        unmatched = self.page_reporters("?show=unmatched")
        self.assertEqual(
            self.first_column(reverse("backlog:reporters") + "?show=unmatched"), unmatched
        )
        self.assertNotIn("No reporter", unmatched)

    def test_a_member_and_a_viewer_get_the_summary_counts_and_no_reporter(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            self.assertEqual(self.page_reporters(), [])
            text, book = self.both(reverse("backlog:reporters"))
            self.assertEqual(text[0], ["Measure", "Count"])
            self.assertEqual(text[1], ["Items", "4"])
            self.assertEqual(number(book[1][1]), 4.0)
            self.assertNotIn("Sam", repr(text) + repr(book))
            self.assertNotIn("Priya", repr(text) + repr(book))


# -- competencies: group gaps and cycles --------------------------------------------------


class GroupGapDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast

    def url(self, table: str) -> str:
        return reverse("competencies:org_gaps") + f"?table={table}"

    def test_admin_manager_and_member_download_the_heatmap_rows_they_see(self) -> None:
        for user, names in (
            (self.cast.hana_user, ["Marco Manager", "Paul PM", "Priya PM"]),
            (self.cast.marco_user, ["Marco Manager", "Paul PM", "Priya PM"]),
            (self.cast.priya_user, ["Priya PM"]),
        ):
            self.client.force_login(user)
            page = self.client.get(reverse("competencies:org_gaps"))
            self.assertContains(page, "table=people")
            shown = [result.person.name for result in page.context["seen"]["rows"]]
            self.assertEqual(shown, names)
            self.assertEqual(self.first_column(self.url("people")), names, user.username)

    def test_the_gaps_are_the_page_numbers(self) -> None:
        self.client.force_login(self.cast.hana_user)
        text, book = self.both(self.url("people"))
        self.assertEqual(text[0], ["Person", "Discovery", "Delivery", "Strategy"])
        priya = next(row for row in book if row[0] == "Priya PM")
        self.assertEqual(number(priya[1]), 0.67)  # 3 - 7/3, as the page rounds it
        self.assertEqual(number(priya[3]), -1.0)
        marco = next(row for row in text if row[0] == "Marco Manager")
        self.assertEqual(marco[3], "")  # strategy: no consensus, no gap

    def test_who_needs_support_follows_the_page(self) -> None:
        self.client.force_login(self.cast.marco_user)
        page = self.client.get(reverse("competencies:org_gaps"))
        shown = [(item["group"].manager_name, p["entry"].name)
                 for item in page.context["support"] for p in item["people"]]  # fmt: skip
        text, _ = self.both(self.url("support"))
        self.assertEqual([(row[0], row[1]) for row in text[1:]], shown)
        self.assertNotIn("Hana Head", [row[0] for row in text[1:]])
        self.client.force_login(self.cast.priya_user)
        text, _ = self.both(self.url("support"))
        self.assertEqual(len(text), 1)  # a member's page has no support list

    @override_settings(PRODUCTOPS_MIN_GROUP_SIZE=3)  # the story's org has 3 people
    def test_a_viewer_gets_the_distribution_with_the_page_cells_withheld(self) -> None:
        self.client.force_login(self.cast.vera_user)
        page = self.client.get(reverse("competencies:org_gaps"))
        seen = {entry.name: entry for entry in page.context["seen"]["distribution"]}
        # discovery and delivery have 3 people: shown; strategy has 2 (Marco rated none)
        self.assertFalse(seen["Discovery"].hidden)
        self.assertTrue(seen["Strategy"].hidden)
        self.assertContains(page, "Strategy: withheld: fewer than 3 other people")
        for table in ("people", "support", "distribution"):
            text, book = self.both(self.url(table))
            self.assertEqual(text[0][:2], ["Competency", "People"], table)
            for name in ("Priya", "Paul", "Marco", "Hana"):
                self.assertNotIn(name, repr(text) + repr(book))
            rows = {row[0]: row for row in text[1:]}
            self.assertEqual(list(rows), list(seen))
            self.assertEqual(rows["Discovery"][1], "3")
            counts = [int(cell) for cell in rows["Discovery"][2:-2]]
            self.assertEqual(counts, list(seen["Discovery"].counts))
            strategy = rows["Strategy"]
            self.assertEqual(strategy[1:-1], [""] * (len(strategy) - 2))
            self.assertEqual(strategy[-1], "withheld: fewer than 3 other people")
        book_rows = {row[0]: row for row in book[1:]}
        self.assertEqual(number(book_rows["Discovery"][1]), 3.0)

    @override_settings(PRODUCTOPS_MIN_GROUP_SIZE=3)
    def test_a_member_gets_what_her_page_withholds_withheld(self) -> None:
        # Priya knows her own values: 2 others in each competency, fewer than 3
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(reverse("competencies:org_gaps"))
        hidden = [e.name for e in page.context["seen"]["distribution"] if e.hidden]
        self.assertEqual(hidden, ["Discovery", "Delivery", "Strategy"])
        text, _ = self.both(self.url("distribution"))
        for row in text[1:]:
            self.assertEqual(row[1], "")
            self.assertTrue(row[-1].startswith("withheld"))

    @override_settings(PRODUCTOPS_MIN_GROUP_SIZE=2)
    def test_a_known_value_withholds_the_median_as_on_the_page(self) -> None:
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(reverse("competencies:org_gaps"))
        discovery = next(e for e in page.context["seen"]["distribution"] if e.name == "Discovery")
        self.assertTrue(discovery.median_withheld)
        self.assertIsNone(discovery.median)
        text, _ = self.both(self.url("distribution"))
        row = next(r for r in text[1:] if r[0] == "Discovery")
        self.assertEqual(row[1], "3")
        self.assertEqual(row[-2], "")  # no median
        self.assertIn("median withheld", row[-1])

    def test_a_team_page_downloads_its_own_people(self) -> None:
        self.client.force_login(self.cast.hana_user)
        url = reverse("competencies:team_gaps", args=[self.cast.checkout.pk])
        page = self.client.get(url)
        shown = [r.person.name for r in page.context["seen"]["rows"]]
        self.assertEqual(self.first_column(url + "?table=people"), shown)
        self.assertEqual(shown, ["Priya PM"])

    def test_a_team_the_reader_may_not_see_answers_404(self) -> None:
        outsider = do_create_login("outsider", PASSWORD, Role.MEMBER, person=self.cast.otto)
        self.client.force_login(outsider)
        url = reverse("competencies:team_gaps", args=[self.cast.checkout.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.refused(url + "?table=people", status=404)


class CycleListDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_cycle_cast()
        cls.cast = cls.story.cast

    def page_cycles(self) -> list[tuple[str, str]]:
        response = self.client.get(reverse("competencies:cycles"))
        return [(row["cycle"].name, str(row["completion"])) for row in response.context["rows"]]

    def test_each_role_downloads_the_cycles_and_counts_of_their_page(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.priya_user):
            self.client.force_login(user)
            shown = self.page_cycles()
            self.assertTrue(shown, user.username)
            text, book = self.both(reverse("competencies:cycles"))
            self.assertEqual(text[0], ["Cycle", "Model", "Due", "Status", "Overdue",
                                       "Submitted", "Requests"])  # fmt: skip
            self.assertEqual(
                [(row[0], f"{row[5]} / {row[6]}") for row in text[1:]], shown, user.username
            )
            self.assertIsInstance(number(book[1][6]), float)

    def test_someone_outside_every_cycle_downloads_none(self) -> None:
        outsider = do_create_login("otto", PASSWORD, Role.MEMBER, person=self.cast.otto)
        self.client.force_login(outsider)
        self.assertEqual(self.page_cycles(), [])
        text, book = self.both(reverse("competencies:cycles"))
        self.assertEqual((len(text), len(book)), (1, 1))
        self.assertTrue(AssessmentCycle.objects.exists())

    def test_a_viewer_gets_no_cycles(self) -> None:
        self.client.force_login(self.cast.vera_user)
        self.refused(reverse("competencies:cycles"))


# -- strategy: delegation and objectives --------------------------------------------------


class DelegationDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        Touchpoint.objects.create(
            team=cls.cast.checkout, date=datetime.date(2020, 1, 6), kind="interview"
        )
        cls.pricing = DecisionArea.objects.create(name="Pricing", difficulty=Difficulty.HIGH)
        cls.tools = DecisionArea.objects.create(name="Tools", difficulty=Difficulty.LOW)
        # Search: trio 1/3, cadence 0, no assessment -> recommended 1 for pricing
        Delegation.objects.create(team=cls.cast.search, area=cls.pricing, level=6)

    def board(self) -> Any:
        return self.client.get(reverse("strategy:delegation"))

    def test_every_role_downloads_the_teams_and_levels_of_the_board(self) -> None:
        for name in ("hana", "marco", "priya", "vera"):
            self.client.force_login(getattr(self.cast, f"{name}_user"))
            page = self.board()
            self.assertContains(page, "format=xlsx")
            rows = page.context["board"].rows
            text, book = self.both(reverse("strategy:delegation"))
            self.assertEqual(
                text[0],
                ["Team", "Pricing: chosen", "Pricing: recommended", "Tools: chosen",
                 "Tools: recommended"],
            )  # fmt: skip
            self.assertEqual([row[0] for row in text[1:]], [r.team.name for r in rows], name)
            for row, cells in zip(rows, text[1:], strict=True):
                expected = []
                for cell in row.cells:
                    expected += [str(cell.chosen or ""), str(cell.recommended or "")]
                self.assertEqual(cells[1:], expected, name)
            search = next(r for r in book if r[0] == "Search")
            self.assertEqual(number(search[1]), 6.0)

    def test_the_findings_are_the_board_findings(self) -> None:
        self.client.force_login(self.cast.marco_user)
        findings = self.board().context["board"].findings
        self.assertTrue(findings)
        text, _ = self.both(reverse("strategy:delegation") + "?table=findings")
        self.assertEqual(
            [(row[0], row[1], row[4]) for row in text[1:]],
            [(c.team.name, c.area.name, c.finding) for c in findings],
        )

    def test_a_visitor_who_is_not_logged_in_gets_nothing(self) -> None:
        self.refused(reverse("strategy:delegation"), status=302)


class ObjectiveListDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        start, end = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
        grow = Objective.objects.create(
            title="Grow revenue", level=ObjectiveLevel.COMPANY, period_start=start,
            period_end=end, owner=cls.cast.hana,
        )  # fmt: skip
        Objective.objects.create(
            title="Faster checkout", level=ObjectiveLevel.PRODUCT, period_start=start,
            period_end=end, parent=grow, owner=cls.cast.priya,
        )  # fmt: skip
        Objective.objects.create(
            title="Search that finds", level=ObjectiveLevel.PRODUCT, period_start=start,
            period_end=end, owner=cls.cast.paul,
        )  # fmt: skip

    def page_titles(self) -> list[str]:
        titles = []
        for group in self.client.get(reverse("strategy:objectives")).context["groups"]:
            for company in group["companies"]:
                titles += [company["objective"].title, *(p.title for p in company["products"])]
            titles += [p.title for p in group["loose"]]
        return titles

    def test_admin_and_member_download_the_list_in_page_order_with_owners(self) -> None:
        for user in (self.cast.hana_user, self.cast.priya_user):
            self.client.force_login(user)
            shown = self.page_titles()
            self.assertEqual(shown, ["Grow revenue", "Faster checkout", "Search that finds"])
            text, book = self.both(reverse("strategy:objectives"))
            self.assertEqual([row[3] for row in text[1:]], shown)
            self.assertEqual([row[3] for row in book[1:]], shown)
            self.assertEqual(text[0][-1], "Owner")
            self.assertEqual(text[2][4:], ["Grow revenue", "Priya PM"])
            self.assertEqual(text[1][0], "2026-01-01")

    def test_a_viewer_gets_the_list_without_owners(self) -> None:
        self.client.force_login(self.cast.vera_user)
        shown = self.page_titles()
        text, book = self.both(reverse("strategy:objectives"))
        self.assertEqual([row[3] for row in text[1:]], shown)
        self.assertNotIn("Owner", text[0])
        for name in ("Hana", "Priya", "Paul"):
            self.assertNotIn(name, repr(text) + repr(book))

    def test_a_visitor_who_is_not_logged_in_gets_nothing(self) -> None:
        self.refused(reverse("strategy:objectives"), status=302)


# -- discovery: touchpoints ---------------------------------------------------------------


class TouchpointListDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        for day, insights in ((6, "Retry is hidden " * 20), (13, "=HYPERLINK(bad)")):
            made = Touchpoint.objects.create(
                team=cls.cast.checkout, date=datetime.date(2025, 1, day), kind="interview",
                customers=2, segment="SMB", insights=insights,
            )  # fmt: skip
            made.participants.add(cls.cast.priya, cls.cast.dana)

    def url(self) -> str:
        return reverse("discovery:touchpoints", args=[self.cast.checkout.pk])

    def test_admin_and_the_team_pm_download_the_touchpoints_of_the_page(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.priya_user):
            self.client.force_login(user)
            page = self.client.get(self.url())
            self.assertContains(page, "format=xlsx")
            shown = [t.date.isoformat() for t in page.context["page"].object_list]
            self.assertEqual(shown, ["2025-01-13", "2025-01-06"])
            text, book = self.both(self.url())
            self.assertEqual([row[0] for row in text[1:]], shown, user.username)
            self.assertEqual(len(book), 3)

    def test_cells_keep_their_types_and_formulas_stay_text(self) -> None:
        self.client.force_login(self.cast.priya_user)
        text, book = self.both(self.url())
        self.assertEqual(text[0], ["Date", "Kind", "Participants", "Segment", "Customers",
                                   "Insights"])  # fmt: skip
        self.assertEqual(text[1][5], "'=HYPERLINK(bad)")
        self.assertEqual(book[1][5], "=HYPERLINK(bad)")  # a string cell, not a formula
        self.assertEqual(number(book[1][4]), 2.0)
        self.assertEqual(number(book[1][0]), 45670.0)  # 2025-01-13 as an Excel date
        self.assertEqual(text[2][5], "Retry is hidden " * 20)  # the whole text
        self.assertIn("Priya PM", text[1][2])

    def test_a_member_of_another_team_and_a_viewer_get_no_touchpoint(self) -> None:
        self.client.force_login(self.cast.paul_user)
        self.refused(self.url(), status=404)
        self.client.force_login(self.cast.vera_user)
        self.refused(self.url())


# -- pages with several tables: a team, a 1:1 series, a cycle, the backlog health ---------


class TeamDetailDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def url(self, table: str = "members") -> str:
        return reverse("org:team", args=[self.cast.checkout.pk]) + f"?table={table}"

    def test_admin_and_manager_download_the_members_the_page_lists(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.priya_user):
            self.client.force_login(user)
            page = self.client.get(reverse("org:team", args=[self.cast.checkout.pk]))
            shown = [m.person.name for m in page.context["memberships"]]
            self.assertEqual(self.first_column(self.url()), shown, user.username)
            self.assertIn("Priya PM", shown)

    def test_someone_who_may_not_see_the_team_gets_nothing(self) -> None:
        outsider = do_create_login("otto", PASSWORD, Role.MEMBER, person=self.cast.otto)
        self.client.force_login(outsider)
        page = self.client.get(reverse("org:team", args=[self.cast.checkout.pk]))
        self.assertEqual(page.status_code, 404)
        self.refused(self.url(), status=404)
        self.client.force_login(self.cast.vera_user)
        self.refused(self.url(), status=404)

    def test_findings_are_those_the_page_shows(self) -> None:
        self.client.force_login(self.cast.hana_user)
        search = reverse("org:team", args=[self.cast.search.pk])
        page = self.client.get(search)
        shown = [(f.subject_name, f.message) for f in page.context["findings"]]
        self.assertTrue(shown)  # Search has no design or tech lead
        text, _ = self.both(search + "?table=findings")
        self.assertEqual([(row[2], row[3]) for row in text[1:]], shown)


class SeriesDetailDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_cadence_story(cls.cast, timezone.localdate())

    def url(self) -> str:
        return reverse("coaching:series_detail", args=[self.story.marco_priya.pk])

    def test_the_people_in_the_series_download_its_1on1s(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.priya_user):
            self.client.force_login(user)
            page = self.client.get(self.url())
            shown = [m.date for m in page.context["page"].object_list]
            text, book = self.both(self.url())
            self.assertEqual(text[0], ["Date", "Status", "Talking points", "Actions raised"])
            self.assertEqual([row[0] for row in text[1:]], [d.isoformat() for d in shown])
            self.assertEqual(len(book) - 1, 9)  # eight held and today's, on one page too

    def test_someone_outside_the_series_gets_nothing(self) -> None:
        self.client.force_login(self.cast.paul_user)
        self.refused(self.url(), status=404)


class CycleDetailDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_cycle_cast()
        cls.cast = cls.story.cast

    def url(self, table: str = "progress") -> str:
        return reverse("competencies:cycle_detail", args=[self.story.cycle.pk]) + (
            f"?table={table}"
        )

    def test_each_role_downloads_the_progress_rows_of_their_page(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.priya_user):
            self.client.force_login(user)
            page = self.client.get(self.url())
            subjects = page.context["subjects"]
            shown = [row.progress.subject.name for row in subjects]
            text, book = self.both(self.url())
            self.assertEqual([row[0] for row in text[1:]], shown, user.username)
            for row, cells in zip(subjects, book[1:], strict=True):
                self.assertEqual(number(cells[1]), float(row.progress.overall.submitted))
                self.assertEqual(number(cells[2]), float(row.progress.overall.total))
        self.client.force_login(self.cast.priya_user)
        text, _ = self.both(self.url())
        self.assertEqual([row[0] for row in text[1:]], ["Priya PM"])

    def test_the_overdue_table_follows_the_page(self) -> None:
        AssessmentCycle.objects.filter(pk=self.story.cycle.pk).update(
            due_date=datetime.date(2020, 1, 1)
        )
        for user in (self.cast.hana_user, self.cast.priya_user):
            self.client.force_login(user)
            page = self.client.get(self.url())
            shown = [(r.rater.name, r.subject.name) for r in page.context["overdue"]]
            text, _ = self.both(self.url("overdue"))
            self.assertEqual([(row[0], row[1]) for row in text[1:]], shown, user.username)
        self.client.force_login(self.cast.hana_user)
        self.assertTrue(self.client.get(self.url()).context["overdue"])


class BacklogHealthDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from tests.backlog.report_story import build_backlog

        cls.cast = build_cast()
        build_backlog()

    def test_the_origin_mix_is_the_page_mix_for_every_role(self) -> None:
        for user in (self.cast.hana_user, self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            page = self.client.get(reverse("backlog:report"))
            self.assertContains(page, "table=origin")
            rows = page.context["origin_rows"]
            text, book = self.both(reverse("backlog:report") + "?table=origin")
            self.assertEqual([row[0] for row in text[1:]], [r["name"] for r in rows])
            for row, cells in zip(rows, book[1:], strict=True):
                self.assertEqual(number(cells[1]), float(row["total"]))
                for part in row["parts"]:
                    at = text[0].index(part["label"])
                    self.assertEqual(number(cells[at]), float(part["count"]))
                    self.assertEqual(number(cells[at + 1]), float(part["percent"]))

    def test_a_viewer_gets_no_item_in_any_table(self) -> None:
        self.client.force_login(self.cast.vera_user)
        for table in ("origin", "sprints", "shelved", "trust"):
            text, book = self.both(reverse("backlog:report") + f"?table={table}")
            for item in Item.objects.all():
                self.assertNotIn(item.key, repr(text) + repr(book), table)
                self.assertNotIn(item.title, repr(text) + repr(book), table)


# -- coaching: communities of practice ----------------------------------------------------


class CommunityDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from tests.coaching.communities_story import build_communities

        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def test_the_list_for_a_member_and_a_viewer(self) -> None:
        for user, organizer in ((self.cast.priya_user, True), (self.cast.vera_user, False)):
            self.client.force_login(user)
            page = self.client.get(reverse("coaching:communities"))
            shown = [c.name for c in page.context["page"].object_list]
            self.assertEqual(self.first_column(reverse("coaching:communities")), shown)
            text, book = self.both(reverse("coaching:communities"))
            self.assertEqual("Organizer" in text[0], organizer)
            if not organizer:
                for name in ("Hana", "Priya"):
                    self.assertNotIn(name, repr(text) + repr(book))
            guild = next(row for row in book if row[0] == "Discovery guild")
            self.assertEqual(number(guild[text[0].index("Sessions")]), 3.0)

    def test_a_community_sessions_and_mix_follow_its_page(self) -> None:
        url = reverse("coaching:community_detail", args=[self.story.guild.pk])
        for user in (self.cast.hana_user, self.cast.vera_user):
            self.client.force_login(user)
            page = self.client.get(url)
            dates = [s.date.isoformat() for s in page.context["page"].object_list]
            text, book = self.both(url)
            self.assertEqual([row[0] for row in text[1:]], dates)
            self.assertEqual(number(book[-1][-1]), 4.0)  # the first session: four there
            mix = [(row.label, row.people) for row in page.context["mix"]]
            text, _ = self.both(url + "?table=mix")
            self.assertEqual([(row[0], int(row[1])) for row in text[1:]], mix)
        self.client.force_login(self.cast.vera_user)
        text, book = self.both(url)
        self.assertNotIn("Facilitator", text[0])
        self.assertNotIn("Paul", repr(text) + repr(book))

    def test_participation_by_discipline_and_by_community(self) -> None:
        url = reverse("coaching:participation")
        for user in (self.cast.hana_user, self.cast.vera_user):
            self.client.force_login(user)
            page = self.client.get(url)
            rows = page.context["rows"]
            report = page.context["report"]
            text, book = self.both(url + "?table=disciplines")
            self.assertEqual([row[0] for row in text[1:]], [r["row"].label for r in rows])
            for line, cells in zip(rows, book[1:], strict=True):
                self.assertEqual(number(cells[1]), float(line["row"].people))
                self.assertEqual([number(c) for c in cells[4:]], [float(c) for c in line["cells"]])
            text, _ = self.both(url + "?table=communities")
            self.assertEqual([row[0] for row in text[1:]], [c.name for c in report.communities])


# -- smaller lists: checks, areas, an objective, trees, kinds, labels, imports, requests --


class PriorityCheckListDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from tests.strategy.check_story import build_check_story

        cls.story = build_check_story()
        cls.cast = cls.story.cast

    def test_admin_and_viewer_download_the_checks_of_their_page(self) -> None:
        for user, by in ((self.cast.hana_user, True), (self.cast.vera_user, False)):
            self.client.force_login(user)
            page = self.client.get(reverse("strategy:checks"))
            shown = [(row["check"].title, row["status"].label) for row in page.context["rows"]]
            text, book = self.both(reverse("strategy:checks"))
            self.assertEqual([(row[0], row[-1]) for row in text[1:]], shown)
            self.assertEqual("By" in text[0], by)
            self.assertEqual(len(book), len(text))
        self.client.force_login(self.cast.vera_user)
        text, book = self.both(reverse("strategy:checks"))
        for name in ("Hana", "Marco", "hana", "marco"):
            self.assertNotIn(name, repr(text) + repr(book))


class DecisionAreaDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        DecisionArea.objects.create(name="Pricing", difficulty=Difficulty.HIGH)
        DecisionArea.objects.create(name="Tools", difficulty=Difficulty.LOW)

    def test_the_admin_downloads_the_areas_and_others_get_none(self) -> None:
        url = reverse("strategy:delegation_areas")
        self.client.force_login(self.cast.hana_user)
        shown = [a.name for a in self.client.get(url).context["page"].object_list]
        self.assertEqual(self.first_column(url), shown)
        self.assertEqual(shown, ["Pricing", "Tools"])
        for user in (self.cast.marco_user, self.cast.vera_user):
            self.client.force_login(user)
            self.refused(url)


class ObjectiveDetailDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from productops.strategy.models import ObjectiveLink

        cls.cast = build_cast()
        cls.objective = Objective.objects.create(
            title="Faster checkout", level=ObjectiveLevel.PRODUCT,
            period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 3, 31),
        )  # fmt: skip
        epic = Item.objects.create(source="jira", key="SHOP-9", title="One-page checkout")
        Item.objects.create(source="jira", key="SHOP-10", title="Child", epic_key="SHOP-9")
        ObjectiveLink.objects.create(objective=cls.objective, item=epic)

    def test_members_download_the_mapped_items_and_viewers_get_none(self) -> None:
        url = reverse("strategy:objective_detail", args=[self.objective.pk])
        for user in (self.cast.hana_user, self.cast.priya_user):
            self.client.force_login(user)
            shown = [row["link"].item.key for row in self.client.get(url).context["link_rows"]]
            text, book = self.both(url)
            self.assertEqual([row[0] for row in text[1:]], shown)
            self.assertEqual(shown, ["SHOP-9"])
            self.assertEqual(number(book[1][3]), 1.0)  # one child under the epic
        self.client.force_login(self.cast.vera_user)
        self.assertEqual(self.client.get(url).context["link_rows"], [])
        text, book = self.both(url)
        self.assertEqual(len(text), 1)
        self.assertNotIn("SHOP", repr(text) + repr(book))


class TreeListDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from tests.discovery.tree_story import build_tree

        cls.cast = build_cast()
        build_tree(cls.cast.checkout)

    def test_the_counts_of_each_team_as_on_the_page(self) -> None:
        for user in (self.cast.hana_user, self.cast.priya_user):
            self.client.force_login(user)
            rows = self.client.get(reverse("discovery:trees")).context["rows"]
            text, book = self.both(reverse("discovery:trees"))
            self.assertEqual([row[0] for row in text[1:]], [r["team"].name for r in rows])
            checkout = next(row for row in book if row[0] == "Checkout")
            self.assertEqual(checkout[1], "More first orders complete")
            self.assertEqual([number(c) for c in checkout[2:5]], [3.0, 1.0, 1.0])
            self.assertEqual(number(checkout[text[0].index("Tests running")]), 1.0)

    def test_a_viewer_gets_nothing(self) -> None:
        self.client.force_login(self.cast.vera_user)
        self.refused(reverse("discovery:trees"))


class TeamCadenceKindDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        today = timezone.localdate()
        for days, kind in ((3, "interview"), (10, "interview"), (17, "shadowing")):
            made = Touchpoint.objects.create(
                team=cls.cast.checkout, date=today - datetime.timedelta(days=days), kind=kind
            )
            made.participants.add(cls.cast.priya)

    def test_the_kinds_table_for_two_roles(self) -> None:
        url = reverse("discovery:team_cadence", args=[self.cast.checkout.pk])
        for user in (self.cast.hana_user, self.cast.vera_user):
            self.client.force_login(user)
            page = self.client.get(url)  # counts only: every role reads them
            shown = [(row.label, row.count) for row in page.context["kind_rows"]]
            self.assertTrue(shown)
            text, book = self.both(url)
            self.assertEqual([(row[0], int(row[1])) for row in text[1:]], shown)
            self.assertEqual(
                sum(number(row[1]) or 0 for row in book[1:]), float(sum(c for _, c in shown))
            )


class LabelVocabularyDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        Item.objects.create(source="jira", key="SHOP-1", title="A", labels=["sales-ask"])
        Item.objects.create(source="jira", key="SHOP-2", title="B", labels=["zzz-unknown"])

    def test_every_role_downloads_the_names_of_its_page(self) -> None:
        url = reverse("backlog:labels")
        for user in (self.cast.hana_user, self.cast.vera_user):
            self.client.force_login(user)
            page = self.client.get(url)
            shown = [entry["row"].shown for entry in page.context["rows"]]
            self.assertEqual(self.first_column(url), shown)
            unmapped = [
                e["row"].shown for e in self.client.get(url + "?show=unmapped").context["rows"]
            ]
            self.assertEqual(self.first_column(url + "?show=unmapped"), unmapped)
            self.assertIn("zzz-unknown", unmapped)


class TrackerImportDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from productops.backlog.models import TrackerImport

        cls.cast = build_cast()
        TrackerImport.objects.create(format="jira-json", files=["a.json"], items_created=7)

    def test_admins_download_the_runs_and_members_get_nothing(self) -> None:
        url = reverse("backlog:import")
        self.client.force_login(self.cast.hana_user)
        shown = [run.format for run in self.client.get(url).context["page"].object_list]
        text, book = self.both(url)
        self.assertEqual([row[1] for row in text[1:]], shown)
        self.assertEqual(number(book[1][3]), 7.0)
        for user in (self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            self.refused(url)


class MyRequestDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_cycle_cast()
        cls.cast = cls.story.cast

    def test_each_rater_downloads_their_own_requests(self) -> None:
        url = reverse("competencies:my_requests")
        for user in (self.cast.marco_user, self.cast.priya_user):
            self.client.force_login(user)
            owed = self.client.get(url).context["owed"]
            self.assertTrue(owed)
            text, _ = self.both(url + "?table=owed")
            self.assertEqual(
                [(row[0], row[1]) for row in text[1:]],
                [("Yourself" if r.kind == "self" else r.subject.name, r.get_kind_display())
                 for r in owed],
            )  # fmt: skip
            text, _ = self.both(url + "?table=submitted")
            done = self.client.get(url).context["done"]
            self.assertEqual(len(text) - 1, len(done))
        self.client.force_login(self.cast.vera_user)
        self.refused(url)


class LadderDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from tests.competencies.factories import make_ladder, make_model_version

        cls.cast = build_cast()
        version = make_model_version()
        cls.ladder = make_ladder(
            version, {"PM": {"discovery": 3, "delivery": 3}, "Senior PM": {"discovery": 4}}
        )

    def test_the_expected_steps_as_the_page_shows_them(self) -> None:
        url = reverse("competencies:ladder_detail", args=[self.ladder.pk])
        for user in (self.cast.hana_user, self.cast.priya_user):
            self.client.force_login(user)
            rows = self.client.get(url).context["rows"]
            text, book = self.both(url)
            self.assertEqual(text[0][2:], ["PM", "Senior PM"])
            self.assertEqual([row[1] for row in text[1:]], [r["competency"].name for r in rows])
            for row, cells in zip(rows, text[1:], strict=True):
                self.assertEqual(cells[2:], [str(c["step"] or "") for c in row["cells"]])
            discovery = next(row for row in book if row[1] == rows[0]["competency"].name)
            self.assertEqual(number(discovery[2]), float(rows[0]["cells"][0]["step"]))
