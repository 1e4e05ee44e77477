"""The PDF of a long table: numbered pages, and the table's header on every page."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, TestCase
from pypdf import PdfReader

from productops.reports.pdf import html_to_pdf
from tests.cast import build_cast

ROWS = 200

LONG_TABLE = (
    "<html><head><style>"
    '@page { size: A4; margin: 2cm; @bottom-right { content: "Page " counter(page)'
    ' " of " counter(pages) } }'
    "thead { display: table-header-group } tr { break-inside: avoid }"
    "</style></head><body><h1>Backlog by team</h1><table>"
    "<thead><tr><th>Team name</th><th>Open items</th></tr></thead><tbody>"
    + "".join(f"<tr><td>Team {n:03d}</td><td>{n * 7}</td></tr>" for n in range(1, ROWS + 1))
    + "</tbody></table></body></html>"
)


class LongTablePdf(SimpleTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.pdf = html_to_pdf(LONG_TABLE)
        cls.pages = [page.extract_text() for page in PdfReader(io.BytesIO(cls.pdf)).pages]

    def test_it_is_a_pdf_of_several_pages(self) -> None:
        self.assertTrue(self.pdf.startswith(b"%PDF-"))
        self.assertGreaterEqual(len(self.pages), 3)

    def test_every_page_is_numbered_out_of_the_total(self) -> None:
        total = len(self.pages)
        for number, text in enumerate(self.pages, start=1):
            self.assertIn(f"Page {number} of {total}", text)

    def test_the_header_row_repeats_on_page_two(self) -> None:
        self.assertIn("Team name", self.pages[1])
        self.assertIn("Open items", self.pages[1])
        self.assertNotIn("Backlog by team", self.pages[1])  # the title stays on page one

    def test_every_row_is_printed_once(self) -> None:
        text = "\n".join(self.pages)
        for n in (1, 100, ROWS):
            self.assertEqual(text.count(f"Team {n:03d}"), 1)
        self.assertIn(str(ROWS * 7), text)

    def test_relative_links_resolve_against_base_url(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, "print.css").write_text("h1 { display: none }")
            html = '<link rel="stylesheet" href="print.css"><h1>Hidden title</h1><p>Shown</p>'
            with_css = html_to_pdf(html, base_url=folder + "/")
        text = PdfReader(io.BytesIO(with_css)).pages[0].extract_text()
        self.assertIn("Shown", text)
        self.assertNotIn("Hidden title", text)


STYLESHEET = Path(__file__).resolve().parents[2] / "productops/static/productops/productops.css"


class PrintedPage(TestCase):
    """A page of the app printed with its own stylesheet: the print rules apply."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def printed(self, url: str) -> str:
        self.client.force_login(self.cast.hana_user)
        html = self.client.get(url).content.decode()
        link = re.search(r'<link rel="stylesheet" href="[^"]*productops\.css">', html)
        assert link is not None, "the base layout links the stylesheet"
        html = html.replace(link.group(0), f"<style>{STYLESHEET.read_text()}</style>")
        pdf = html_to_pdf(html)
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        return " ".join(text.split()).casefold()  # cells wrap; headers print in capitals

    def test_menus_forms_buttons_and_downloads_do_not_print(self) -> None:
        text = self.printed("/org/people/")
        self.assertIn("priya pm", text)
        self.assertIn("marco manager group pm", text)
        for screen_only in ("log out", "download as csv", "xlsx", "competencies", "status"):
            self.assertNotIn(screen_only, text)

    def test_a_table_keeps_its_rows_and_header(self) -> None:
        text = self.printed("/org/audit/?span_warn=1&span_critical=9")
        self.assertIn("span of control manager direct reports total reports", text)
        self.assertIn("hana head 3 5 warning", text)
        self.assertNotIn("re-run", text)  # the thresholds form is for the screen
        self.assertNotIn("download", text)


class ReportChartsInPdf(TestCase):
    """The health report's SVG charts survive WeasyPrint: their titles and labels read back."""

    def test_a_chart_title_and_its_labels_are_in_the_pdf(self) -> None:
        from productops.reports.actions import do_generate_health_report
        from productops.reports.render import render_document

        cast = build_cast()
        report = do_generate_health_report(cast.hana_user).report
        html = render_document(report, "Acme")
        self.assertIn("<svg", html)
        pdf = html_to_pdf(html)
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
        text = " ".join(" ".join(pages).split())
        self.assertIn("Org audit findings per rule", text)  # the figure's title
        self.assertIn("Incomplete trio", text)  # a bar's label, drawn inside the SVG
        self.assertIn("Weekly 1:1 hours per manager", text)
        self.assertIn(f"Page 2 of {len(pages)}", text)


class WrappedChartLabelsPdf(SimpleTestCase):
    """A report's chart labels are written whole in the PDF: wrapped, never cut."""

    def test_a_long_bar_label_is_read_back_whole(self) -> None:
        from productops.reports.health import bars_chart
        from productops.reports.render import render_document

        label = "Enterprise Deals and Partner Integrations Platform"
        chart = bars_chart("Findings per team", [(label, 3, "3 finding(s)")])
        section = {
            "key": "organization", "title": "Organization", "headlines": [], "findings": [],
            "missing": "", "notes": [], "charts": [chart], "tables": [],
        }  # fmt: skip
        report = {
            "reader": "hana", "role": "admin", "scope": "org", "period": {},
            "summary": [], "sections": [section], "caveats": [], "inputs": [],
        }  # fmt: skip
        html = render_document(report, "Acme")
        self.assertNotIn("…</text>", html)
        pages = PdfReader(io.BytesIO(html_to_pdf(html))).pages
        text = " ".join(" ".join(page.extract_text() for page in pages).split())
        self.assertIn("Findings per team", text)
        for word in ("Enterprise", "Partner", "Integrations", "Platform"):
            self.assertIn(word, text)
