"""Snapshots: the trend since the previous report, reopening a past one, who sees which."""

from datetime import UTC, datetime

from django.test import TestCase

from productops.org.models import Person
from productops.reports.actions import do_generate_health_report
from productops.reports.models import ReportSnapshot
from tests.cast import PASSWORD, build_cast


def _people(report):
    org = next(s for s in report["sections"] if s["key"] == "organization")
    return next(h for h in org["headlines"] if h["name"] == "People")


class SnapshotTest(TestCase):
    def setUp(self):
        self.cast = build_cast()

    def test_each_generation_is_recorded_with_who_and_role(self):
        do_generate_health_report(self.cast.hana_user)
        do_generate_health_report(self.cast.vera_user)
        rows = list(
            ReportSnapshot.objects.order_by("pk").values_list("generated_by", "reader_role")
        )
        assert rows == [
            (self.cast.hana_user.username, "admin"),
            (self.cast.vera_user.username, "viewer"),
        ]

    def test_headlines_show_the_change_since_the_previous_snapshot(self):
        first = do_generate_health_report(
            self.cast.hana_user, now=datetime(2026, 11, 1, tzinfo=UTC)
        )
        assert _people(first.report)["change"] is None
        Person.objects.create(name="New Hire", email="new@example.com", manager=self.cast.hana)
        second = do_generate_health_report(self.cast.hana_user)
        assert _people(second.report)["value"] == 8
        assert _people(second.report)["change"] == 1
        assert second.report["compared_with"]["id"] == first.pk

    def test_a_past_report_reopens_exactly_as_it_was(self):
        first = do_generate_health_report(self.cast.hana_user)
        Person.objects.create(name="New Hire", email="new@example.com", manager=self.cast.hana)
        self.client.login(username=self.cast.hana_user.username, password=PASSWORD)
        html = self.client.get(f"/reports/health/{first.pk}/").content.decode()
        assert "7 people" in html
        assert "first report" in html

    def test_a_viewer_cannot_reopen_an_admins_snapshot(self):
        first = do_generate_health_report(self.cast.hana_user)
        self.client.login(username=self.cast.vera_user.username, password=PASSWORD)
        assert self.client.get(f"/reports/health/{first.pk}/").status_code == 404
