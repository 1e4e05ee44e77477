"""Reading a touchpoints spreadsheet: customer touchpoints logged outside productops.

One row per touchpoint: team (its name), date (YYYY-MM-DD), kind (the value or the label,
any case: "interview" or "Customer interview"), participants (emails separated by ";",
each a member of the team), segment, customers (a whole number, 1 or more; empty means
1), notes and insights. Header names are matched ignoring case, spaces and dashes.

The file is checked as a whole before anything is written, so every problem is reported
at once with its row and column. Parsing writes nothing; it reads the teams, the people
and who is on which team (`TouchpointsContext`, three queries).
`actions.import_touchpoints_file` parses and hands the records to
`actions.do_import_touchpoints`, which writes them in one transaction: all of them, or
with `skip_invalid` the good rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.utils import timezone

from productops.discovery.models import SEGMENT_MAX_CHARS, TouchpointKind
from productops.imports import (
    CsvColumns,
    ErrorSink,
    ParseResult,
    RowError,
    UnreadableFile,
    read_upload_text,
    shown,
)
from productops.imports.csv_rows import CsvRows, first_line
from productops.org.models import Person, Team, TeamMembership

HEADER_ROW = 1
COLUMNS = ("team", "date", "kind", "participants", "segment", "customers", "notes", "insights")
REQUIRED_COLUMNS = ("team", "date", "kind")
# A year of weekly touchpoints for 200 teams with long notes stays far below this.
MAX_FILE_BYTES = 20 * 2**20
COLUMN_ALIASES = {
    "team_name": "team",
    "day": "date",
    "type": "kind",
    "participant_emails": "participants",
    "people": "participants",
    "customer_segment": "segment",
    "number_of_customers": "customers",
    "customer_count": "customers",
}
TOUCHPOINT_COLUMNS = CsvColumns(
    COLUMNS, REQUIRED_COLUMNS, COLUMN_ALIASES, "(only team, date and kind are required)"
)
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
CUSTOMERS_PATTERN = re.compile(r"\+?\d{1,9}")

TouchpointsFile = str | os.PathLike | IO[bytes] | IO[str]


@dataclass(frozen=True)
class TouchpointRow:
    """One valid touchpoint from the file, ready to write."""

    row: int
    team_id: int
    date: date
    kind: str
    participant_ids: frozenset[int]
    segment: str = ""
    customers: int = 1
    notes: str = ""
    insights: str = ""


@dataclass(frozen=True)
class TouchpointsContext:
    teams: Mapping[str, tuple[int, str]]  # lower-cased name -> (id, name)
    people: Mapping[str, int]  # lower-cased email -> person id
    members: frozenset[tuple[int, int]]  # (team id, person id)
    today: date


def touchpoints_context() -> TouchpointsContext:
    """Three queries: the teams, everyone's email, and who is on which team."""
    return TouchpointsContext(
        teams={name.lower(): (pk, name) for pk, name in Team.objects.values_list("pk", "name")},
        people={email.lower(): pk for email, pk in Person.objects.values_list("email", "pk")},
        members=frozenset(TeamMembership.objects.values_list("team_id", "person_id")),
        today=timezone.localdate(),
    )


def parse_touchpoints_file(
    file: TouchpointsFile, *, context: TouchpointsContext, source: str = ""
) -> ParseResult[TouchpointRow]:
    """Read a touchpoints CSV from a path, or an open binary or text file such as an upload."""
    try:
        text = read_upload_text(file, max_bytes=MAX_FILE_BYTES, size_hint="is this the right file?")
    except UnreadableFile as problem:
        result: ParseResult[TouchpointRow] = ParseResult()
        result.add_error(RowError(None, None, str(problem), source=source))
        return result
    return parse_touchpoints_text(text, context=context, source=source)


def parse_touchpoints_text(
    text: str, *, context: TouchpointsContext, source: str = ""
) -> ParseResult[TouchpointRow]:
    result: ParseResult[TouchpointRow] = ParseResult()

    def error(row: int | None, column: str | None, reason: str) -> None:
        result.add_error(RowError(row, column, reason, source=source))

    text = text.removeprefix("\ufeff")
    if not text.strip():
        error(
            None,
            None,
            "the file is empty: expected a header row naming the columns "
            f"({', '.join(COLUMNS)}) and then one row per touchpoint",
        )
        return result
    rows = CsvRows(
        text, delimiter=TOUCHPOINT_COLUMNS.guess_delimiter(first_line(text)), error=error
    )
    columns = rows.header(TOUCHPOINT_COLUMNS)
    if columns is None:
        return result
    rows_with_data = 0
    for number, cells in rows:
        values = {column: cells[i] if i < len(cells) else "" for column, i in columns.items()}
        if not any(value.strip() for value in values.values()):
            continue
        rows_with_data += 1
        row = _parse_row(number, values, context, error)
        if row is not None:
            result.records.append(row)
    if rows.broken:
        # Once the quoting is off every later row may be misread, so nothing is trusted.
        result.records.clear()
        return result
    if not rows_with_data and not rows.overlong_rows:
        error(None, None, "the file has a header row but no touchpoints in it")
    return result


Problem = Callable[[str, str], None]


def _parse_row(
    row: int, values: Mapping[str, str], context: TouchpointsContext, error: ErrorSink
) -> TouchpointRow | None:
    """One row, or None when any of its cells is wrong (each wrong cell is reported)."""
    problems: list[tuple[str, str]] = []

    def problem(column: str, reason: str) -> None:
        problems.append((column, reason))

    team = _team(values["team"], context, problem)
    day = _date(values["date"], context, problem)
    kind = _kind(values["kind"], problem)
    participants = _participants(values.get("participants", ""), team, context, problem)
    customers = _customers(values.get("customers", ""), problem)
    segment = values.get("segment", "").strip()
    if len(segment) > SEGMENT_MAX_CHARS:
        problem("segment", f"is {len(segment)} characters long; at most {SEGMENT_MAX_CHARS} fit")
    for column in ("notes", "insights", "segment"):
        if "\x00" in values.get(column, ""):
            problem(column, "contains a NUL character, which cannot be stored")
    for column, reason in problems:
        error(row, column, reason)
    if problems or team is None or day is None:
        return None
    return TouchpointRow(
        row=row,
        team_id=team[0],
        date=day,
        kind=kind,
        participant_ids=participants,
        segment=segment,
        customers=customers,
        notes=values.get("notes", "").strip(),
        insights=values.get("insights", "").strip(),
    )


def _team(text: str, context: TouchpointsContext, problem: Problem) -> tuple[int, str] | None:
    name = text.strip()
    if not name:
        problem("team", "the team's name is required")
        return None
    team = context.teams.get(name.lower())
    if team is None:
        problem("team", f"no team is named '{shown(name)}'; check the spelling on the Teams page")
    return team


def _date(text: str, context: TouchpointsContext, problem: Problem) -> date | None:
    value = text.strip()
    if not value:
        problem("date", "the date is required, written YYYY-MM-DD")
        return None
    try:
        if not DATE_PATTERN.fullmatch(value):
            raise ValueError
        day = date.fromisoformat(value)
    except ValueError:
        problem("date", f"'{shown(value)}' is not a date written YYYY-MM-DD, such as 2025-01-31")
        return None
    if day > context.today:
        problem("date", f"{value} is in the future; a touchpoint is logged once it took place")
        return None
    return day


_KIND_SEPARATORS = re.compile(r"[\s\-_]+")


def _kind(text: str, problem: Problem) -> str:
    def spelled(value: str) -> str:
        return _KIND_SEPARATORS.sub(" ", value.strip().lower())

    lookup = {spelled(value): value for value in TouchpointKind.values}
    lookup.update((spelled(str(label)), value) for value, label in TouchpointKind.choices)
    kind = lookup.get(spelled(text))
    if kind is None:
        said = f"unknown kind '{shown(text.strip())}'" if text.strip() else "the kind is required"
        problem("kind", f"{said}; use one of {', '.join(TouchpointKind.values)}")
        return ""
    return kind


def _participants(
    text: str, team: tuple[int, str] | None, context: TouchpointsContext, problem: Problem
) -> frozenset[int]:
    ids = set()
    for email in (part.strip().lower() for part in text.split(";")):
        if not email:
            continue
        person = context.people.get(email)
        if person is None:
            problem(
                "participants",
                f"no one in productops has the email {email}; import them with import-people first",
            )
        elif team is not None and (team[0], person) not in context.members:
            problem(
                "participants",
                f"{email} is not a member of {team[1]}; add them to the team or leave them out",
            )
        else:
            ids.add(person)
    return frozenset(ids)


def _customers(text: str, problem: Problem) -> int:
    value = text.strip()
    if not value:
        return 1
    if not CUSTOMERS_PATTERN.fullmatch(value) or int(value) < 1:
        problem("customers", f"'{shown(value)}' is not a positive whole number of customers")
        return 1
    return int(value)
