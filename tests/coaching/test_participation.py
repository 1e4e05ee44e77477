"""The participation report, computed by hand on a small story.

A discovery guild met twice in the quarter (and once just before it); a book club met
once in the quarter (and once just after). Priya-like product people go to everything;
design, engineering, sales and marketing came too. The numbers below were worked out
on paper from the rows.
"""

from __future__ import annotations

from datetime import date

from django.test import SimpleTestCase

from productops.coaching.participation import (
    MAX_DAYS,
    AttendanceFact,
    CommunityFact,
    Period,
    SessionFact,
    choose_period,
    participation_report,
)
from productops.org.models import Discipline

GUILD, CLUB, SILENT = 1, 2, 3
QUARTER = Period(start=date(2026, 1, 1), end=date(2026, 3, 31))

COMMUNITIES = [
    CommunityFact(GUILD, "Discovery guild", "community"),
    CommunityFact(CLUB, "Book club", "book_club"),
    CommunityFact(SILENT, "Empty circle", "community"),
]
SESSIONS = [
    SessionFact(11, GUILD, date(2026, 1, 10)),
    SessionFact(12, GUILD, date(2026, 2, 10)),
    SessionFact(13, CLUB, date(2026, 3, 1)),
    SessionFact(14, GUILD, date(2025, 12, 20)),  # before the quarter
    SessionFact(15, CLUB, date(2026, 4, 2)),  # after it
]


def attended(session: int, person: int, discipline: str) -> AttendanceFact:
    return AttendanceFact(session_id=session, person_id=person, discipline=discipline)


ATTENDANCE = [
    attended(11, 1, "product"),
    attended(11, 2, "design"),
    attended(11, 3, "engineering"),
    attended(11, 1, "product"),  # the same tick twice counts once
    attended(12, 1, "product"),
    attended(12, 3, "engineering"),
    attended(12, 4, "sales"),
    attended(13, 2, "design"),
    attended(13, 5, "marketing"),
    attended(13, 6, "product"),
    attended(13, 1, "product"),
    attended(14, 7, "data"),  # outside the period
    attended(15, 8, "quality"),  # outside the period
]


class QuarterReport(SimpleTestCase):
    def setUp(self) -> None:
        self.report = participation_report(SESSIONS, ATTENDANCE, COMMUNITIES, QUARTER)
        self.rows = {row.discipline: row for row in self.report.disciplines}

    def test_totals_count_each_person_once(self) -> None:
        self.assertEqual(self.report.sessions, 3)
        self.assertEqual(self.report.participants, 6)
        self.assertEqual(self.report.attendances, 10)
        self.assertEqual(self.report.outside_product, 4)
        self.assertAlmostEqual(self.report.outside_product_share, 4 / 6)
        self.assertEqual(self.report.outside_product_percent, 67)
        self.assertEqual(self.report.disciplines_taking_part, 5)
        self.assertEqual(self.report.largest, 2)

    def test_every_discipline_of_the_org_has_a_row_in_its_order(self) -> None:
        self.assertEqual([row.discipline for row in self.report.disciplines], Discipline.values)
        self.assertIn("quality", self.rows)
        self.assertIn("compliance", self.rows)

    def test_product_people_sessions_and_attendances(self) -> None:
        product = self.rows["product"]
        self.assertEqual(product.people, 2)
        self.assertEqual(product.sessions, 3)
        self.assertEqual(product.attendances, 4)
        self.assertAlmostEqual(product.share, 2 / 6)
        self.assertEqual(product.percent, 33)
        self.assertEqual(product.by_community, {GUILD: 1, CLUB: 2})

    def test_the_other_disciplines(self) -> None:
        design = self.rows["design"]
        self.assertEqual((design.people, design.sessions, design.attendances), (1, 2, 2))
        self.assertEqual(design.by_community, {GUILD: 1, CLUB: 1})
        engineering = self.rows["engineering"]
        self.assertEqual((engineering.people, engineering.sessions), (1, 2))
        self.assertEqual(engineering.people_in(CLUB), 0)
        self.assertEqual(self.rows["sales"].by_community, {GUILD: 1})
        self.assertEqual(self.rows["marketing"].by_community, {CLUB: 1})

    def test_sessions_outside_the_period_are_left_out(self) -> None:
        for discipline in ("data", "quality", "compliance"):
            row = self.rows[discipline]
            self.assertEqual((row.people, row.sessions, row.attendances), (0, 0, 0), discipline)
            self.assertEqual(row.by_community, {})

    def test_per_community_in_name_order_without_silent_ones(self) -> None:
        club, guild = self.report.communities
        self.assertEqual((club.name, guild.name), ("Book club", "Discovery guild"))
        self.assertEqual((guild.sessions, guild.people, guild.attendances), (2, 4, 6))
        self.assertEqual(guild.outside_product, 3)
        self.assertEqual(
            guild.by_discipline, {"product": 1, "design": 1, "engineering": 1, "sales": 1}
        )
        self.assertEqual((club.sessions, club.people, club.attendances), (1, 4, 4))
        self.assertEqual(club.outside_product, 2)
        self.assertAlmostEqual(club.outside_product_share, 0.5)

    def test_as_dict_for_the_api(self) -> None:
        body = self.report.as_dict()
        self.assertEqual(body["start"], date(2026, 1, 1))
        self.assertEqual(body["outside_product_share"], 0.6667)
        product = next(row for row in body["disciplines"] if row["discipline"] == "product")
        self.assertEqual(product["by_community"], {GUILD: 1, CLUB: 2})
        self.assertEqual([c["name"] for c in body["communities"]], ["Book club", "Discovery guild"])


class EdgeCases(SimpleTestCase):
    def test_all_time_counts_every_session(self) -> None:
        report = participation_report(SESSIONS, ATTENDANCE, COMMUNITIES, period=None)
        self.assertEqual(report.sessions, 5)
        self.assertEqual(report.participants, 8)
        self.assertEqual(report.outside_product, 6)
        self.assertEqual(report.as_dict()["start"], None)

    def test_nobody_took_part(self) -> None:
        report = participation_report([SessionFact(1, GUILD, date(2026, 1, 5))], [], COMMUNITIES)
        self.assertEqual(report.sessions, 1)
        self.assertEqual(report.participants, 0)
        self.assertIsNone(report.outside_product_share)
        self.assertIsNone(report.outside_product_percent)
        self.assertTrue(all(row.share is None and row.percent == 0 for row in report.disciplines))
        (guild,) = report.communities
        self.assertEqual((guild.people, guild.outside_product_share), (0, None))

    def test_attendance_at_an_unknown_session_is_ignored(self) -> None:
        report = participation_report([], [attended(99, 1, "design")], COMMUNITIES)
        self.assertEqual((report.sessions, report.participants), (0, 0))

    def test_a_discipline_the_org_no_longer_lists_is_still_counted(self) -> None:
        report = participation_report(
            [SessionFact(1, GUILD, date(2026, 1, 5))],
            [attended(1, 1, "legacy_ops"), attended(1, 2, "product")],
            COMMUNITIES,
        )
        last = report.disciplines[-1]
        self.assertEqual(
            (last.discipline, last.label, last.people), ("legacy_ops", "Legacy ops", 1)
        )
        self.assertEqual(report.outside_product, 1)


class Periods(SimpleTestCase):
    today = date(2026, 3, 31)

    def test_the_last_ninety_days_include_today(self) -> None:
        period = Period.last(90, self.today)
        self.assertEqual(
            (period.start, period.end, period.days), (date(2026, 1, 1), self.today, 90)
        )
        self.assertIn(date(2026, 1, 1), period)
        self.assertNotIn(date(2025, 12, 31), period)
        self.assertEqual(str(period), "2026-01-01 to 2026-03-31")

    def test_the_picker_defaults_to_ninety_days(self) -> None:
        self.assertEqual(choose_period(self.today), Period.last(90, self.today))
        self.assertEqual(choose_period(self.today, days=30).start, date(2026, 3, 2))

    def test_dates_win_over_days(self) -> None:
        period = choose_period(self.today, days=30, start=date(2026, 1, 15), end=date(2026, 2, 1))
        self.assertEqual((period.start, period.end), (date(2026, 1, 15), date(2026, 2, 1)))

    def test_only_a_start_runs_to_today_and_only_an_end_looks_back(self) -> None:
        self.assertEqual(choose_period(self.today, start=date(2026, 3, 1)).end, self.today)
        period = choose_period(self.today, end=date(2026, 2, 28), days=28)
        self.assertEqual((period.start, period.end), (date(2026, 2, 1), date(2026, 2, 28)))

    def test_bad_periods_say_what_is_wrong(self) -> None:
        with self.assertRaisesMessage(
            ValueError, "starts on 2026-03-01 after it ends on 2026-02-01"
        ):
            choose_period(self.today, start=date(2026, 3, 1), end=date(2026, 2, 1))
        with self.assertRaisesMessage(ValueError, "between 1 and"):
            choose_period(self.today, days=0)
        with self.assertRaisesMessage(ValueError, f"at most {MAX_DAYS} days"):
            choose_period(self.today, start=date(1990, 1, 1))
