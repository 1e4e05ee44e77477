"""The head of product generates the org health report, reads its summary, downloads the PDF."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.demo.org import build_demo_org
from productops.reports.models import ReportSnapshot

PASSWORD = "report-password-1"


@pytest.mark.django_db(transaction=True)
def test_head_of_product_generates_the_report_and_downloads_its_pdf(live_server, page):
    demo = build_demo_org()
    do_create_login("hana", PASSWORD, Role.ADMIN)

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "hana")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()

    page.goto(f"{live_server.url}/reports/health/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("health")
    assert ReportSnapshot.objects.count() == 0  # opening the page generates nothing
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Generate")).click()
    # The report is made as a job (at once in tests); its page leads to the kept report.
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    page.get_by_role("link", name="See the result").click()
    expect(page).to_have_url(re.compile(r"/reports/health/\d+/$"))
    assert ReportSnapshot.objects.filter(generated_by="hana").count() == 1

    summary = page.locator("#summary")
    expect(summary).to_be_visible()
    # The demo's over-extended support head leads the summary with the size of their team.
    expect(summary).to_contain_text(demo.support_head_name)
    expect(summary).to_contain_text(str(demo.support_head_reports))

    with page.expect_download() as caught:
        page.get_by_role("link", name=re.compile("PDF")).click()
    download = caught.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Executive summary" in text
    assert demo.support_head_name in text
    assert re.search(r"Page 1 of \d+", text)
