"""The health report against the org audit, per role, on a real database."""

import json

from django.test import TestCase

from productops.org import visibility as org_visibility
from productops.org.audit import run_org_audit
from productops.reports.health import SECTIONS, build_health_report
from tests.cast import build_cast

NAMES = ("Hana Head", "Marco Manager", "Priya PM", "Paul PM", "Dana Designer", "Tariq Tech")


def _section(report, key):
    return next(s for s in report["sections"] if s["key"] == key)


def _all_text(report) -> str:
    return json.dumps(report)


class HealthReportTest(TestCase):
    def setUp(self):
        self.cast = build_cast()

    def test_every_section_is_present_in_order_and_missing_inputs_say_so(self):
        report = build_health_report(self.cast.hana_user.username)
        assert [s["key"] for s in report["sections"]] == [key for key, _ in SECTIONS]
        backlog = _section(report, "backlog")
        assert backlog["headlines"] == []
        assert "tracker" in backlog["missing"]
        assert any("tracker" in c for c in report["caveats"])

    def test_admin_organization_matches_the_audit_page(self):
        report = build_health_report(self.cast.hana_user.username)
        seen = org_visibility.visible_audit(self.cast.hana_user, run_org_audit())
        org = _section(report, "organization")
        messages = [f["sentence"] for f in org["findings"]]
        assert messages == [f"{f.subject_name}: {f.message}" for f in seen["findings"]]
        people = next(h for h in org["headlines"] if h["name"] == "People")
        assert people["value"] == 7
        assert len(report["summary"]) <= 7

    def test_viewer_report_names_nobody(self):
        admin = build_health_report(self.cast.hana_user.username)
        viewer = build_health_report(self.cast.vera_user.username)
        assert viewer["role"] == "viewer"
        text = _all_text(viewer)
        for name in NAMES:
            assert name not in text
        # Same counts as the admin's, aggregated.
        admin_org = _section(admin, "organization")["headlines"]
        viewer_org = _section(viewer, "organization")["headlines"]
        assert admin_org == viewer_org

    def test_admin_report_names_people_the_viewer_does_not_see(self):
        admin = build_health_report(self.cast.hana_user.username)
        text = _all_text(admin)
        assert any(name in text for name in NAMES), admin["summary"]
