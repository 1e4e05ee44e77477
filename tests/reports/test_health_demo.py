"""The demo keeps one health report from a month ago, so the trend has a past to show."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.demo.reports import build_reports_demo
from productops.reports.actions import do_generate_health_report
from productops.reports.models import ReportSnapshot
from tests.cast import PASSWORD, build_cast


class ReportsDemoTest(TestCase):
    def test_a_month_old_snapshot_is_kept_once_and_the_next_report_compares_with_it(self):
        cast = build_cast()
        admin = do_create_login("admin", PASSWORD, Role.ADMIN, person=cast.hana)
        stories = build_reports_demo()
        assert len(stories) == 1
        assert build_reports_demo() == []  # once only
        old = ReportSnapshot.objects.get()
        age = timezone.now() - old.generated_at
        assert timedelta(days=29) < age < timedelta(days=31)
        now = do_generate_health_report(admin)
        assert now.report["compared_with"]["id"] == old.pk

    def test_without_the_admin_login_nothing_is_made(self):
        build_cast()
        assert build_reports_demo() == []
        assert not ReportSnapshot.objects.exists()
