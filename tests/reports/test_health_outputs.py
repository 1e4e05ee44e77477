"""The health report's page, file (HTML and PDF via the command) and API route."""

import io
import tempfile
from pathlib import Path

import pypdf
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from tests.api import ApiClient
from tests.cast import PASSWORD, build_cast


class HealthOutputsTest(TestCase):
    def setUp(self):
        self.cast = build_cast()

    def test_page_renders_in_the_site_layout_with_every_section(self):
        self.client.login(username=self.cast.hana_user.username, password=PASSWORD)
        response = self.client.get("/reports/health/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "Executive summary" in html
        assert "Backlog and roadmap" in html
        assert 'href="/reports/health/"' in html  # the menu link in base.html

    def test_page_needs_a_login(self):
        assert self.client.get("/reports/health/").status_code == 302

    def test_command_writes_html_and_a_pdf_with_page_numbers(self):
        with tempfile.TemporaryDirectory() as tmp:
            out, pdf = Path(tmp, "acme.html"), Path(tmp, "acme.pdf")
            call_command(
                "report",
                out=str(out),
                pdf=str(pdf),
                login=self.cast.hana_user.username,
                org="Acme",
                stdout=io.StringIO(),
            )
            html = out.read_text()
            assert "<!doctype html>" in html and "Acme" in html
            text = "\n".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
        assert "Executive summary" in text
        assert "Page 2 of" in text

    def test_command_with_an_unknown_login_says_what_to_do(self):
        with self.assertRaisesMessage(CommandError, "No login named"):
            call_command("report", out="/tmp/x.html", login="nobody", stdout=io.StringIO())

    def test_api_route_follows_the_callers_visibility(self):
        api = ApiClient()
        admin = api.get(self.cast.hana_user, "/reports/health")
        viewer = api.get(self.cast.vera_user, "/reports/health")
        assert admin.status_code == 200 and viewer.status_code == 200
        assert admin.json()["role"] == "admin"
        assert "Hana Head" not in viewer.content.decode()
        assert [s["key"] for s in viewer.json()["sections"]][0] == "organization"
