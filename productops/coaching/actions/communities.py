"""Communities of practice and book clubs: communities, sessions and attendance."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from productops.accounts.roles import Login
from productops.coaching import visibility
from productops.coaching.models import (
    Attendance,
    Community,
    CommunitySession,
)
from productops.org.models import Person

COMMUNITY_REFUSED = (
    "Only admins and managers create communities and their sessions. Ask one of them to set it up."
)
ATTENDANCE_REFUSED = (
    "Only admins, managers, the community's organizer and the session's facilitator "
    "record attendance."
)


def _community_text(value: str, field: str, label: str, max_length: int | None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: f"{label} cannot be empty."})
    if max_length is not None and len(text) > max_length:
        raise ValidationError(
            {field: f"{label} is {len(text)} characters long; keep it to {max_length}."}
        )
    return text


def _community_person_active(person: Person | None, field: str, role: str) -> None:
    if person is not None and not person.active:
        raise ValidationError(
            {field: f"{person.name} has left the organization; choose someone active as {role}."}
        )


def check_community(
    *,
    name: str,
    kind: str,
    description: str = "",
    book: str = "",
    organizer: Person | None = None,
) -> dict[str, Any]:
    """A new community's fields, cleaned; a ValidationError names the field at fault."""
    name = _community_text(name, "name", "The name", Community._meta.get_field("name").max_length)
    if kind not in Community.Kind.values:
        choices = ", ".join(Community.Kind.values)
        raise ValidationError(
            {"kind": f"'{kind}' is not a kind of community; use one of {choices}."}
        )
    book = (book or "").strip()
    if kind == Community.Kind.BOOK_CLUB:
        book = _community_text(book, "book", "A book club's book", 300)
    elif book:
        raise ValidationError(
            {
                "book": "Only a book club reads a book; leave the book empty for a "
                "community of practice."
            }
        )
    if Community.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"A community named “{name}” already exists."})
    _community_person_active(organizer, "organizer", "organizer")
    return {
        "name": name,
        "kind": kind,
        "description": (description or "").strip(),
        "book": book,
        "organizer": organizer,
    }


def do_create_community(
    user: Login,
    *,
    name: str,
    kind: str = Community.Kind.COMMUNITY,
    description: str = "",
    book: str = "",
    organizer: Person | None = None,
) -> Community:
    if not visibility.can_manage_communities(user):
        raise PermissionDenied(COMMUNITY_REFUSED)
    fields = check_community(
        name=name, kind=kind, description=description, book=book, organizer=organizer
    )
    try:
        with transaction.atomic():
            return Community.objects.create(**fields)
    except IntegrityError:  # created by someone else a moment ago
        raise ValidationError(
            {"name": f"A community named “{fields['name']}” already exists."}
        ) from None


def check_session(
    community: Community, *, date: datetime.date, topic: str, facilitator: Person | None = None
) -> dict[str, Any]:
    if not isinstance(date, datetime.date):
        raise ValidationError({"date": "Give the session's date as YYYY-MM-DD."})
    topic = _community_text(
        topic, "topic", "The topic", CommunitySession._meta.get_field("topic").max_length
    )
    _community_person_active(facilitator, "facilitator", "facilitator")
    if community.sessions.filter(date=date, topic__iexact=topic).exists():
        raise ValidationError(
            {"topic": f"{community.name} already has a session on {date:%Y-%m-%d} about “{topic}”."}
        )
    return {"date": date, "topic": topic, "facilitator": facilitator}


def do_add_session(
    user: Login,
    community: Community,
    *,
    date: datetime.date,
    topic: str,
    facilitator: Person | None = None,
) -> CommunitySession:
    """A session, past or planned: logging one after the fact is allowed."""
    if not visibility.can_manage_communities(user):
        raise PermissionDenied(COMMUNITY_REFUSED)
    fields = check_session(community, date=date, topic=topic, facilitator=facilitator)
    return CommunitySession.objects.create(community=community, **fields)


def check_attendance(user: Login, session: CommunitySession) -> None:
    if not visibility.can_record_attendance(user, session):
        raise PermissionDenied(ATTENDANCE_REFUSED)
    if session.date > timezone.localdate():
        raise ValidationError(
            f"This session is planned for {session.date:%Y-%m-%d}; record who came once it "
            "has taken place."
        )


def do_set_attendance(user: Login, session: CommunitySession, people: Iterable[Person]) -> int:
    """Replace who attended with exactly `people`, in one transaction; returns how many."""
    check_attendance(user, session)
    wanted = {person.pk for person in people}
    if None in wanted or Person.objects.filter(pk__in=wanted).count() != len(wanted):
        raise ValidationError("Every attendee must be a person in the organization.")
    with transaction.atomic():
        session.attendance.exclude(person_id__in=wanted).delete()
        Attendance.objects.bulk_create(
            [Attendance(session=session, person_id=pk) for pk in sorted(wanted)],
            ignore_conflicts=True,
        )
    return len(wanted)


def do_add_attendee(user: Login, session: CommunitySession, person: Person) -> bool:
    """Mark one person present; False when they already were (a double click is harmless)."""
    check_attendance(user, session)
    try:
        with transaction.atomic():
            _, created = Attendance.objects.get_or_create(session=session, person=person)
    except IntegrityError:  # the same click arrived twice at once
        created = False
    return created


def do_remove_attendee(user: Login, session: CommunitySession, person: Person) -> bool:
    """Mark one person absent; False when they were not marked present."""
    check_attendance(user, session)
    deleted, _ = session.attendance.filter(person=person).delete()
    return bool(deleted)
