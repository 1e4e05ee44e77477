"""Communities API: communities and book clubs, their sessions, attendance, and the
participation report by discipline.

The same actions and `coaching.visibility` rules as the pages: every logged-in user
reads communities and the report; viewers get counts, never a name (organizer,
facilitator and attendees come back empty). Refusals answer 403 with the action's
sentence, invalid input 422, unknown ids 404.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. Schemas carry a `Community` prefix so their OpenAPI
names stay apart from the other areas' schemas.
"""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from productops.coaching import communities as community_figures
from productops.coaching import visibility
from productops.coaching.actions import (
    do_add_session,
    do_create_community,
    do_set_attendance,
)
from productops.coaching.models import Community, CommunitySession
from productops.coaching.participation import choose_period, load_participation
from productops.coaching.schemas.communities import (
    CommunityAttendanceIn,
    CommunityIn,
    CommunityOut,
    CommunityParticipationOut,
    CommunityPeriodIn,
    CommunitySessionDetailOut,
    CommunitySessionIn,
    CommunitySessionOut,
)
from productops.org.models import Person

router = Router(tags=["coaching: communities"])


# -- helpers ------------------------------------------------------------------------------


def _person_or_422(person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise HttpError(422, f"No person has the id {person_id} ({field}).")
    return person


def _ref(person: Person | None, sees_names: bool) -> Person | None:
    return person if sees_names else None


def _community(community: Community, sees_names: bool) -> dict[str, Any]:
    """The community must come annotated with session_count, people and last_session."""
    return {
        "id": community.pk,
        "name": community.name,
        "kind": community.kind,
        "description": community.description,
        "book": community.book,
        "organizer": _ref(community.organizer, sees_names),
        "sessions": community.session_count,  # type: ignore[attr-defined]
        "people": community.people,  # type: ignore[attr-defined]
        "last_session": community.last_session,  # type: ignore[attr-defined]
    }


def _session(session: CommunitySession, sees_names: bool, attendees: int) -> dict[str, Any]:
    return {
        "id": session.pk,
        "community_id": session.community_id,
        "date": session.date,
        "topic": session.topic,
        "facilitator": _ref(session.facilitator, sees_names),
        "attendees": attendees,
    }


def _session_detail(session: CommunitySession, sees_names: bool) -> dict[str, Any]:
    mix = community_figures.session_mix(session)
    people = (
        session.attendees.order_by("name", "pk").values_list("pk", "name", "discipline")
        if sees_names
        else []
    )
    return {
        **_session(session, sees_names, mix.count),
        "by_discipline": mix.by_discipline,
        "people": [
            {"id": pk, "name": name, "discipline": discipline} for pk, name, discipline in people
        ],
    }


def _session_or_404(session_id: int) -> CommunitySession:
    return get_object_or_404(
        CommunitySession.objects.select_related("community", "facilitator"), pk=session_id
    )


# -- communities --------------------------------------------------------------------------


@router.get(
    "/communities",
    response=list[CommunityOut],
    summary="Communities of practice and book clubs",
)
@paginate
def list_communities(request: HttpRequest):
    sees_names = visibility.sees_attendee_names(request.user)
    return [_community(c, sees_names) for c in community_figures.list_communities()]


@router.post(
    "/communities",
    response={201: CommunityOut},
    summary="Start a community or book club (admins and managers)",
)
def create_community(request: HttpRequest, payload: CommunityIn):
    if not visibility.can_manage_communities(request.user):
        # Refused before looking up anyone, so the answer says nothing about who exists.
        raise HttpError(403, "Only admins and managers create communities and their sessions.")
    community = do_create_community(
        request.user,
        name=payload.name,
        kind=payload.kind,
        description=payload.description,
        book=payload.book,
        organizer=_person_or_422(payload.organizer_id, "organizer_id"),
    )
    return 201, _community(community_figures.list_communities().get(pk=community.pk), True)


@router.get("/communities/{community_id}", response=CommunityOut)
def get_community(request: HttpRequest, community_id: int):
    community = get_object_or_404(community_figures.list_communities(), pk=community_id)
    return _community(community, visibility.sees_attendee_names(request.user))


@router.get(
    "/communities/{community_id}/sessions",
    response=list[CommunitySessionOut],
    summary="A community's sessions, newest first, with attendance counts",
)
@paginate
def list_sessions(request: HttpRequest, community_id: int):
    community = get_object_or_404(Community, pk=community_id)
    sees_names = visibility.sees_attendee_names(request.user)
    sessions = (
        community.sessions.select_related("facilitator")
        .annotate(attendee_count=Count("attendance"))
        .order_by("-date", "-pk")
    )
    return [_session(s, sees_names, s.attendee_count) for s in sessions]


@router.post(
    "/communities/{community_id}/sessions",
    response={201: CommunitySessionOut},
    summary="Add a session, past or planned (admins and managers)",
)
def add_session(request: HttpRequest, community_id: int, payload: CommunitySessionIn):
    community = get_object_or_404(Community, pk=community_id)
    if not visibility.can_manage_communities(request.user):
        raise HttpError(403, "Only admins and managers create communities and their sessions.")
    session = do_add_session(
        request.user,
        community,
        date=payload.date,
        topic=payload.topic,
        facilitator=_person_or_422(payload.facilitator_id, "facilitator_id"),
    )
    return 201, _session(session, True, 0)


# -- sessions and attendance --------------------------------------------------------------


@router.get(
    "/communities/sessions/{session_id}",
    response=CommunitySessionDetailOut,
    summary="One session: who attended (counts only for viewers)",
)
def get_session(request: HttpRequest, session_id: int):
    session = _session_or_404(session_id)
    return _session_detail(session, visibility.sees_attendee_names(request.user))


@router.put(
    "/communities/sessions/{session_id}/attendance",
    response=CommunitySessionDetailOut,
    summary="Set who attended a session: replaces the whole list",
)
def set_attendance(request: HttpRequest, session_id: int, payload: CommunityAttendanceIn):
    session = _session_or_404(session_id)
    if not visibility.can_record_attendance(request.user, session):
        raise HttpError(
            403,
            "Only admins, managers, the community's organizer and the session's facilitator "
            "record attendance.",
        )
    wanted = set(payload.person_ids)
    people = list(Person.objects.filter(pk__in=wanted))
    if len(people) != len(wanted):
        missing = sorted(wanted - {person.pk for person in people})
        raise HttpError(422, f"No person has the id(s) {', '.join(map(str, missing))}.")
    do_set_attendance(request.user, session, people)
    return _session_detail(session, True)


# -- participation ------------------------------------------------------------------------


@router.get(
    "/participation",
    response=CommunityParticipationOut,
    summary="Who took part in community sessions, by discipline, over a period",
)
def participation(request: HttpRequest, filters: Query[CommunityPeriodIn]):
    try:
        period = choose_period(
            timezone.localdate(), days=filters.days, start=filters.start, end=filters.end
        )
    except ValueError as problem:
        raise HttpError(422, str(problem)) from None
    return load_participation(period).as_dict()
