"""An iCalendar file (RFC 5545) for a 1:1 series: one recurring event on its cadence.

Written by hand: the file is small and a dependency would buy nothing. Pure: the series'
facts, the first date and the stamp come in, the text goes out.

- One VEVENT whose DTSTART is the first date (the next planned 1:1, or the start date),
  at `start_time` as a floating local time: a 1:1 is "at ten wherever we both are", and
  a 1:1 has a date but no time in productops. DURATION is the series' length.
- RRULE: weekly `FREQ=WEEKLY`, fortnightly `FREQ=WEEKLY;INTERVAL=2`, monthly
  `FREQ=MONTHLY`. A monthly series on the 29th, 30th or 31st adds
  `BYMONTHDAY=28,...,N;BYSETPOS=-1` so shorter months get their last day, exactly as
  `cadence.add_months` plans them, where a bare MONTHLY rule would skip those months.
- The UID is stable per series and instance, so importing the file again updates the
  event instead of adding a second one. An ended series is published as CANCELLED, which
  removes it from calendars that import it again.
- Lines end in CRLF and are folded at 75 octets (never inside a UTF-8 character); text
  values escape backslash, semicolon, comma and newlines; parameter values that hold
  `:`, `;` or `,` are quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from productops.coaching.models import Cadence

PRODID = "-//productops//1:1 series//EN"
DEFAULT_START_TIME = time(10, 0)
MAX_OCTETS = 75
CRLF = "\r\n"


@dataclass(frozen=True)
class Participant:
    name: str
    email: str


@dataclass(frozen=True)
class SeriesEvent:
    """What the calendar needs of a series."""

    series_id: int
    lead: Participant
    report: Participant
    cadence: str
    duration_minutes: int
    first_date: date
    active: bool = True
    url: str = ""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def param_value(value: str) -> str:
    """A parameter value (§3.2): quoted when it holds `:;,`; double quotes cannot appear."""
    value = value.replace('"', "'").replace("\r", " ").replace("\n", " ")
    return f'"{value}"' if any(char in value for char in ":;,") else value


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets (§3.1), joined by CRLF + space."""
    encoded = line.encode("utf-8")
    pieces: list[bytes] = []
    limit = MAX_OCTETS
    while len(encoded) > limit:
        cut = limit
        while cut > 0 and (encoded[cut] & 0xC0) == 0x80:  # a UTF-8 continuation byte
            cut -= 1
        pieces.append(encoded[:cut])
        encoded = encoded[cut:]
        limit = MAX_OCTETS - 1  # continuation lines start with a space
    pieces.append(encoded)
    return (CRLF + " ").join(piece.decode("utf-8") for piece in pieces)


def recurrence_rule(cadence: str, first_date: date) -> str:
    chosen = Cadence(cadence)
    if chosen is Cadence.WEEKLY:
        return "FREQ=WEEKLY"
    if chosen is Cadence.FORTNIGHTLY:
        return "FREQ=WEEKLY;INTERVAL=2"
    if first_date.day <= 28:
        return "FREQ=MONTHLY"
    days = ",".join(str(day) for day in range(28, first_date.day + 1))
    return f"FREQ=MONTHLY;BYMONTHDAY={days};BYSETPOS=-1"


def duration(minutes: int) -> str:
    """An RFC 5545 duration: PT30M, PT1H, PT1H15M."""
    hours, rest = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def _utc(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def series_calendar(
    event: SeriesEvent,
    *,
    stamp: datetime,
    uid_domain: str,
    start_time: time = DEFAULT_START_TIME,
) -> str:
    """The whole calendar file as text, CRLF line endings included."""
    start = datetime.combine(event.first_date, start_time)
    summary = f"1:1: {event.lead.name} & {event.report.name}"
    description = f"{Cadence(event.cadence).label} 1:1, {event.duration_minutes} minutes."
    if event.url:
        description += f" Agenda and notes: {event.url}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:one-on-one-series-{event.series_id}@{uid_domain}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{start.strftime('%Y%m%dT%H%M%S')}",
        f"DURATION:{duration(event.duration_minutes)}",
        f"RRULE:{recurrence_rule(event.cadence, event.first_date)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        *_people_lines(event),
        *([f"URL:{event.url}"] if event.url else []),
        f"STATUS:{'CONFIRMED' if event.active else 'CANCELLED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)


def _people_lines(event: SeriesEvent) -> Iterable[str]:
    lead, report = event.lead, event.report
    if lead.email:
        yield f"ORGANIZER;CN={param_value(lead.name)}:mailto:{lead.email}"
    for person in (lead, report):
        if person.email:
            yield (
                f"ATTENDEE;CN={param_value(person.name)};ROLE=REQ-PARTICIPANT;"
                f"PARTSTAT=ACCEPTED:mailto:{person.email}"
            )
