"""The status demo on the cast's world: six shared weeks per team and per objective, PMs
named, and the story of the team that turns."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from productops.demo.status import WEEKS, build_status_demo
from productops.reports.models import StatusState, StatusUpdate
from productops.strategy.models import Objective
from tests.cast import build_cast
from tests.reports.test_status_story import build_week

TODAY = dt.date(2026, 11, 25)  # the last complete week is 2026-W47


class StatusDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)
        cls.stories = build_status_demo(today=TODAY)

    def test_six_shared_weeks_per_team(self) -> None:
        for team in (self.cast.checkout, self.cast.search):
            updates = StatusUpdate.objects.filter(team=team).order_by("week_start")
            self.assertEqual(updates.count(), WEEKS)
            self.assertEqual({u.state for u in updates}, {StatusState.SHARED})
            self.assertEqual(updates.last().week, "2026-W47")
            self.assertTrue(all(u.note for u in updates))
        self.assertEqual(
            set(
                StatusUpdate.objects.filter(team=self.cast.checkout).values_list(
                    "shared_by", flat=True
                )
            ),
            {"Priya PM"},
        )
        self.assertIn("2 teams have 6 weekly status updates", self.stories[0])

    def test_it_runs_once(self) -> None:
        self.assertEqual(build_status_demo(today=TODAY), [])
        self.assertEqual(StatusUpdate.objects.filter(team__isnull=False).count(), 2 * WEEKS)
        self.assertEqual(StatusUpdate.objects.filter(objective__isnull=False).count(), 2 * WEEKS)

    def test_six_shared_weeks_per_objective(self) -> None:
        for objective in Objective.objects.all():
            updates = StatusUpdate.objects.filter(objective=objective).order_by("week_start")
            self.assertEqual(updates.count(), WEEKS)
            self.assertEqual({u.state for u in updates}, {StatusState.SHARED})
            self.assertEqual(updates.last().week, "2026-W47")
            self.assertTrue(all(u.note for u in updates))
        refunds = StatusUpdate.objects.filter(objective__title="Fewer refunds")
        # CHK-B1 is done in W47: the objective moves in its last week only
        self.assertEqual(refunds.order_by("week_start").last().health, "on_track")
        self.assertEqual(refunds.filter(health="on_track").count(), 1)
        self.assertIn("2 objectives have weekly updates", " ".join(self.stories))
