"""Reading a people file: the HR export or spreadsheet a head of product already has.

The file is checked as a whole before anything is written, so every problem is reported
at once with the row and column a person can find in their spreadsheet. Parsing writes
nothing: it reads the database only to learn who is already in productops (to find
managers who are not in the file and to catch reporting cycles that pass through people
already here). `productops.org.actions.do_import_people` writes what it returns.

A column the file does not have is left alone: a file with only name, email and
discipline updates those and keeps everyone's manager, title and teams as they are.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models

from productops.imports import (
    CsvColumns,
    ErrorSink,
    ParseResult,
    RowError,
    UnreadableFile,
    read_upload_text,
    shown,
)
from productops.imports.csv_cells import unescape_cell
from productops.imports.csv_rows import CsvRows, first_line
from productops.org.models import Discipline, Person, Team, TeamRole

HEADER_ROW = 1
FIRST_DATA_ROW = 2
COLUMNS = ("name", "email", "title", "discipline", "level", "manager_email", "team", "team_role")
REQUIRED_COLUMNS = ("name", "email", "discipline")
OPTIONAL_COLUMNS = tuple(column for column in COLUMNS if column not in REQUIRED_COLUMNS)
TEAM_SEPARATOR = ";"

# Far above any real people file (5,000 people take about half a megabyte); stops a
# database dump uploaded by mistake from filling the server's memory.
MAX_FILE_BYTES = 20 * 2**20

# Other names HR tools and hand-made spreadsheets give the same columns.
COLUMN_ALIASES = {
    "e_mail": "email",
    "email_address": "email",
    "full_name": "name",
    "job_title": "title",
    "career_level": "level",
    "manager_e_mail": "manager_email",
    "manager_email_address": "manager_email",
    "teams": "team",
    "team_name": "team",
    "team_roles": "team_role",
}
PEOPLE_COLUMNS = CsvColumns(
    COLUMNS, REQUIRED_COLUMNS, COLUMN_ALIASES, "(only name, email and discipline are required)"
)
DISCIPLINE_SHORT_FORMS = {"eng": Discipline.ENGINEERING}
TEAM_ROLE_SHORT_FORMS = {"pm": TeamRole.PRODUCT_MANAGER, "tl": TeamRole.TECH_LEAD}


def _max_length(model: type[Person] | type[Team], name: str) -> int:
    """The max_length of a text field: how many characters of a cell fit."""
    field = model._meta.get_field(name)
    length = field.max_length if isinstance(field, models.Field) else None
    if length is None:
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return length


NAME_MAX = _max_length(Person, "name")
EMAIL_MAX = _max_length(Person, "email")
TITLE_MAX = _max_length(Person, "title")
LEVEL_MAX = _max_length(Person, "level")
TEAM_NAME_MAX = _max_length(Team, "name")

PeopleFile = str | os.PathLike | IO[bytes] | IO[str]


@dataclass(frozen=True)
class TeamPlacement:
    team: str  # as first spelled in the file; matched to existing teams ignoring case
    role: str  # a TeamRole value


@dataclass(frozen=True)
class PersonRow:
    """One valid person from the file, ready to write."""

    row: int
    email: str
    name: str
    discipline: str
    title: str = ""
    level: str = ""
    manager_email: str = ""  # empty: no manager
    # The file row that defines the manager, so a skipped manager row can skip this one
    # too; None when the manager is already in productops (or there is none).
    manager_row: int | None = None
    teams: tuple[TeamPlacement, ...] = ()
    # The optional columns the file has: the others keep what productops already knows.
    given: frozenset[str] = frozenset(OPTIONAL_COLUMNS)
    source: str = ""

    def says(self, column: str) -> bool:
        return column in REQUIRED_COLUMNS or column in self.given


@dataclass
class _Draft:
    """What a row says, field by field, before the checks across rows."""

    row: int
    given: frozenset[str]
    email: str = ""
    manager_email: str = ""
    fields: dict[str, object] = field(default_factory=dict)


def existing_reporting_lines() -> dict[str, str | None]:
    """Everyone already in productops by email, with their manager's email.

    One query; an organization has thousands of people at most, and cycle checks need
    the whole chain above each person.
    """
    return {
        email.lower(): manager.lower() if manager else None
        for email, manager in Person.objects.values_list("email", "manager__email")
    }


def parse_people_file(
    file: PeopleFile,
    *,
    source: str = "",
    existing: Mapping[str, str | None] | None = None,
) -> ParseResult[PersonRow]:
    """Read a people CSV from a path, or from an open binary or text file such as an upload.

    `existing` maps the emails already in productops to their manager's email; it is
    read from the database when not given.
    """
    try:
        text = _read_text(file)
    except UnreadableFile as problem:
        result: ParseResult[PersonRow] = ParseResult()
        result.add_error(RowError(None, None, str(problem), source=source))
        return result
    return parse_people_text(text, source=source, existing=existing)


def parse_people_text(
    text: str,
    *,
    source: str = "",
    existing: Mapping[str, str | None] | None = None,
) -> ParseResult[PersonRow]:
    """Parse the decoded text of a people CSV; see `parse_people_file`."""
    result: ParseResult[PersonRow] = ParseResult()

    def error(row: int | None, column: str | None, reason: str) -> None:
        result.add_error(RowError(row, column, reason, source=source))

    text = text.removeprefix("\ufeff")
    if not text.strip():
        error(
            None,
            None,
            "the file is empty: expected a header row naming the columns "
            f"({', '.join(COLUMNS)}) and then one row per person",
        )
        return result
    drafts = _read_rows(text, error)
    if drafts is None:
        return result
    if not drafts:
        error(None, None, "the file has a header row but no people in it")
        return result
    if existing is None:
        existing = existing_reporting_lines()
    first_rows = _check_duplicate_emails(drafts, error)
    manager_rows = _check_managers(drafts, first_rows, existing, error)
    _check_cycles(drafts, first_rows, existing, error)
    for draft in drafts:
        if draft.row not in result.bad_rows:
            result.records.append(
                PersonRow(
                    row=draft.row,
                    source=source,
                    manager_row=manager_rows.get(draft.row),
                    given=draft.given,
                    # `fields` holds PersonRow's other fields by name, each of its type
                    # (`_parse_row` sets them); a dict of `object` cannot say so.
                    **draft.fields,  # type: ignore[arg-type]
                )
            )
    result.errors.sort(key=lambda e: e.row or 0)
    return result


# -- reading the file ---------------------------------------------------------------------


def _read_text(file: PeopleFile) -> str:
    """The file's text; raises UnreadableFile with a sentence that says what to do."""
    return read_upload_text(
        file,
        max_bytes=MAX_FILE_BYTES,
        size_hint="5,000 people take about half a megabyte. Is this the right file?",
    )


def _read_rows(text: str, error: ErrorSink) -> list[_Draft] | None:
    """Read the header and each row; None when the header or the quoting is unusable."""
    rows = CsvRows(text, delimiter=PEOPLE_COLUMNS.guess_delimiter(first_line(text)), error=error)
    columns = rows.header(PEOPLE_COLUMNS)
    if columns is None:
        return None
    given = frozenset(column for column in OPTIONAL_COLUMNS if column in columns)
    drafts = []
    for row, cells in rows:
        # A cell exported by productops reads back as it was ('=x written for =x).
        values = {
            column: unescape_cell(cells[i]) if i < len(cells) else ""
            for column, i in columns.items()
        }
        if any(value.strip() for value in values.values()):
            drafts.append(_parse_row(row, values, given, error))
    if rows.broken:
        # Once the quoting is off every later row may be misread, so nothing is trusted.
        return None
    _use_one_spelling_per_team(drafts)
    return drafts


# -- one row ------------------------------------------------------------------------------


def _parse_row(row: int, values: dict[str, str], given: frozenset[str], error: ErrorSink) -> _Draft:
    draft = _Draft(row=row, given=given)

    def text(column: str, limit: int, *, required: bool = False) -> str:
        value = values.get(column, "").strip()
        if required and not value:
            error(row, column, f"{column} is required")
        elif "\x00" in value:
            error(row, column, "contains a NUL character, which cannot be stored")
        elif len(value) > limit:
            error(row, column, f"is {len(value)} characters long; at most {limit} fit")
        else:
            return value
        return ""  # so one bad cell is reported once, not again by later checks

    draft.fields["name"] = text("name", NAME_MAX, required=True)
    draft.fields["title"] = text("title", TITLE_MAX)
    draft.fields["level"] = text("level", LEVEL_MAX)

    email = _email(text("email", EMAIL_MAX, required=True), row, "email", error)
    draft.email = draft.fields["email"] = email

    discipline_text = values["discipline"].strip()
    if discipline_text:
        discipline = _choice(discipline_text, Discipline)
        if discipline is None:
            error(
                row,
                "discipline",
                f"unknown discipline '{shown(discipline_text)}'; use one of: {', '.join(Discipline.values)}",
            )
        draft.fields["discipline"] = discipline or ""
    else:
        error(row, "discipline", "discipline is required")

    manager_email = _email(values.get("manager_email", "").strip(), row, "manager_email", error)
    draft.manager_email = draft.fields["manager_email"] = manager_email
    draft.fields["teams"] = _teams(values, row, error)
    return draft


def _email(value: str, row: int, column: str, error: ErrorSink) -> str:
    if not value:
        return ""
    email = value.lower()
    try:
        validate_email(email)
    except ValidationError:
        error(row, column, f"'{shown(value)}' is not a valid email address")
        return ""
    return email


_SEPARATORS = re.compile(r"[\s\-_]+")


def _choice_key(text: str) -> str:
    return _SEPARATORS.sub("_", text.strip().lower())


@functools.cache
def _choice_lookup(choices: type[Discipline] | type[TeamRole]) -> dict[str, str]:
    """Every accepted spelling of each choice: its value, its label, its short forms."""
    short_forms = DISCIPLINE_SHORT_FORMS if choices is Discipline else TEAM_ROLE_SHORT_FORMS
    lookup = {_choice_key(short): str(choice.value) for short, choice in short_forms.items()}
    for value, label in choices.choices:
        lookup[_choice_key(str(label))] = value
        lookup[_choice_key(value)] = value
    return lookup


def _choice(text: str, choices: type[Discipline] | type[TeamRole]) -> str | None:
    """Match a value or its label in any case, with spaces or underscores, or a short form."""
    return _choice_lookup(choices).get(_choice_key(text))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(TEAM_SEPARATOR) if part.strip()]


def _teams(values: dict[str, str], row: int, error: ErrorSink) -> tuple[TeamPlacement, ...]:
    """A person may be on several teams: one role for all of them, or one role each."""
    teams = _team_names(_split(values.get("team", "")), row, error)
    role_texts = _split(values.get("team_role", ""))
    if role_texts and not teams:
        if teams is not None:  # an empty team cell, not a bad one
            error(row, "team_role", "a team role is given but the team column is empty")
        return ()
    roles = _team_roles(role_texts, row, error)
    if roles is None or teams is None:
        return ()
    if len(roles) > 1 and len(roles) != len(teams):
        error(
            row,
            "team_role",
            f"{len(roles)} team roles for {len(teams)} teams: give one role for all teams, "
            "or one role per team in the same order",
        )
        return ()
    if len(roles) <= 1:
        roles = [roles[0] if roles else TeamRole.OTHER.value] * len(teams)
    return tuple(TeamPlacement(team, role) for team, role in zip(teams, roles, strict=True))


def _team_names(teams: list[str], row: int, error: ErrorSink) -> list[str] | None:
    ok = True
    seen: set[str] = set()
    for team in teams:
        if team.casefold() in seen:
            error(row, "team", f"team '{shown(team)}' is listed twice")
            ok = False
        seen.add(team.casefold())
        if len(team) > TEAM_NAME_MAX:
            error(
                row,
                "team",
                f"a team name is {len(team)} characters long; at most {TEAM_NAME_MAX} fit",
            )
            ok = False
        if "\x00" in team:
            error(row, "team", "contains a NUL character, which cannot be stored")
            ok = False
    return teams if ok else None


def _team_roles(role_texts: list[str], row: int, error: ErrorSink) -> list[str] | None:
    roles = [_choice(text, TeamRole) for text in role_texts]
    unknown = [text for text, role in zip(role_texts, roles, strict=True) if role is None]
    for text in unknown:
        error(
            row,
            "team_role",
            f"unknown team role '{shown(text)}'; use one of: {', '.join(TeamRole.values)} "
            "(their labels such as 'Product manager', or pm and tl, work too)",
        )
    return None if unknown else [role for role in roles if role is not None]


def _use_one_spelling_per_team(drafts: Iterable[_Draft]) -> None:
    """'Checkout' and 'checkout' in one file are one team, named as first written."""
    spelling: dict[str, str] = {}
    for draft in drafts:
        placements = draft.fields.get("teams", ())
        assert isinstance(placements, tuple)  # `_teams` returns a tuple of TeamPlacement
        draft.fields["teams"] = tuple(
            TeamPlacement(spelling.setdefault(p.team.casefold(), p.team), p.role)
            for p in placements
        )


# -- checks across rows -------------------------------------------------------------------


def _check_duplicate_emails(drafts: list[_Draft], error: ErrorSink) -> dict[str, int]:
    """Map each email to the first row that has it; later rows with it are errors."""
    first_rows: dict[str, int] = {}
    for draft in drafts:
        if not draft.email:
            continue
        if draft.email in first_rows:
            error(
                draft.row,
                "email",
                f"duplicate email {draft.email}: row {first_rows[draft.email]} already has it",
            )
        else:
            first_rows[draft.email] = draft.row
    return first_rows


def _check_managers(
    drafts: list[_Draft],
    first_rows: Mapping[str, int],
    existing: Mapping[str, str | None],
    error: ErrorSink,
) -> dict[int, int]:
    """Each manager must be in the file or already in productops; returns row -> manager row."""
    manager_rows = {}
    for draft in drafts:
        manager = draft.manager_email
        if not manager:
            continue
        if manager == draft.email:
            error(draft.row, "manager_email", "a person cannot be their own manager")
        elif manager in first_rows:
            manager_rows[draft.row] = first_rows[manager]
        elif manager not in existing:
            error(
                draft.row,
                "manager_email",
                f"manager {manager} is neither in this file nor already in productops",
            )
    return manager_rows


def _check_cycles(
    drafts: list[_Draft],
    first_rows: Mapping[str, int],
    existing: Mapping[str, str | None],
    error: ErrorSink,
) -> None:
    """Reporting lines as they would be after the import must not loop."""
    lines = dict(existing)
    for draft in drafts:
        if draft.email and first_rows.get(draft.email) == draft.row:
            if "manager_email" in draft.given:
                lines[draft.email] = draft.manager_email or None
    for _email, row, path in rows_in_cycles(lines, first_rows):
        error(row, "manager_email", f"manager cycle: {describe_path(path, first_rows)}")


def find_manager_cycles(lines: Mapping[str, str | None]) -> list[list[str]]:
    """Every loop in the reporting lines (email -> manager email), each listed once.

    Each person has at most one manager, so following managers from each person either
    ends at the top or runs into a loop; remembering finished people keeps it linear.
    """
    finished: set[str] = set()
    cycles = []
    for start in lines:
        path: list[str] = []
        position: dict[str, int] = {}
        person: str | None = start
        while person is not None and person not in finished and person not in position:
            position[person] = len(path)
            path.append(person)
            manager = lines.get(person)
            person = None if manager == person else manager  # own manager is reported apart
        if person is not None and person in position:
            cycles.append(path[position[person] :])
        finished.update(path)
    return cycles


def rows_in_cycles(
    lines: Mapping[str, str | None], rows: Mapping[str, int]
) -> list[tuple[str, int, list[str]]]:
    """(email, row, loop starting from that person) for each row on a reporting loop."""
    found = []
    for cycle in find_manager_cycles(lines):
        for index, email in enumerate(cycle):
            if email in rows:
                found.append((email, rows[email], [*cycle[index:], *cycle[:index], email]))
    return found


def describe_path(path: list[str], rows: Mapping[str, int]) -> str:
    return " → ".join(
        email if email in rows else f"{email} (already in productops)" for email in path
    )
