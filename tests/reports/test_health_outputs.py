"""The health report's page, file (HTML and PDF via the command) and API routes."""

import io
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from productops.ops.models import Job, JobStatus
from productops.reports.actions import do_generate_health_report
from productops.reports.models import ReportSnapshot
from tests.api import ApiClient
from tests.cast import PASSWORD, build_cast

HTMX = {"HX-Request": "true"}


# Jobs run where they start (the conftest sets it; set here too so a task backend resolved
# at start-up is replaced for these tests).
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE)
class HealthPageTest(TestCase):
    def setUp(self):
        self.cast = build_cast()
        self.client.login(username=self.cast.hana_user.username, password=PASSWORD)

    def test_the_page_shows_the_form_and_writes_nothing(self):
        response = self.client.get("/reports/health/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'href="/reports/health/"' in html  # the menu link in base.html
        assert "Generate report" in html and 'type="date"' in html
        assert "csrfmiddlewaretoken" in html
        assert "No report yet: generate the first one" in html
        assert not ReportSnapshot.objects.exists()

    def test_the_page_needs_a_login(self):
        self.client.logout()
        assert self.client.get("/reports/health/").status_code == 302

    def test_posting_generates_and_opens_the_report_with_its_downloads(self):
        response = self.client.post(
            "/reports/health/", {"scope": "", "start": "2026-09-01", "end": "2026-11-30"}
        )
        snapshot = ReportSnapshot.objects.get()
        assert response.status_code == 302
        # the form starts a job (run at once in tests); its result is the snapshot's page
        job = Job.objects.get()
        assert response["Location"] == f"/jobs/{job.pk}/"
        assert job.status == JobStatus.DONE and job.result["snapshot_id"] == snapshot.pk
        assert job.result_url == f"/reports/health/{snapshot.pk}/"
        assert snapshot.period_start == date(2026, 9, 1)
        assert snapshot.period_end == date(2026, 11, 30)
        html = self.client.get(job.result_url).content.decode()
        assert "Executive summary" in html and "Backlog and roadmap" in html
        assert "2026-09-01 to 2026-11-30" in html
        assert "?download=html" in html and "?download=pdf" in html
        pdf = self.client.get(job.result_url, {"download": "pdf"})
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
        listing = self.client.get("/reports/health/").content.decode()
        assert f"Open report {snapshot.pk}" in listing
        assert "No report yet" not in listing

    def test_a_bad_date_is_a_form_error_not_a_report(self):
        response = self.client.post("/reports/health/", {"start": "2026-13-45"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "is not a date: write it as YYYY-MM-DD" in html
        assert 'value="2026-13-45"' in html
        backwards = self.client.post(
            "/reports/health/", {"start": "2026-11-01", "end": "2026-10-01"}
        )
        assert "swap the dates" in backwards.content.decode()
        assert "not a date" in self.client.get("/reports/health/?end=soon").content.decode()
        assert not ReportSnapshot.objects.exists()

    def test_with_htmx_the_button_says_generating_then_the_browser_is_sent_on(self):
        first = self.client.post(
            "/reports/health/", {"step": "start", "end": "2026-11-30"}, headers=HTMX
        )
        html = first.content.decode()
        assert "Generating…" in html and "disabled" in html
        assert 'hx-trigger="load"' in html and 'value="2026-11-30"' in html
        assert not ReportSnapshot.objects.exists()
        second = self.client.post(
            "/reports/health/", {"step": "run", "end": "2026-11-30"}, headers=HTMX
        )
        snapshot = ReportSnapshot.objects.get()
        assert second.status_code == 204
        job = Job.objects.get()
        assert second["HX-Redirect"] == f"/jobs/{job.pk}/"
        assert job.result_url == f"/reports/health/{snapshot.pk}/"
        wrong = self.client.post("/reports/health/", {"step": "start", "end": "x"}, headers=HTMX)
        assert (
            "not a date" in wrong.content.decode() and "Generate report" in wrong.content.decode()
        )

    def test_past_reports_are_listed_newest_first_twenty_a_page_as_the_reader_may_see(self):
        start = datetime(2026, 1, 1, tzinfo=UTC)
        for day in range(25):
            do_generate_health_report(self.cast.hana_user, now=start + timedelta(days=day))
        do_generate_health_report(self.cast.vera_user)
        first = self.client.get("/reports/health/").content.decode()
        assert first.count("Open report ") == 20
        assert first.index("2026-01-25") < first.index("2026-01-24")  # newest first
        assert "2026-01-06" not in first  # 26 reports for an admin: that one is on page 2
        assert "Page 1 of 2" in first
        second = self.client.get("/reports/health/?page=2").content.decode()
        assert second.count("Open report ") == 6
        self.client.login(username=self.cast.vera_user.username, password=PASSWORD)
        viewer = self.client.get("/reports/health/").content.decode()
        assert viewer.count("Open report ") == 1

    def test_a_kept_team_report_is_listed_by_the_team_name(self):
        scope = f"team:{self.cast.checkout.pk}"
        do_generate_health_report(self.cast.hana_user, scope=scope)
        listing = self.client.get("/reports/health/").content.decode()
        assert f"<td>Team: {self.cast.checkout.name}</td>" in listing
        assert f"<td>{scope}</td>" not in listing

    def test_the_list_costs_the_same_queries_for_one_report_or_many(self):
        do_generate_health_report(self.cast.hana_user)
        self.client.get("/reports/health/")  # warm the session and the caches
        with CaptureQueriesContext(connection) as one:
            self.client.get("/reports/health/")
        for _ in range(30):
            do_generate_health_report(self.cast.hana_user)
        with CaptureQueriesContext(connection) as many:
            self.client.get("/reports/health/")
        assert len(many) == len(one)


class HealthCommandTest(TestCase):
    def setUp(self):
        self.cast = build_cast()

    def test_command_writes_html_and_a_pdf_with_page_numbers(self):
        with tempfile.TemporaryDirectory() as tmp:
            out, pdf = Path(tmp, "acme.html"), Path(tmp, "acme.pdf")
            call_command(
                "report",
                out=str(out),
                pdf=str(pdf),
                login=self.cast.hana_user.username,
                org="Acme",
                start="2026-09-01",
                end="2026-11-30",
                stdout=io.StringIO(),
            )
            html = out.read_text()
            assert "<!doctype html>" in html and "Acme" in html
            assert "2026-09-01 to 2026-11-30" in html
            text = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
        assert "Executive summary" in text
        assert "Page 2 of" in text

    def test_command_with_an_unknown_login_says_what_to_do(self):
        with self.assertRaisesMessage(CommandError, "No login named"):
            call_command("report", out="/tmp/x.html", login="nobody", stdout=io.StringIO())

    def test_command_with_a_bad_date_says_how_to_write_it(self):
        with self.assertRaisesMessage(CommandError, "write it as YYYY-MM-DD"):
            call_command(
                "report",
                out="/tmp/x.html",
                login=self.cast.hana_user.username,
                start="1 October",
                stdout=io.StringIO(),
            )
        assert not ReportSnapshot.objects.exists()


class HealthApiTest(TestCase):
    def setUp(self):
        self.cast = build_cast()
        self.api = ApiClient()

    def test_api_route_follows_the_callers_visibility(self):
        admin = self.api.get(self.cast.hana_user, "/reports/health")
        viewer = self.api.get(self.cast.vera_user, "/reports/health")
        assert admin.status_code == 200 and viewer.status_code == 200
        assert admin.json()["role"] == "admin"
        assert "Hana Head" not in viewer.content.decode()
        assert [s["key"] for s in viewer.json()["sections"]][0] == "organization"
        assert {row["source"] for row in admin.json()["inputs"]} >= {"People", "Touchpoints"}

    def test_the_period_and_a_bad_date(self):
        ok = self.api.get(self.cast.hana_user, "/reports/health", query={"end": "2026-11-30"})
        assert ok.status_code == 200 and ok.json()["period"]["end"] == "2026-11-30"
        bad = self.api.get(self.cast.hana_user, "/reports/health", query={"start": "yesterday"})
        assert bad.status_code == 422
        assert "YYYY-MM-DD" in bad.content.decode()

    def test_a_kept_report_reopens_for_who_may_see_it(self):
        kept = do_generate_health_report(self.cast.hana_user)
        again = self.api.get(self.cast.hana_user, f"/reports/health/{kept.pk}")
        assert again.status_code == 200
        assert again.json()["sections"] == kept.report["sections"]
        assert again.json()["snapshot_id"] == kept.pk
        assert self.api.get(self.cast.vera_user, f"/reports/health/{kept.pk}").status_code == 404
        assert self.api.get(self.cast.hana_user, "/reports/health/999999").status_code == 404

    def test_the_list_of_kept_reports(self):
        kept = do_generate_health_report(self.cast.hana_user)
        mine = do_generate_health_report(self.cast.vera_user)
        admin = self.api.get(self.cast.hana_user, "/reports/health/snapshots").json()
        viewer = self.api.get(self.cast.vera_user, "/reports/health/snapshots").json()
        assert [row["id"] for row in admin["items"]] == [mine.pk, kept.pk]
        assert [row["id"] for row in viewer["items"]] == [mine.pk]
        assert viewer["items"][0]["generated_by"] == self.cast.vera_user.username
