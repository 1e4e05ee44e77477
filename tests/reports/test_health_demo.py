"""The demo keeps a health report from a month ago, with month-old numbers, and today's
report, so the trend shows real changes."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.demo.reports import build_reports_demo
from productops.discovery.models import Touchpoint, TouchpointKind
from productops.reports.models import ReportSnapshot
from tests.cast import build_cast


def _headline(snapshot, section, name):
    found = next(s for s in snapshot.report["sections"] if s["key"] == section)
    return next(h for h in found["headlines"] if h["name"] == name)


class ReportsDemoTest(TestCase):
    def test_the_month_old_report_has_month_old_numbers_and_today_shows_the_change(self):
        cast = build_cast()
        do_create_login("admin", "demo-password-1", Role.ADMIN, person=cast.hana)
        today = timezone.localdate()
        for days_ago in (45, 10, 3):  # one before the old report's end, two after
            made = Touchpoint.objects.create(
                team=cast.search,
                date=today - timedelta(days=days_ago),
                kind=TouchpointKind.INTERVIEW,
            )
            made.participants.add(cast.paul)
        stories = build_reports_demo()
        assert len(stories) == 1 and "Touchpoints +2" in stories[0]
        assert build_reports_demo() == []  # once only
        old, now = ReportSnapshot.objects.order_by("generated_at")
        age = timezone.now() - old.generated_at
        assert timedelta(days=29) < age < timedelta(days=31)
        assert old.period_end == today - timedelta(days=30)
        assert _headline(old, "discovery", "Touchpoints")["value"] == 1
        current = _headline(now, "discovery", "Touchpoints")
        assert current["value"] == 3 and current["change"] == 2
        assert now.report["compared_with"]["id"] == old.pk
        assert now.generated_by == "admin"

    def test_without_the_admin_login_nothing_is_made(self):
        build_cast()
        assert build_reports_demo() == []
        assert not ReportSnapshot.objects.exists()
