"""A coach diagnoses Northwind in one command, from the recorded files, on a fresh data dir.

The people file has two over-extended managers (Freya Costa, 17 direct reports; Ed Brandt,
18), a PM managed from sales (Wes Okafor, under the sales director Rita Hale) and a team
with no designer (Enterprise Deals); the Jira export has a sales-led product area
(Enterprise Deals). The test database is migrated already: the command's migrate step
finds nothing to do there, as on a data dir diagnosed before.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import shutil
import tempfile
from pathlib import Path

import pypdf
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from productops.accounts.models import Role
from productops.accounts.roles import role_of
from productops.backlog.items import projects
from productops.backlog.models import Item
from productops.backlog.report import build_report
from productops.competencies.models import Rating
from productops.org import visibility as org_visibility
from productops.org.audit import run_org_audit
from productops.org.models import Person
from productops.reports.diagnose import READER_LOGIN, pending_migrations
from productops.reports.health import area_findings
from productops.reports.models import ReportSnapshot
from tests.backlog.report_story import build_backlog
from tests.cast import Cast, build_cast
from tests.imports.test_tables import read_xlsx, read_xlsx_sheets, sheet_rows

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "diagnose"
PEOPLE = str(FIXTURES / "people.csv")
JIRA = str(FIXTURES / "jira")
RATINGS = str(FIXTURES / "ratings.csv")

FREYA = "Freya Costa: Manages 17 people directly"
ED = "Ed Brandt: Manages 18 people directly"
WES = "Wes Okafor: Product manager reporting to Rita Hale (Sales Director, from sales)"
NO_DESIGNER = "Enterprise Deals: The trio is incomplete: no design lead and no one from design"


def diagnose(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("diagnose", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def enterprise_deals_sales_share() -> int:
    """The share the backlog page shows for the project's open backlog from sales."""
    report = build_report(project="Enterprise Deals")
    total = sum(row.count for row in report.origin_mix_open)
    sales = sum(row.count for row in report.origin_mix_open if row.value == "sales")
    return round(100 * sales / total)


class TmpDir(TestCase):
    tmp: Path

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = Path(tempfile.mkdtemp(prefix="diagnose-test-"))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.tmp, ignore_errors=True)


class NorthwindDiagnosis(TmpDir):
    printed: str
    out: Path

    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = cls.tmp / "report"
        cls.printed, _ = diagnose(
            "--people", PEOPLE, "--tracker", JIRA, "--format", "jira-json",
            "--ratings", RATINGS, "--model", "pm-wheel",
            "--out", str(cls.out), "--org", "Northwind", "--verbosity", "0",
        )  # fmt: skip

    def test_the_migrate_step_finds_nothing_to_do_on_a_migrated_database(self) -> None:
        self.assertEqual(pending_migrations(), 0)

    def test_the_summary_names_the_over_extended_managers(self) -> None:
        summary = self.printed.split("Executive summary", 1)[1].split("Product areas", 1)[0]
        self.assertIn(FREYA, summary)
        self.assertIn(ED, summary)
        self.assertIn(NO_DESIGNER, summary)

    def test_the_summary_names_the_pm_managed_from_sales_and_the_sales_led_area(self) -> None:
        summary = self.printed.split("Executive summary", 1)[1].split("Also found", 1)[0]
        self.assertIn(WES, summary)
        self.assertIn(
            f"Enterprise Deals is sales-led: {enterprise_deals_sales_share()}% of its open "
            "backlog comes from sales",
            summary,
        )
        snapshot = ReportSnapshot.objects.get()
        self.assertTrue(any(f["sentence"].startswith(WES) for f in snapshot.summary))

    def test_the_printout_names_the_pm_managed_from_sales_and_the_sales_led_area(self) -> None:
        self.assertIn(WES, self.printed)
        share = enterprise_deals_sales_share()
        self.assertGreater(share, 50)
        self.assertIn(
            f"Enterprise Deals is sales-led: {share}% of its open backlog comes from sales",
            self.printed,
        )
        self.assertNotIn("Search is sales-led", self.printed)

    def test_it_says_what_each_missing_input_would_add_and_only_those(self) -> None:
        self.assertIn("No touchpoints (--touchpoints): no discovery cadence", self.printed)
        self.assertNotIn("No ratings", self.printed)  # ratings were given
        self.assertNotIn("has no changelog", self.printed)  # the export carries one

    def test_everything_it_was_given_was_imported(self) -> None:
        self.assertEqual(Person.objects.count(), 50)
        self.assertEqual(Item.objects.count(), 300)
        self.assertEqual(Rating.objects.count(), 32)

    def test_the_reader_is_a_local_admin_with_no_usable_password(self) -> None:
        reader = get_user_model().objects.get(username=READER_LOGIN)
        self.assertIs(role_of(reader), Role.ADMIN)
        self.assertFalse(reader.has_usable_password())
        snapshot = ReportSnapshot.objects.get()
        self.assertEqual(snapshot.generated_by, READER_LOGIN)
        self.assertEqual(snapshot.reader_role, "admin")

    def test_the_html_report_holds_the_findings(self) -> None:
        text = html.unescape((self.out / "report.html").read_text(encoding="utf-8"))
        for sentence in (FREYA, ED, WES, NO_DESIGNER):
            self.assertIn(sentence, text)
        self.assertIn(f"{enterprise_deals_sales_share()}% of its open backlog", text)
        self.assertIn("Northwind", text)

    def test_the_pdf_opens_on_the_summary(self) -> None:
        pdf = pypdf.PdfReader(self.out / "report.pdf")
        text = " ".join(page.extract_text() for page in pdf.pages)
        self.assertIn("Executive summary", text)
        self.assertIn("Freya Costa", " ".join(text.split()))
        self.assertGreater(len(pdf.pages), 3)

    def test_the_workbook_has_a_sheet_per_table_with_the_database_rows(self) -> None:
        sheets = read_xlsx_sheets((self.out / "tables.xlsx").read_bytes())
        self.assertEqual(
            list(sheets),
            ["People", "Org audit findings", "Spans", "Backlog items", "Origin mix",
             "Discovery cadence", "Gaps"],
        )  # fmt: skip
        reader = get_user_model().objects.get(username=READER_LOGIN)
        audit = org_visibility.visible_audit(reader, run_org_audit())

        def data_rows(name: str) -> int:
            return len(sheet_rows(sheets[name])) - 1

        self.assertEqual(data_rows("People"), Person.objects.filter(active=True).count())
        self.assertEqual(data_rows("Backlog items"), Item.objects.count())
        self.assertEqual(data_rows("Org audit findings"), len(audit["findings"]))
        self.assertEqual(data_rows("Spans"), len(audit["spans"]))
        rated = Rating.objects.values("request__subject", "competency_key").distinct().count()
        self.assertEqual(data_rows("Gaps"), rated)

    def test_each_sheet_equals_its_page_download(self) -> None:
        sheets = read_xlsx_sheets((self.out / "tables.xlsx").read_bytes())
        self.client.force_login(get_user_model().objects.get(username=READER_LOGIN))
        pages = {
            "People": reverse("org:people"),
            "Org audit findings": reverse("org:audit"),
            "Spans": reverse("org:audit") + "?table=spans&",
            "Backlog items": reverse("backlog:items"),
            "Discovery cadence": reverse("discovery:cadence"),
        }
        for name, url in pages.items():
            with self.subTest(sheet=name):
                joiner = "" if url.endswith("&") else "?"
                response = self.client.get(f"{url}{joiner}format=xlsx")
                self.assertEqual(response.status_code, 200)
                data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
                self.assertEqual(sheet_rows(sheets[name]), sheet_rows(read_xlsx(data)))

    def test_the_gaps_sheet_holds_each_assessed_persons_page_download(self) -> None:
        gaps = sheet_rows(read_xlsx_sheets((self.out / "tables.xlsx").read_bytes())["Gaps"])
        self.assertEqual(gaps[0][0], "Person")
        self.client.force_login(get_user_model().objects.get(username=READER_LOGIN))
        for email in ("wes.okafor.1000@example.com", "lou.costa.1010@example.com"):
            person = Person.objects.get(email=email)
            with self.subTest(person=person.name):
                url = reverse("competencies:person_gaps", args=[person.pk])
                response = self.client.get(f"{url}?format=xlsx")
                page = sheet_rows(read_xlsx(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
                mine = [row[1:] for row in gaps[1:] if row[0] == person.name]
                self.assertEqual(len(mine), 8)  # the pm-wheel's eight activities
                self.assertEqual([gaps[0][1:], *mine], page)

    def test_a_second_diagnosis_on_this_data_dir_is_refused(self) -> None:
        again = self.tmp / "again"
        with self.assertRaisesRegex(CommandError, "PRODUCTOPS_DATA_DIR") as raised:
            diagnose("--people", PEOPLE, "--tracker", JIRA, "--out", str(again), "-v", "0")
        self.assertIn("already holds people and tracker items", str(raised.exception))
        self.assertFalse(again.exists())
        self.assertEqual(Person.objects.count(), 50)  # what was there stays


class RefusedInputs(TmpDir):
    """On an empty database: bad input stops the diagnosis before anything is kept."""

    def assert_nothing_kept(self, out: Path) -> None:
        self.assertFalse(out.exists())
        self.assertEqual(Person.objects.count(), 0)
        self.assertEqual(Item.objects.count(), 0)
        self.assertEqual(ReportSnapshot.objects.count(), 0)
        self.assertFalse(get_user_model().objects.filter(username=READER_LOGIN).exists())

    def test_a_bad_people_row_gives_its_row_number_and_writes_no_report(self) -> None:
        bad = self.tmp / "people-bad.csv"
        lines = Path(PEOPLE).read_text(encoding="utf-8").splitlines()
        lines[4] = lines[4].replace("wes.okafor.1000@example.com", "wes-at-example")
        bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = self.tmp / "bad-people"
        with self.assertRaises(CommandError) as raised:
            diagnose("--people", str(bad), "--tracker", JIRA, "--out", str(out), "-v", "0")
        message = str(raised.exception)
        self.assertIn("row 5, column email", message)
        self.assertIn("wes-at-example", message)
        self.assertIn("--skip-invalid", message)
        self.assert_nothing_kept(out)

    def test_skip_invalid_passes_through_to_the_importer(self) -> None:
        bad = self.tmp / "people-skip.csv"
        lines = Path(PEOPLE).read_text(encoding="utf-8").splitlines()
        lines[-1] = lines[-1].replace("@", "-at-", 1)
        bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out = self.tmp / "skipped"
        printed, _ = diagnose(
            "--people", str(bad), "--tracker", JIRA, "--out", str(out), "--skip-invalid",
            "-v", "0",
        )  # fmt: skip
        self.assertEqual(Person.objects.count(), 49)
        self.assertIn("No ratings", printed)
        self.assertTrue((out / "tables.xlsx").exists())

    def test_a_tracker_refused_after_the_people_undoes_the_people_too(self) -> None:
        out = self.tmp / "wrong-format"
        with self.assertRaisesRegex(CommandError, "no tracker items were found as --format"):
            diagnose(
                "--people", PEOPLE, "--tracker", JIRA, "--format", "linear-csv",
                "--out", str(out), "-v", "0",
            )  # fmt: skip
        self.assert_nothing_kept(out)

    def test_a_missing_file_and_an_unknown_format_are_errors_that_say_what_to_do(self) -> None:
        out = self.tmp / "missing"
        with self.assertRaisesRegex(CommandError, "no such file or folder"):
            diagnose("--people", "nowhere.csv", "--tracker", JIRA, "--out", str(out))
        with self.assertRaisesRegex(CommandError, "invalid choice"):
            diagnose("--people", PEOPLE, "--tracker", JIRA, "--format", "ods", "--out", str(out))
        with self.assertRaisesRegex(CommandError, "--ratings needs --model"):
            diagnose("--people", PEOPLE, "--tracker", JIRA, "--ratings", RATINGS, "--out", str(out))
        self.assert_nothing_kept(out)

    def test_an_existing_login_named_like_the_reader_is_never_taken_over(self) -> None:
        get_user_model().objects.create_user(READER_LOGIN, password="someone-else-1234")
        out = self.tmp / "taken"
        with self.assertRaisesRegex(CommandError, "already has a login named 'diagnose'"):
            diagnose("--people", PEOPLE, "--tracker", JIRA, "--out", str(out))
        user = get_user_model().objects.get(username=READER_LOGIN)
        self.assertTrue(user.check_password("someone-else-1234"))
        self.assertFalse(user.is_superuser)
        self.assertFalse(out.exists())

    def test_a_non_empty_out_folder_is_refused_unless_forced(self) -> None:
        out = self.tmp / "busy"
        out.mkdir()
        (out / "notes.txt").write_text("the coach's own notes", encoding="utf-8")
        with self.assertRaisesRegex(CommandError, "is not empty"):
            diagnose("--people", PEOPLE, "--tracker", JIRA, "--out", str(out))
        self.assertEqual(Person.objects.count(), 0)
        diagnose("--people", PEOPLE, "--tracker", JIRA, "--out", str(out), "--force", "-v", "0")
        self.assertEqual(
            sorted(p.name for p in out.iterdir()),
            ["notes.txt", "report.html", "report.pdf", "tables.xlsx"],
        )


class ProductAreas(TestCase):
    """An area is called sales-led only on enough open items, and touches its team."""

    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_backlog()  # Checkout: 4 open items, 2 from sales; Search: 1 open item

    def add_open_items(self, project: str, origins: list[str]) -> None:
        created = timezone.now() - dt.timedelta(days=10)
        Item.objects.bulk_create(
            Item(
                source="jira", key=f"{project[:3].upper()}-{100 + n}", title=f"Ask {n}",
                project=project, status_category="todo", origin=origin, kind="new_value",
                framing="solution", created=created,
            )
            for n, origin in enumerate(origins)
        )  # fmt: skip

    def test_a_few_open_items_from_sales_make_no_finding(self) -> None:
        self.assertEqual(area_findings(projects()), [])

    def test_enough_open_items_mostly_from_sales_make_a_critical_finding(self) -> None:
        self.add_open_items("Checkout", ["sales"] * 7 + ["customer"])  # 12 open, 9 from sales
        self.add_open_items("Search", ["sales"] * 5 + ["customer"] * 5)  # 11 open, 5 from sales
        found = area_findings(projects())
        self.assertEqual([f.sentence.split(" is ")[0] for f in found], ["Checkout"])
        self.assertEqual(found[0].severity, "critical")
        self.assertEqual(found[0].people, 3)  # Priya, Dana and Tariq
        self.assertIn("75% of its open backlog comes from sales (12 open items)", found[0].sentence)
