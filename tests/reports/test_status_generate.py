"""Generating Checkout's update for 2026-W47 from the data: the backlog report's numbers,
discovery's cadence and the objectives the work serves."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from productops.backlog.frames import load_frames
from productops.backlog.models import Item
from productops.backlog.report import build_report
from productops.reports.status import OFF_TRACK, generate_week, numbers_of, team_frames
from tests.cast import build_cast
from tests.reports.test_status_story import MONDAY, WEEK, build_week

SUNDAY = MONDAY + dt.timedelta(days=6)


def keys(group: dict) -> set[str]:
    return {item["key"] for item in group["items"]}


class GenerateWeekTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.items = build_week(cls.cast.checkout)

    def setUp(self) -> None:
        self.generated = generate_week(self.cast.checkout, MONDAY)
        self.backlog = self.generated["backlog"]

    def test_the_week(self) -> None:
        self.assertEqual(self.generated["week"], WEEK)
        self.assertEqual(self.generated["week_start"], "2026-11-16")
        self.assertEqual(self.generated["week_end"], "2026-11-22")

    def test_completed_is_the_backlog_reports_done_count_for_the_week(self) -> None:
        report = build_report(start=MONDAY, end=SUNDAY, project="Checkout")
        self.assertEqual(self.backlog["completed"]["count"], report.done_count)
        self.assertEqual(keys(self.backlog["completed"]), {"CHK-B1", "CHK-B2", "CHK-C2"})

    def test_another_teams_work_is_not_counted(self) -> None:
        every = [
            item["key"]
            for group in self.backlog.values()
            if isinstance(group, dict)
            for item in group.get("items", [])
        ]
        self.assertNotIn("SRCH-1", every)

    def test_shelved_is_the_backlog_reports_shelved_count(self) -> None:
        report = build_report(start=MONDAY, end=SUNDAY, project="Checkout")
        self.assertEqual(self.backlog["shelved"]["count"], report.shelved.count)
        self.assertEqual(keys(self.backlog["shelved"]), {"CHK-E1", "CHK-E2"})

    def test_started(self) -> None:
        self.assertEqual(keys(self.backlog["started"]), {"CHK-D1"})

    def test_the_sprint_that_ended_has_the_backlog_reports_numbers(self) -> None:
        report = build_report(project="Checkout")
        [summary] = [s for s in report.sprints if s.name == "Checkout 2"]
        [sprint] = self.backlog["sprints"]
        self.assertEqual(sprint["name"], "Checkout 2")
        for name in ("committed", "completed", "carried_over", "added", "removed"):
            self.assertEqual(sprint[name], getattr(summary, name), name)
        self.assertEqual(self.backlog["added_by_origin"], summary.added_by_origin)
        self.assertEqual((sprint["committed"], sprint["carried_over"]), (6, 5))
        self.assertEqual(self.backlog["added_by_origin"], {"sales": 2})

    def test_carried_over_and_carried_over_again(self) -> None:
        self.assertEqual(
            keys(self.backlog["carried_over"]),
            {"CHK-A1", "CHK-A2", "CHK-A3", "CHK-B3", "CHK-C1"},
        )
        self.assertEqual(keys(self.backlog["carried_repeatedly"]), {"CHK-A1", "CHK-A2", "CHK-A3"})
        self.assertIn(
            "3 of 6 committed items carried over 2 times or more.", self.generated["risks"]
        )

    def test_discovery(self) -> None:
        discovery = self.generated["discovery"]
        self.assertEqual(discovery["touchpoints"], 0)
        self.assertEqual(discovery["quiet_weeks"], 2)  # W46 and W47 after the W45 interview
        self.assertEqual(discovery["last_touchpoint"], "2026-11-04")

    def test_objectives_served_and_moved(self) -> None:
        objectives = {o["title"]: o for o in self.generated["strategy"]["objectives"]}
        self.assertEqual(set(objectives), {"Faster checkout", "Fewer refunds"})
        self.assertFalse(objectives["Faster checkout"]["moved"])
        self.assertTrue(objectives["Fewer refunds"]["moved"])

    def test_health_and_its_reasons(self) -> None:
        rules = {reason["rule"]: reason["level"] for reason in self.generated["reasons"]}
        self.assertEqual(
            rules,
            {
                "carry_over": "off_track",
                "sales_scope": "at_risk",
                "repeat_carry_over": "at_risk",
                "shelved": "at_risk",
            },
        )
        self.assertEqual(self.generated["health"], OFF_TRACK)

    def test_numbers_read_back(self) -> None:
        numbers = numbers_of(self.generated)
        self.assertEqual(
            (numbers.committed, numbers.carried_over, numbers.added, numbers.added_sales),
            (6, 5, 2, 2),
        )
        self.assertEqual((numbers.objectives_served, numbers.objectives_moved), (2, 1))

    def test_a_week_without_work(self) -> None:
        earlier = generate_week(self.cast.checkout, dt.date(2026, 9, 7))
        self.assertEqual(earlier["backlog"]["completed"]["count"], 0)
        self.assertEqual(earlier["backlog"]["sprints"], [])

    def test_search_counts_its_own_work(self) -> None:
        search = generate_week(self.cast.search, MONDAY)
        # SRCH-1 is Search's, done in the week
        self.assertEqual(keys(search["backlog"]["completed"]), {"SRCH-1"})
        self.assertEqual(search["backlog"]["sprints"], [])


class SprintStandInTest(TestCase):
    """In the week after a sprint ended (none ends in it), that sprint stands in."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)

    def test_the_week_after_reads_the_sprint_of_the_week_before(self) -> None:
        after = generate_week(self.cast.checkout, MONDAY + dt.timedelta(weeks=1))
        [sprint] = after["backlog"]["sprints"]
        self.assertEqual(sprint["name"], "Checkout 2")
        self.assertFalse(sprint["ended_this_week"])
        self.assertEqual(after["backlog"]["completed"]["count"], 0)

    def test_two_weeks_after_no_sprint(self) -> None:
        later = generate_week(self.cast.checkout, MONDAY + dt.timedelta(weeks=2))
        self.assertEqual(later["backlog"]["sprints"], [])
        self.assertNotIn("carry_over", {r["rule"] for r in later["reasons"]})


class FramesLoadedOnceTest(TestCase):
    """The demo generates every team's weeks from frames loaded once: the same update."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)
        other = Item.objects.get(key="CHK-B1")
        other.pk = None
        other.key, other.project = "OTH-1", "Elsewhere"
        other.save()

    def test_frames_taken_from_all_the_frames_equal_the_teams_own(self) -> None:
        checkout = self.cast.checkout
        own = team_frames(checkout)
        taken = team_frames(checkout, load_frames())
        self.assertEqual(sorted(taken.items["id"]), sorted(own.items["id"]))
        self.assertNotIn("Elsewhere", set(taken.items["project"]))
        self.assertEqual(taken.changes.height, own.changes.height)
        self.assertEqual(generate_week(checkout, MONDAY, taken), generate_week(checkout, MONDAY))
