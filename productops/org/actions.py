"""Writes for the org: people, their managers and their teams.

The upload view, the API and the `import-people` command all call these functions, so an
import behaves the same wherever it starts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, CharField, IntegerField, Value, When

from productops.imports import ImportRejected, ImportReport, ParseResult, RowError
from productops.org.importers.people_csv import (
    FIRST_DATA_ROW,
    PeopleFile,
    PersonRow,
    describe_path,
    parse_people_file,
    rows_in_cycles,
)
from productops.org.models import Person, Team, TeamMembership


def import_people_file(
    file: PeopleFile, *, skip_invalid: bool = False, source: str = ""
) -> ImportReport:
    """Check and write a people file: a path, or an open file such as an upload.

    `source` names the file in each error, for pages that list problems of several files.
    """
    return do_import_people(parse_people_file(file, source=source), skip_invalid=skip_invalid)


@dataclass
class PeopleImportPlan:
    """The rows an import writes, and for every row it leaves out, why."""

    rows: list[PersonRow]
    errors: list[RowError]
    skipped_rows: set[int] = field(default_factory=set)


def check_people_import(
    result: ParseResult[PersonRow],
    reporting_lines: Mapping[str, str | None],
    *,
    skip_invalid: bool = False,
) -> PeopleImportPlan:
    """Decide which rows can be written against productops as it is now.

    The parser judged the file as a whole. Leaving rows out changes that judgement: a
    person whose manager's row is left out has no manager to point at, and a left-out
    row keeps its current manager, which can close a reporting loop the file itself did
    not have. Both are found here and leave out more rows, until nothing changes.
    `reporting_lines` maps every email in productops to its manager's email.
    """
    skipped = {row for row in result.bad_rows if row >= FIRST_DATA_ROW}
    errors = list(result.errors)
    kept = {row.row: row for row in result.records if row.row not in skipped}

    def leave_out(row: PersonRow, reason: str) -> None:
        errors.append(RowError(row.row, "manager_email", reason, source=row.source))
        skipped.add(row.row)
        del kept[row.row]

    for row in list(kept.values()):
        if (
            row.manager_email
            and row.manager_row is None
            and row.manager_email not in reporting_lines
        ):
            leave_out(row, f"manager {row.manager_email} is no longer in productops")
    while True:
        orphans = [row for row in kept.values() if row.manager_row in skipped]
        for row in orphans:
            leave_out(row, f"manager row {row.manager_row} was skipped")
        if orphans:
            continue
        looping = _rows_on_loops(kept.values(), reporting_lines)
        for row, path in looping:
            leave_out(
                row,
                f"manager cycle once the skipped rows keep their current manager: {path}",
            )
        if not looping:
            break
    errors.sort(key=lambda error: error.row or 0)
    if not skip_invalid and skipped:
        skipped = set()  # nothing is written, so nothing is skipped either
    return PeopleImportPlan(
        rows=sorted(kept.values(), key=lambda r: r.row), errors=errors, skipped_rows=skipped
    )


def _rows_on_loops(
    rows: Iterable[PersonRow], reporting_lines: Mapping[str, str | None]
) -> list[tuple[PersonRow, str]]:
    by_email = {row.email: row for row in rows}
    lines = dict(reporting_lines)
    for row in by_email.values():
        if row.says("manager_email"):
            lines[row.email] = row.manager_email or None
    row_numbers = {email: row.row for email, row in by_email.items()}
    return [
        (by_email[email], describe_path(path, row_numbers))
        for email, _, path in rows_in_cycles(lines, row_numbers)
    ]


def do_import_people(result: ParseResult[PersonRow], *, skip_invalid: bool = False) -> ImportReport:
    """Write parsed people in one transaction: all rows, or with skip_invalid the good ones.

    People are matched by email, so importing the same file twice changes nothing the
    second time. Writes are in bulk, so the number of queries does not grow with the
    number of rows.
    """
    file_problems = [error for error in result.errors if (error.row or 0) < FIRST_DATA_ROW]
    if file_problems or (result.errors and not skip_invalid):
        return ImportReport(errors=list(result.errors), written=False)
    try:
        with transaction.atomic():
            return _write(result, skip_invalid=skip_invalid)
    except ImportRejected as rejected:
        return rejected.report
    except IntegrityError as problem:
        # Rows were checked against the database a moment ago, so this means someone
        # changed people or teams at the same time.
        reason = (
            f"productops changed while importing ({problem}); nothing was written. "
            "Import the file again."
        )
        return ImportReport(errors=[RowError(None, None, reason)], written=False)


def _write(result: ParseResult[PersonRow], *, skip_invalid: bool) -> ImportReport:
    people = {person.email.lower(): person for person in Person.objects.all()}
    emails_by_id = {person.pk: email for email, person in people.items()}
    reporting_lines = {
        email: emails_by_id.get(person.manager_id) if person.manager_id is not None else None
        for email, person in people.items()
    }
    plan = check_people_import(result, reporting_lines, skip_invalid=skip_invalid)
    if plan.errors and (not skip_invalid or not plan.rows):
        raise ImportRejected(
            ImportReport(errors=plan.errors, skipped=len(plan.skipped_rows), written=False)
        )
    created = _create_new_people(plan.rows, people)
    changed = _update_people(plan.rows, people)
    changed |= _set_teams(plan.rows, people)
    changed -= created
    return ImportReport(
        created=len(created),
        updated=len(changed),
        unchanged=len(plan.rows) - len(created) - len(changed),
        skipped=len(plan.skipped_rows),
        errors=plan.errors,
        written=True,
    )


def _create_new_people(rows: list[PersonRow], people: dict[str, Person]) -> set[str]:
    """Insert the people productops does not know yet; managers come in the next pass."""
    new = [
        Person(
            email=row.email,
            name=row.name,
            discipline=row.discipline,
            title=row.title,
            level=row.level,
        )
        for row in rows
        if row.email not in people
    ]
    Person.objects.bulk_create(new)
    if any(person.pk is None for person in new):  # a database that returns no ids
        new = list(Person.objects.filter(email__in=[person.email for person in new]))
    people.update((person.email, person) for person in new)
    return {person.email for person in new}


def _update_people(rows: list[PersonRow], people: Mapping[str, Person]) -> set[str]:
    """Set fields and managers; everyone exists by now, so file order does not matter."""
    new_values: dict[str, dict[int, str | int | None]] = defaultdict(dict)
    changed = set()
    for row in rows:
        person = people[row.email]
        wanted: dict[str, str | int | None] = {"name": row.name, "discipline": row.discipline}
        wanted.update(
            {column: getattr(row, column) for column in ("title", "level") if row.says(column)}
        )
        if row.says("manager_email"):
            wanted["manager_id"] = people[row.manager_email].pk if row.manager_email else None
        for column, value in wanted.items():
            if getattr(person, column) != value:
                setattr(person, column, value)
                new_values[column][person.pk] = value
                changed.add(row.email)
    for column, values in new_values.items():
        _set_column(column, values)
    return changed


def _set_column(column: str, values: Mapping[int, str | int | None]) -> None:
    """Set one column of many people (by id) in a few UPDATEs, grouped by value.

    Django's bulk_update builds one expression per person and column, which takes seconds
    for a few thousand people; people often share the value (a manager, a new title), so
    grouping needs far fewer.
    """
    # Each person costs two query parameters (the WHERE and the WHEN), each value one.
    # PostgreSQL declares no limit; its wire protocol stops at 65,535.
    batch_size = (connection.features.max_query_params or 65_535) // 3
    cleared = [person_id for person_id, value in values.items() if value is None]
    for batch in _batches(cleared, batch_size):
        # Apart from the CASE below: PostgreSQL reads a CASE of only NULLs as text.
        Person.objects.filter(pk__in=batch).update(**{column: None})
    output_field = IntegerField() if column == "manager_id" else CharField()
    assigned = {person_id: value for person_id, value in values.items() if value is not None}
    for batch in _batches(list(assigned), batch_size):
        people_by_value: dict[str | int, list[int]] = defaultdict(list)
        for person_id in batch:
            people_by_value[assigned[person_id]].append(person_id)
        Person.objects.filter(pk__in=batch).update(
            **{
                column: Case(
                    *(When(pk__in=ids, then=Value(v)) for v, ids in people_by_value.items()),
                    output_field=output_field,
                )
            }
        )


def _batches(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _teams_by_name(rows: list[PersonRow]) -> dict[str, Team]:
    """The teams the file names, matched ignoring case, created when missing."""
    names = {p.team.casefold(): p.team for row in rows for p in row.teams}
    teams: dict[str, Team] = {}
    for team in Team.objects.order_by("pk"):
        key = team.name.casefold()
        # Two teams differing only in case: the exact spelling wins.
        if key not in teams or names.get(key) == team.name:
            teams[key] = team
    missing = [Team(name=name) for key, name in names.items() if key not in teams]
    Team.objects.bulk_create(missing)
    if any(team.pk is None for team in missing):
        missing = list(Team.objects.filter(name__in=[team.name for team in missing]))
    teams.update((team.name.casefold(), team) for team in missing)
    return teams


def _set_teams(rows: list[PersonRow], people: Mapping[str, Person]) -> set[str]:
    """Make each person's memberships exactly what the file says, when it has a team column."""
    rows = [row for row in rows if row.says("team")]
    if not rows:
        return set()
    teams = _teams_by_name(rows)
    person_ids = {people[row.email].pk: row.email for row in rows}
    current: dict[int, dict[int, TeamMembership]] = defaultdict(dict)
    # All memberships in one query: no per-person queries, and no long IN lists.
    for membership in TeamMembership.objects.only("pk", "team_id", "person_id", "role"):
        if membership.person_id in person_ids:
            current[membership.person_id][membership.team_id] = membership
    to_create, to_update, to_delete = [], [], []
    changed = set()
    for row in rows:
        person = people[row.email]
        wanted = {teams[p.team.casefold()].pk: p.role for p in row.teams}
        have = current[person.pk]
        for team_id, membership in have.items():
            if team_id not in wanted:
                to_delete.append(membership.pk)
                changed.add(row.email)
            elif membership.role != wanted[team_id]:
                membership.role = wanted[team_id]
                to_update.append(membership)
                changed.add(row.email)
        for team_id, role in wanted.items():
            if team_id not in have:
                to_create.append(TeamMembership(team_id=team_id, person=person, role=role))
                changed.add(row.email)
    if to_delete:
        TeamMembership.objects.filter(pk__in=to_delete).delete()
    TeamMembership.objects.bulk_update(to_update, ["role"])
    TeamMembership.objects.bulk_create(to_create)
    return changed


def do_clear_org() -> None:
    """Remove every person and team (and so every membership): `productops demo --reset`."""
    with transaction.atomic():
        TeamMembership.objects.all().delete()
        Team.objects.update(parent=None)
        Team.objects.all().delete()
        Person.objects.update(manager=None)
        Person.objects.all().delete()
