"""The demo shows what cadence counts: a sales-led team that looks busy but does little
discovery, and a team whose designer and engineers never join its touchpoints."""

from __future__ import annotations

from datetime import date

from django.test import TestCase

from productops.demo.backlog import build_backlog_demo
from productops.demo.discovery import build_discovery_demo, mature_team_id, pm_alone_team_id
from productops.demo.org import build_demo_org
from productops.discovery.cadence import load_cadence

TODAY = date(2026, 11, 20)  # a Friday
START = date(2026, 8, 24)  # 13 ISO weeks up to TODAY


class DemoCadenceStory(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo_org(150, 7)
        build_backlog_demo(cls.org, seed=7, today=TODAY)
        cls.demo = build_discovery_demo(cls.org, 7, today=TODAY)
        cls.cadences = {c.team_id: c for c in load_cadence(start=START, end=TODAY)}

    def test_the_sales_led_team_looks_busy_but_few_of_its_weeks_count(self) -> None:
        sales = self.cadences[self.org.enterprise_team_id]
        others = [
            c
            for pk, c in self.cadences.items()
            if pk not in (self.org.enterprise_team_id, self.org.no_designer_team_id)
        ]
        self.assertGreaterEqual(sales.touchpoints, 10)  # busy
        self.assertGreater(sales.kind_mix.get("sales_call", 0) / sales.touchpoints, 0.7)
        self.assertLessEqual(sales.counted_weeks, 3)  # but little discovery
        self.assertGreaterEqual(sales.shadowing_only_weeks, 6)
        self.assertTrue(all(c.weekly_share > 2 * sales.weekly_share for c in others))

    def test_one_team_with_a_full_trio_goes_with_its_product_manager_alone(self) -> None:
        team_id = pm_alone_team_id(self.org)
        self.assertIsNotNone(team_id)
        self.assertNotIn(
            team_id,
            (
                mature_team_id(self.org),
                self.org.enterprise_team_id,
                self.org.no_designer_team_id,
                *self.org.spread_pm_team_ids,
            ),
        )
        cadence = self.cadences[team_id]
        self.assertGreaterEqual(cadence.counted_weeks, 8)  # it meets customers often
        finding = cadence.trio_finding
        self.assertIsNotNone(finding)
        assert finding is not None
        self.assertEqual(finding.key, "never_joined")
        self.assertEqual(finding.absent, ("design", "engineering"))
        self.assertEqual(cadence.trio_parts["product"], cadence.touchpoints)
        self.assertIn(self.demo.pm_alone_team, "\n".join(self.demo.stories))

    def test_the_mature_team_has_no_trio_finding(self) -> None:
        mature = mature_team_id(self.org)
        assert mature is not None
        self.assertIsNone(self.cadences[mature].trio_finding)
        self.assertGreaterEqual(self.cadences[mature].counted_weeks, 11)
