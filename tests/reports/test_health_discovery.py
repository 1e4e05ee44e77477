"""The discovery section against `load_cadence`, the function the cadence page calls."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from productops.discovery.cadence import load_cadence
from productops.discovery.models import Touchpoint, TouchpointKind
from productops.reports.health import build_health_report
from tests.cast import build_cast


def _discovery(report):
    return next(s for s in report["sections"] if s["key"] == "discovery")


class DiscoverySectionTest(TestCase):
    def setUp(self):
        self.cast = build_cast()

    def test_without_touchpoints_the_section_says_what_to_import(self):
        section = _discovery(build_health_report(self.cast.hana_user.username))
        assert section["headlines"] == []
        assert "touchpoints CSV" in section["missing"]

    def test_numbers_match_the_cadence_page(self):
        made = Touchpoint.objects.create(
            team=self.cast.search,
            date=timezone.localdate() - timedelta(days=3),
            kind=TouchpointKind.INTERVIEW,
        )
        made.participants.add(self.cast.paul)
        cadences = load_cadence()
        section = _discovery(build_health_report(self.cast.hana_user.username))
        numbers = {h["name"]: h["value"] for h in section["headlines"]}
        assert numbers["Teams"] == len(cadences)
        assert numbers["Touchpoints"] == 1
        assert numbers["Silent teams"] == sum(1 for c in cadences if c.silent)
        assert section["missing"] == ""


class StrategySectionTest(TestCase):
    def test_without_objectives_the_section_says_what_to_add(self):
        cast = build_cast()
        report = build_health_report(cast.hana_user.username)
        section = next(s for s in report["sections"] if s["key"] == "strategy")
        assert section["headlines"] == []
        assert "objectives" in section["missing"]


class StrategyNumbersTest(TestCase):
    def test_numbers_match_the_alignment_page(self):
        from productops.strategy.alignment import compute_alignment
        from tests.strategy.test_strategy_dashboard import add_alignment

        cast = build_cast()
        add_alignment()
        result = compute_alignment()
        report = build_health_report(cast.hana_user.username)
        section = next(s for s in report["sections"] if s["key"] == "strategy")
        numbers = {h["name"]: h["value"] for h in section["headlines"]}
        assert numbers["Objectives"] == 1
        assert numbers["Work in progress aligned"] == round(result.in_progress_share * 100)
        assert result.in_progress_share < 0.5
        sentences = [f["sentence"] for f in section["findings"]]
        assert any("serves an objective" in s for s in sentences)
        assert "Secret work" not in str(report)  # no item titles in the report


class BacklogSectionTest(TestCase):
    def test_numbers_match_build_report(self):
        from productops.backlog.report import build_report
        from tests.backlog.report_story import build_backlog

        cast = build_cast()
        build_backlog()
        page = build_report()
        report = build_health_report(cast.vera_user.username)
        section = next(s for s in report["sections"] if s["key"] == "backlog")
        numbers = {h["name"]: h["value"] for h in section["headlines"]}
        assert page.item_count > 0
        assert numbers["Items"] == page.item_count
        assert numbers["Open"] == page.open_count
        assert numbers["Done in period"] == page.done_count
        assert [f["sentence"] for f in section["findings"]] == page.verdict


class CoachingSectionTest(TestCase):
    def test_without_series_the_section_says_what_to_add(self):
        cast = build_cast()
        report = build_health_report(cast.hana_user.username)
        section = next(s for s in report["sections"] if s["key"] == "coaching")
        names = [h["name"] for h in section["headlines"]]
        assert "1:1 series" not in names and "Lapsed" not in names
        assert "Managers over the 1:1 budget" in names  # the 1:1 load needs no series
        assert "1:1 series" in section["missing"]

    def test_counts_match_the_cadence_page_for_admin_and_viewer(self):
        from productops.coaching.cadence import load_cadence
        from productops.coaching.models import OneOnOneSeries

        cast = build_cast()
        OneOnOneSeries.objects.create(lead=cast.marco, report=cast.priya)
        OneOnOneSeries.objects.create(lead=cast.marco, report=cast.paul)
        page = load_cadence(OneOnOneSeries.objects.all(), today=timezone.localdate())
        for login in (cast.hana_user.username, cast.vera_user.username):
            report = build_health_report(login)
            section = next(s for s in report["sections"] if s["key"] == "coaching")
            numbers = {h["name"]: h["value"] for h in section["headlines"]}
            assert numbers["1:1 series"] == 2
            assert numbers["Lapsed"] == page.counts["lapsed"]
            assert numbers["Overdue"] == page.counts["overdue"]
            assert "Priya PM" not in str(section)

    def test_caveats_say_what_the_tracker_data_covers(self):
        from tests.backlog.report_story import build_backlog

        cast = build_cast()
        build_backlog()
        report = build_health_report(cast.hana_user.username)
        assert any(c.startswith("Tracker data:") for c in report["caveats"])
        assert not any("No tracker export" in c for c in report["caveats"])
