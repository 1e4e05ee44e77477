"""1:1 API: series with their cadence health, 1:1s with their agenda, notes, actions and
the cadence report.

The same actions (the 1:1s section of `coaching.actions`), computations (`cadence`,
`agenda`) and `coaching.visibility` rules as the pages: a series or 1:1 the user may not
see answers 404, a refusal 403 with the action's sentence, invalid input 422, and saving
shared notes over someone else's newer save 409 with the text they saved. Viewers get the
cadence report's counts and nothing with a name in it.

Private notes: only the caller's own, ever. `GET /one-on-ones/{id}/private-note` reads
the caller's note and nobody else's; an admin who is not in the 1:1 gets 404, never
the text of a participant's note. While the caller's password is one someone else set
(`accounts.password_notices`), their own note answers 403 too, to a token as well. Each
answer says who reads the note (`visible_to`), and a 1:1's detail who reads its shared
notes (`shared_notes_visible_to`), in the page's words.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. Schemas carry a `OneOnOne` prefix so their OpenAPI
names stay apart from the other areas' schemas.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.pagination import paginate

from productops.accounts.password_notices import NOTES_LOCKED
from productops.accounts.roles import Login, person_id_of
from productops.coaching import visibility
from productops.coaching.actions import (
    StaleNotes,
    do_add_action,
    do_add_talking_point,
    do_create_series,
    do_mark_held,
    do_save_private_note,
    do_save_shared_notes,
    do_schedule_one_on_one,
    do_set_action_status,
)
from productops.coaching.agenda import ActionLine, Agenda, load_agenda
from productops.coaching.cadence import SeriesHealth, load_cadence
from productops.coaching.models import ActionItem, OneOnOne, OneOnOneSeries
from productops.coaching.schemas.one_on_ones import (
    OneOnOneActionIn,
    OneOnOneActionOut,
    OneOnOneActionStatusIn,
    OneOnOneCadenceOut,
    OneOnOneCadenceParams,
    OneOnOneDetailOut,
    OneOnOneHealthOut,
    OneOnOneIn,
    OneOnOneOut,
    OneOnOnePrivateNoteIn,
    OneOnOnePrivateNoteOut,
    OneOnOneSeriesDetailOut,
    OneOnOneSeriesIn,
    OneOnOneSeriesOut,
    OneOnOneSharedNotesIn,
    OneOnOneSharedNotesOut,
    OneOnOneStaleNotesOut,
    OneOnOneTalkingPointIn,
    OneOnOneTalkingPointOut,
)
from productops.org import visibility as org_visibility
from productops.org.models import Person

router = Router(tags=["coaching: one_on_ones"])

AGGREGATES_ONLY = (
    "1:1 series name the people in them; your role sees the cadence report's counts only "
    "(GET /api/coaching/cadence)."
)


# -- helpers ------------------------------------------------------------------------------


def _require_names(request: HttpRequest) -> None:
    if not visibility.sees_series_names(request.user):
        raise HttpError(403, AGGREGATES_ONLY)


def _person_or_404(user: Login, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not org_visibility.can_see_person(user, person):
        raise Http404(f"No such person (id {person_id})")
    return person


def _health(health: SeriesHealth) -> dict[str, Any]:
    out = health.as_dict()
    return {key: out[key] for key in OneOnOneHealthOut.model_fields}


SERIES_FIELDS = ("lead", "report", "kind", "cadence", "duration_minutes", "start_date", "active")


def _series_out(health: SeriesHealth) -> dict[str, Any]:
    out = health.as_dict()
    return {
        "id": out["series_id"],
        **{key: out[key] for key in SERIES_FIELDS},
        "health": {key: out[key] for key in OneOnOneHealthOut.model_fields},
        "calendar_url": reverse("coaching:series_ics", args=[out["series_id"]]),
    }


def _one_series(series: OneOnOneSeries) -> dict[str, Any]:
    report = load_cadence(OneOnOneSeries.objects.filter(pk=series.pk), today=timezone.localdate())
    return _series_out(report.series[0])


def _action(action: ActionItem) -> dict[str, Any]:
    return {
        "id": action.pk,
        "series_id": action.series_id,
        "raised_in_id": action.raised_in_id,
        "text": action.text,
        "owner": action.owner,
        "due_date": action.due_date,
        "status": action.status,
        "overdue": action.is_overdue,
    }


def _meeting(meeting: OneOnOne) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "series_id": meeting.series_id,
        "date": meeting.date,
        "status": meeting.status,
        "notes_revision": meeting.notes_revision,
    }


def _agenda_action(line: ActionLine) -> dict[str, Any]:
    action = line.action
    return {
        "id": action.pk,
        "text": action.text,
        "owner": {"id": action.owner_id, "name": action.owner_name},
        "status": action.status,
        "due_date": action.due_date,
        "overdue": line.overdue,
        "origin": line.origin,
    }


def _agenda(agenda: Agenda) -> dict[str, Any]:
    return {
        "since": agenda.since,
        "carried_actions": [_agenda_action(line) for line in agenda.carried_actions],
        "goals": [
            {
                "goal_id": line.goal.pk,
                "plan_id": line.goal.plan_id,
                "competency": line.goal.competency_name,
                "target_step": line.goal.target_step,
                "target_date": line.goal.target_date,
                "due": line.due,
                "due_reason": line.goal.due_reason,
                "checked_in_here": (
                    {
                        "id": line.checked_in_here.pk,
                        "date": line.checked_in_here.date,
                        "status": line.checked_in_here.status,
                        "note": line.checked_in_here.note,
                    }
                    if line.checked_in_here
                    else None
                ),
            }
            for line in agenda.goals
        ],
        "changes": [
            {"kind": change.kind, "text": change.text, "on": change.on} for change in agenda.changes
        ],
        "talking_points": [
            {
                "id": point.pk,
                "text": point.text,
                "author": point.author_name,
                "created_at": point.created_at,
                "discussed": point.discussed,
            }
            for point in agenda.talking_points
        ],
        "raised_here": [_agenda_action(line) for line in agenda.raised_here],
    }


def _meeting_detail(request: HttpRequest, meeting: OneOnOne) -> dict[str, Any]:
    return {
        **_meeting(meeting),
        "series": _one_series(meeting.series),
        "shared_notes": meeting.shared_notes,
        "shared_notes_visible_to": visibility.shared_note_readers(meeting.series).sentence_for(
            request.user
        ),
        "agenda": _agenda(load_agenda(meeting, user=request.user)),
    }


def _private(text: str, updated_at: Any) -> dict[str, Any]:
    return {"text": text, "updated_at": updated_at, "visible_to": visibility.private_note_readers()}


# -- series -------------------------------------------------------------------------------


@router.get(
    "/series",
    response=list[OneOnOneSeriesOut],
    summary="The 1:1 series you may see, with their cadence health, neediest first",
)
@paginate
def list_series(request: HttpRequest):
    _require_names(request)
    report = load_cadence(visibility.visible_series(request.user), today=timezone.localdate())
    return [_series_out(health) for health in report.series]


@router.post("/series", response={201: OneOnOneSeriesOut}, summary="Start a 1:1 series")
def create_series(request: HttpRequest, payload: OneOnOneSeriesIn):
    _require_names(request)
    lead_id = payload.lead_id if payload.lead_id is not None else person_id_of(request.user)
    if lead_id is None:
        raise HttpError(422, "Your login is not linked to a person: give lead_id.")
    series = do_create_series(
        request.user,
        lead=_person_or_404(request.user, lead_id),
        report=_person_or_404(request.user, payload.report_id),
        kind=payload.kind,
        cadence=payload.cadence,
        duration_minutes=payload.duration_minutes,
        start_date=payload.start_date or timezone.localdate(),
    )
    return 201, _one_series(series)


@router.get(
    "/series/{series_id}",
    response=OneOnOneSeriesDetailOut,
    summary="A series with its cadence health and open actions",
)
def get_series(request: HttpRequest, series_id: int):
    series = visibility.series_or_404(request.user, series_id)
    actions = (
        series.actions.filter(status=ActionItem.Status.OPEN)
        .select_related("owner")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    return {**_one_series(series), "open_actions": [_action(action) for action in actions]}


@router.get(
    "/series/{series_id}/one-on-ones",
    response=list[OneOnOneOut],
    summary="The 1:1s of a series, newest first",
)
@paginate
def list_one_on_ones(request: HttpRequest, series_id: int):
    series = visibility.series_or_404(request.user, series_id)
    return [_meeting(meeting) for meeting in series.meetings.order_by("-date", "-pk")]


@router.post(
    "/series/{series_id}/one-on-ones",
    response={201: OneOnOneOut},
    summary="Plan a 1:1 (a past date logs one after the fact)",
)
def schedule_one_on_one(request: HttpRequest, series_id: int, payload: OneOnOneIn):
    series = visibility.series_or_404(request.user, series_id)
    return 201, _meeting(do_schedule_one_on_one(request.user, series, date=payload.date))


# -- one 1:1 ------------------------------------------------------------------------------


@router.get(
    "/one-on-ones/{meeting_id}",
    response=OneOnOneDetailOut,
    summary="A 1:1 with its agenda: carried actions, goals due, changes, talking points",
)
def get_one_on_one(request: HttpRequest, meeting_id: int):
    return _meeting_detail(request, visibility.meeting_or_404(request.user, meeting_id))


@router.post("/one-on-ones/{meeting_id}/held", response=OneOnOneOut, summary="Mark a 1:1 held")
def mark_held(request: HttpRequest, meeting_id: int):
    meeting = visibility.meeting_or_404(request.user, meeting_id)
    return _meeting(do_mark_held(request.user, meeting))


@router.post(
    "/one-on-ones/{meeting_id}/talking-points",
    response={201: OneOnOneTalkingPointOut},
    summary="Add a talking point to a 1:1's agenda",
)
def add_talking_point(request: HttpRequest, meeting_id: int, payload: OneOnOneTalkingPointIn):
    meeting = visibility.meeting_or_404(request.user, meeting_id)
    point = do_add_talking_point(request.user, meeting, text=payload.text)
    person = getattr(request.user, "person", None)
    return 201, {
        "id": point.pk,
        "text": point.text,
        "author": person.name if person is not None else request.user.get_username(),
        "created_at": point.created_at,
        "discussed": point.discussed,
    }


@router.put(
    "/one-on-ones/{meeting_id}/shared-notes",
    response={200: OneOnOneSharedNotesOut, 409: OneOnOneStaleNotesOut},
    summary="Save the shared notes; 409 with the current text when someone saved since",
)
def save_shared_notes(request: HttpRequest, meeting_id: int, payload: OneOnOneSharedNotesIn):
    meeting = visibility.meeting_or_404(request.user, meeting_id)
    try:
        saved = do_save_shared_notes(
            request.user,
            meeting,
            text=payload.text,
            revision=payload.revision,
        )
    except StaleNotes as stale:
        return 409, {
            "detail": " ".join(stale.messages),
            "current_text": stale.current_text,
            "current_revision": stale.current_revision,
        }
    return {"text": saved.shared_notes, "revision": saved.notes_revision}


@router.get(
    "/one-on-ones/{meeting_id}/private-note",
    response=OneOnOnePrivateNoteOut,
    summary="Your own private note on a 1:1: nobody else's, whatever your role",
)
def get_private_note(request: HttpRequest, meeting_id: int):
    meeting = visibility.meeting_or_404(request.user, meeting_id)
    note = visibility.own_private_notes(request.user).filter(meeting=meeting).first()
    if note is not None:
        return _private(note.text, note.updated_at)
    if not visibility.is_participant(request.user, meeting.series):
        raise Http404("You have no private note on this 1:1.")
    if visibility.private_notes_locked(request.user):
        raise PermissionDenied(NOTES_LOCKED)
    return _private("", None)


@router.put(
    "/one-on-ones/{meeting_id}/private-note",
    response=OneOnOnePrivateNoteOut,
    summary="Save your own private note on a 1:1 you are in",
)
def save_private_note(request: HttpRequest, meeting_id: int, payload: OneOnOnePrivateNoteIn):
    meeting = visibility.meeting_or_404(request.user, meeting_id)
    note = do_save_private_note(request.user, meeting, text=payload.text)
    return _private(note.text, note.updated_at)


@router.post(
    "/one-on-ones/{meeting_id}/actions",
    response={201: OneOnOneActionOut},
    summary="Add an action item, owned by one of the two people",
)
def add_action(request: HttpRequest, meeting_id: int, payload: OneOnOneActionIn):
    meeting = visibility.meeting_or_404(request.user, meeting_id)
    owner = Person.objects.filter(pk=payload.owner_id).first()
    if owner is None:
        raise HttpError(
            422, f"No person has the id {payload.owner_id}: the owner is one of the two people."
        )
    action = do_add_action(
        request.user,
        meeting,
        owner=owner,
        text=payload.text,
        due_date=payload.due_date,
    )
    return 201, _action(action)


# -- actions ------------------------------------------------------------------------------


@router.post(
    "/actions/{action_id}/status",
    response=OneOnOneActionOut,
    summary="Mark an action done or dropped, or reopen it",
)
def set_action_status(request: HttpRequest, action_id: int, payload: OneOnOneActionStatusIn):
    action = (
        ActionItem.objects.select_related("owner", "series__lead", "series__report")
        .filter(pk=action_id)
        .first()
    )
    if action is None or not visibility.can_see_series(request.user, action.series):
        raise Http404("No such action")
    return _action(do_set_action_status(request.user, action, payload.status))


@router.get(
    "/actions/mine",
    response=list[OneOnOneActionOut],
    summary="The open action items you own, overdue first",
)
@paginate
def my_actions(request: HttpRequest):
    return [
        _action(action)
        for action in visibility.actions_owed_by(request.user)
        .select_related("owner")
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")
    ]


# -- cadence ------------------------------------------------------------------------------


@router.get(
    "/cadence",
    response=OneOnOneCadenceOut,
    summary="Cadence health of the series you may see, and managers' 1:1 load",
)
def cadence_report(request: HttpRequest, params: Query[OneOnOneCadenceParams]):
    names = visibility.sees_series_names(request.user)
    series = visibility.visible_series(request.user) if names else OneOnOneSeries.objects.all()
    report = load_cadence(
        series,
        today=timezone.localdate(),
        since=params.since,
        load_scope=visibility.cadence_load_scope(request.user) if names else set(),
    )
    rows = []
    if names:
        for health in report.series:
            out = health.as_dict()
            rows.append(
                {
                    **_health(health),
                    **{key: out[key] for key in ("series_id", "lead", "report", "cadence")},
                    "duration_minutes": health.fact.duration_minutes,
                }
            )
    return {
        "today": report.today,
        "since": report.since,
        "scope": "names" if names else "counts",
        "counts": report.counts,
        "series": rows,
        "loads": [load.as_dict() for load in report.loads],
    }
