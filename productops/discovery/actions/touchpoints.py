"""Touchpoint writes: log, change, delete, import (`check_*` then `do_*`)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from productops.accounts.roles import Login
from productops.accounts.roles import author_of as _author
from productops.discovery import visibility as discovery_visibility
from productops.discovery.importers.touchpoints_csv import (
    TouchpointRow,
    TouchpointsFile,
    parse_touchpoints_file,
    touchpoints_context,
)
from productops.discovery.models import (
    SEGMENT_MAX_CHARS,
    Touchpoint,
    TouchpointKind,
)
from productops.imports import ImportReport, ParseResult, RowError
from productops.org.models import Person, Team, TeamMembership


@dataclass(frozen=True)
class TouchpointInput:
    """What a person fills in when logging a touchpoint (the form, the API, a CSV row)."""

    date: datetime.date
    kind: str
    participant_ids: frozenset[int] = frozenset()
    segment: str = ""
    customers: int = 1
    notes: str = ""
    insights: str = ""


def check_log_touchpoint(user: Login, team: Team) -> None:
    if not discovery_visibility.can_log_touchpoint(user, team):
        raise PermissionDenied(
            f"Only the members of {team.name}, managers and admins log its touchpoints. "
            "Ask someone on the team to log it."
        )


def check_touchpoint_input(team: Team, data: TouchpointInput) -> None:
    """Every problem at once, by field: ValidationError({field: sentence})."""
    problems: dict[str, str] = {}
    if data.kind not in TouchpointKind.values:
        problems["kind"] = f"Pick a kind of touchpoint: {', '.join(TouchpointKind.values)}."
    if data.date > timezone.localdate():
        problems["date"] = "A touchpoint is logged once it took place: pick today or a past day."
    if data.customers < 1:
        problems["customers"] = "Give how many customers took part: a whole number, 1 or more."
    if len(data.segment) > SEGMENT_MAX_CHARS:
        problems["segment"] = f"Keep the customer segment under {SEGMENT_MAX_CHARS} characters."
    members = set(TeamMembership.objects.filter(team=team).values_list("person_id", flat=True))
    outsiders = set(data.participant_ids) - members
    if outsiders:
        names = ", ".join(
            Person.objects.filter(pk__in=outsiders).order_by("name").values_list("name", flat=True)
        )
        problems["participants"] = (
            f"Participants are members of {team.name}; {names or 'an unknown person'} is not. "
            "Add them to the team first, or leave them out."
        )
    if problems:
        raise ValidationError(problems)


def _write_touchpoint(touchpoint: Touchpoint, data: TouchpointInput) -> Touchpoint:
    touchpoint.date = data.date
    touchpoint.kind = data.kind
    touchpoint.segment = data.segment.strip()
    touchpoint.customers = data.customers
    touchpoint.notes = data.notes.strip()
    touchpoint.insights = data.insights.strip()
    touchpoint.save()
    touchpoint.participants.set(data.participant_ids)
    return touchpoint


def do_log_touchpoint(user: Login, team: Team, data: TouchpointInput) -> Touchpoint:
    check_log_touchpoint(user, team)
    check_touchpoint_input(team, data)
    with transaction.atomic():
        return _write_touchpoint(Touchpoint(team=team, created_by=_author(user)), data)


def do_update_touchpoint(user: Login, touchpoint: Touchpoint, data: TouchpointInput) -> Touchpoint:
    check_log_touchpoint(user, touchpoint.team)
    check_touchpoint_input(touchpoint.team, data)
    with transaction.atomic():
        return _write_touchpoint(touchpoint, data)


def do_delete_touchpoint(user: Login, touchpoint: Touchpoint) -> None:
    check_log_touchpoint(user, touchpoint.team)
    with transaction.atomic():
        touchpoint.delete()


def check_import_touchpoints(user: Login) -> None:
    if not discovery_visibility.can_import_touchpoints(user):
        raise PermissionDenied(
            "Only admins and managers import touchpoints. Log yours from your team's page."
        )


def import_touchpoints_file(
    file: TouchpointsFile,
    *,
    skip_invalid: bool = False,
    created_by: Login | None = None,
    source: str = "",
) -> ImportReport:
    """Check and write a touchpoints CSV: a path, or an open file such as an upload.

    The page and `import_touchpoints` make this call; `source` names the file in each error.
    """
    result = parse_touchpoints_file(file, context=touchpoints_context(), source=source)
    return do_import_touchpoints(result, created_by=created_by, skip_invalid=skip_invalid)


def do_import_touchpoints(
    result: ParseResult[TouchpointRow],
    *,
    created_by: Login | None = None,
    skip_invalid: bool = False,
) -> ImportReport:
    """Write parsed touchpoints in one transaction: all rows, or with skip_invalid the good ones.

    A row that matches a touchpoint already there (same team, date, kind, segment and
    notes) is left unchanged, so importing the same file again writes nothing new.
    """
    file_problems = [error for error in result.errors if (error.row or 0) <= 1]
    if file_problems or (result.errors and not skip_invalid):
        return ImportReport(errors=list(result.errors), written=False)
    if not result.records:
        reason = "no row could be imported, so nothing was written"
        errors = [*result.errors, RowError(None, None, reason)]
        return ImportReport(errors=errors, skipped=len(result.bad_rows), written=False)
    rows = result.records
    existing = Counter(
        Touchpoint.objects.filter(
            team_id__in={row.team_id for row in rows},
            date__gte=min(row.date for row in rows),
            date__lte=max(row.date for row in rows),
        ).values_list("team_id", "date", "kind", "segment", "notes")
    )
    user = _author(created_by)
    created = unchanged = 0
    with transaction.atomic():
        new: list[tuple[Touchpoint, frozenset[int]]] = []
        for row in rows:
            key = (row.team_id, row.date, row.kind, row.segment, row.notes)
            if existing[key] > 0:
                existing[key] -= 1
                unchanged += 1
                continue
            touchpoint = Touchpoint(
                team_id=row.team_id,
                date=row.date,
                kind=row.kind,
                segment=row.segment,
                customers=row.customers,
                notes=row.notes,
                insights=row.insights,
                created_by=user,
            )
            new.append((touchpoint, row.participant_ids))
            created += 1
        Touchpoint.objects.bulk_create([touchpoint for touchpoint, _ in new])
        Link = Touchpoint.participants.through
        Link.objects.bulk_create(
            Link(touchpoint_id=touchpoint.pk, person_id=person)
            for touchpoint, people in new
            for person in sorted(people)
        )
    return ImportReport(
        created=created,
        unchanged=unchanged,
        skipped=len(result.bad_rows),
        errors=list(result.errors),
        written=True,
    )
