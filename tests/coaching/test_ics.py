"""The calendar file of a 1:1 series: exact text, RFC 5545 structure, and who may download it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from productops.coaching.ics import (
    Participant,
    SeriesEvent,
    duration,
    escape_text,
    fold,
    recurrence_rule,
    series_calendar,
)
from productops.coaching.models import OneOnOne
from tests.cast import build_cast
from tests.coaching.cadence_cast import build_cadence_story

STAMP = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
MARCO = Participant("Marco Manager", "marco@example.com")
PRIYA = Participant("Priya PM", "priya@example.com")


def event(**changes) -> SeriesEvent:
    values = {
        "series_id": 7,
        "lead": MARCO,
        "report": PRIYA,
        "cadence": "weekly",
        "duration_minutes": 30,
        "first_date": date(2024, 1, 8),
        "url": "https://po.example/coaching/series/7/",
    }
    return SeriesEvent(**{**values, **changes})


def physical_lines(text: str) -> list[str]:
    assert text.endswith("\r\n")
    lines = text.split("\r\n")[:-1]
    assert not any("\n" in line or "\r" in line for line in lines), "bare LF or CR"
    return lines


def unfolded(text: str) -> list[str]:
    logical: list[str] = []
    for line in physical_lines(text):
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def assert_well_formed(text: str) -> None:
    for line in physical_lines(text):
        assert len(line.encode("utf-8")) <= 75, line
    stack: list[str] = []
    for line in unfolded(text):
        name, _, value = line.partition(":")
        assert value or name in {"END", "BEGIN"}, f"no value in {line!r}"
        if name == "BEGIN":
            stack.append(value)
        elif name == "END":
            assert stack and stack.pop() == value, f"unbalanced END:{value}"
    assert stack == []


def test_the_exact_calendar_of_a_weekly_series() -> None:
    text = series_calendar(event(), stamp=STAMP, uid_domain="po.example")
    assert text == (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n"
        "PRODID:-//productops//1:1 series//EN\r\n"
        "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n"
        "BEGIN:VEVENT\r\n"
        "UID:one-on-one-series-7@po.example\r\n"
        "DTSTAMP:20240101T090000Z\r\n"
        "DTSTART:20240108T100000\r\n"
        "DURATION:PT30M\r\n"
        "RRULE:FREQ=WEEKLY\r\n"
        "SUMMARY:1:1: Marco Manager & Priya PM\r\n"
        "DESCRIPTION:Weekly 1:1\\, 30 minutes. Agenda and notes: https://po.example/c\r\n"
        " oaching/series/7/\r\n"
        "ORGANIZER;CN=Marco Manager:mailto:marco@example.com\r\n"
        "ATTENDEE;CN=Marco Manager;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:mar\r\n"
        " co@example.com\r\n"
        "ATTENDEE;CN=Priya PM;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:priya@ex\r\n"
        " ample.com\r\n"
        "URL:https://po.example/coaching/series/7/\r\n"
        "STATUS:CONFIRMED\r\n"
        "TRANSP:OPAQUE\r\n"
        "END:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    assert_well_formed(text)


def test_each_cadence_has_its_rule() -> None:
    assert recurrence_rule("weekly", date(2024, 1, 8)) == "FREQ=WEEKLY"
    assert recurrence_rule("fortnightly", date(2024, 1, 8)) == "FREQ=WEEKLY;INTERVAL=2"
    assert recurrence_rule("monthly", date(2024, 1, 28)) == "FREQ=MONTHLY"
    # on the 30th: 30 January, 29 February, 30 March — the month's last day when short
    assert recurrence_rule("monthly", date(2024, 1, 30)) == (
        "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"
    )
    text = series_calendar(
        event(cadence="fortnightly", duration_minutes=75), stamp=STAMP, uid_domain="x"
    )
    assert "RRULE:FREQ=WEEKLY;INTERVAL=2\r\n" in text
    assert "DURATION:PT1H15M\r\n" in text


def test_durations() -> None:
    assert [duration(m) for m in (10, 60, 90, 120)] == ["PT10M", "PT1H", "PT1H30M", "PT2H"]


def test_text_is_escaped_and_names_with_commas_are_quoted() -> None:
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    odd = Participant("Smith, Jo; Jr", "jo@example.com")
    text = series_calendar(event(report=odd), stamp=STAMP, uid_domain="x")
    lines = unfolded(text)
    assert "SUMMARY:1:1: Marco Manager & Smith\\, Jo\\; Jr" in lines
    assert any(line.startswith('ATTENDEE;CN="Smith, Jo; Jr";') for line in lines)
    assert_well_formed(text)


def test_long_lines_fold_at_75_octets_without_splitting_a_character() -> None:
    long_name = Participant("Zoë Øvergård-Ñúñez " * 6, "zoe@example.com")
    text = series_calendar(event(lead=long_name), stamp=STAMP, uid_domain="x")
    assert_well_formed(text)
    summary = next(line for line in unfolded(text) if line.startswith("SUMMARY:"))
    assert summary == f"SUMMARY:1:1: {long_name.name} & Priya PM"
    assert fold("X" * 75) == "X" * 75
    assert fold("X" * 76) == "X" * 75 + "\r\n X"
    # a two-octet "é" never straddles the fold
    assert fold("X" * 74 + "é") == "X" * 74 + "\r\n é"


def test_an_ended_series_is_published_cancelled() -> None:
    text = series_calendar(event(active=False), stamp=STAMP, uid_domain="x")
    assert "STATUS:CANCELLED\r\n" in text
    assert "STATUS:CONFIRMED" not in text


def test_a_chosen_time_of_day() -> None:
    text = series_calendar(event(), stamp=STAMP, uid_domain="x", start_time=time(14, 30))
    assert "DTSTART:20240108T143000\r\n" in text


class CalendarDownload(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_cadence_story(cls.cast, timezone.localdate())

    def download(self, user, series, **query):
        self.client.force_login(user)
        return self.client.get(reverse("coaching:series_ics", args=[series.pk]), query)

    def test_a_participant_downloads_the_series_from_its_next_planned_1on1(self) -> None:
        response = self.download(self.cast.priya_user, self.story.marco_priya)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertIn("attachment;", response["Content-Disposition"])
        text = response.content.decode()
        assert_well_formed(text)
        lines = unfolded(text)
        self.assertIn(f"DTSTART:{self.story.today:%Y%m%d}T100000", lines)
        self.assertIn("SUMMARY:1:1: Marco Manager & Priya PM", lines)
        self.assertIn(f"UID:one-on-one-series-{self.story.marco_priya.pk}@testserver", lines)
        series_url = reverse("coaching:series_detail", args=[self.story.marco_priya.pk])
        self.assertIn(f"URL:http://testserver{series_url}", lines)

    def test_without_a_planned_1on1_it_starts_at_the_series_start(self) -> None:
        text = self.download(self.cast.hana_user, self.story.marco_paul).content.decode()
        self.assertIn(f"DTSTART:{self.story.marco_paul.start_date:%Y%m%d}T100000", unfolded(text))
        self.assertIn("RRULE:FREQ=WEEKLY;INTERVAL=2", unfolded(text))

    def test_a_past_planned_1on1_is_not_the_next_one(self) -> None:
        OneOnOne.objects.create(
            series=self.story.marco_paul, date=self.story.today - timedelta(days=3)
        )
        text = self.download(self.cast.marco_user, self.story.marco_paul).content.decode()
        self.assertIn(f"DTSTART:{self.story.marco_paul.start_date:%Y%m%d}T100000", unfolded(text))

    def test_the_time_of_day_can_be_chosen_and_a_bad_one_is_explained(self) -> None:
        ok = self.download(self.cast.marco_user, self.story.marco_priya, time="08:15")
        self.assertIn(f"DTSTART:{self.story.today:%Y%m%d}T081500", unfolded(ok.content.decode()))
        bad = self.download(self.cast.marco_user, self.story.marco_priya, time="noon")
        self.assertEqual(bad.status_code, 400)
        self.assertIn("HH:MM", bad.content.decode())

    def test_people_outside_the_series_get_404(self) -> None:
        self.assertEqual(
            self.download(self.cast.paul_user, self.story.marco_priya).status_code, 404
        )
        self.assertEqual(
            self.download(self.cast.vera_user, self.story.marco_priya).status_code, 404
        )
        # Marco sees his own manager's series with him, not Hana's series with Dana
        self.assertEqual(
            self.download(self.cast.marco_user, self.story.hana_marco).status_code, 200
        )
        self.assertEqual(self.download(self.cast.marco_user, self.story.hana_dana).status_code, 404)
