"""1:1 series, meetings, agenda items, shared and private notes, and actions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from productops.accounts.password_notices import NOTES_LOCKED
from productops.accounts.roles import Login
from productops.coaching import visibility
from productops.coaching.actions.plans import author_of, do_check_in
from productops.coaching.models import (
    ActionItem,
    Cadence,
    CheckIn,
    Goal,
    OneOnOne,
    OneOnOneSeries,
    PrivateNote,
    TalkingPoint,
)
from productops.org.models import Person
from productops.org.visibility import reporting_chain_ids

SERIES_MINUTES = (10, 240)  # shorter is a hallway chat, longer is a workshop
ONE_ON_ONE_TEXT_LIMIT = 2000  # a talking point or an action: a sentence or two
ONE_ON_ONE_NOTES_LIMIT = 50_000


class StaleNotes(ValidationError):
    """The shared notes changed since the form was opened: nothing was saved.

    Carries the current text and revision so the page can show what the other person
    wrote and let the writer merge instead of silently overwriting it.
    """

    def __init__(self, meeting: OneOnOne) -> None:
        super().__init__(
            "Someone else saved these notes while you were writing: your text was not "
            "saved. Their version is shown below; merge your changes into it and save again."
        )
        self.current_text = meeting.shared_notes
        self.current_revision = meeting.notes_revision


def _one_on_one_text(text: Any, *, what: str, limit: int = ONE_ON_ONE_TEXT_LIMIT) -> str:
    cleaned = str(text or "").strip()
    if not cleaned:
        raise ValidationError({"text": f"Write the {what} first."})
    if len(cleaned) > limit:
        raise ValidationError(
            {"text": f"Keep the {what} under {limit} characters; it has {len(cleaned)}."}
        )
    return cleaned


def _one_on_one_date(value: Any, field_name: str) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError({field_name: "Give a date as YYYY-MM-DD."})
    return value


def _check_series_settings(kind: Any, cadence: Any, duration_minutes: Any) -> None:
    errors: dict[str, str] = {}
    if kind not in OneOnOneSeries.Kind.values:
        errors["kind"] = "Choose “manager and report” or “coach and coachee”."
    if cadence not in Cadence.values:
        errors["cadence"] = "Choose weekly, fortnightly or monthly."
    low, high = SERIES_MINUTES
    if isinstance(duration_minutes, bool) or not isinstance(duration_minutes, int):
        errors["duration_minutes"] = "Give the duration in whole minutes."
    elif not low <= duration_minutes <= high:
        errors["duration_minutes"] = f"A 1:1 lasts between {low} and {high} minutes."
    if errors:
        raise ValidationError(errors)


def _check_manager_pair(kind: str, lead: Person, report: Person) -> None:
    if kind == OneOnOneSeries.Kind.MANAGER and report.pk not in reporting_chain_ids(lead.pk):
        raise ValidationError(
            {
                "report": f"{report.name} is not in {lead.name}'s reporting chain. "
                "Choose “coach and coachee” for a coaching series."
            }
        )


def check_create_series(user: Login, *, lead: Person, report: Person, kind: str) -> None:
    """The lead starts a series (a manager with someone in their chain, anyone as a coach);
    admins start one for anyone."""
    if not visibility.can_start_series(user, lead):
        raise PermissionDenied(
            "You can start a 1:1 series that you lead yourself; an admin can start one for others."
        )
    if lead.pk == report.pk:
        raise ValidationError({"report": "A 1:1 needs two different people."})
    for person, field_name in ((lead, "lead"), (report, "report")):
        if not person.active:
            raise ValidationError({field_name: f"{person.name} has left the organization."})
    _check_manager_pair(kind, lead, report)
    existing = (
        OneOnOneSeries.objects.filter(Q(lead=lead, report=report) | Q(lead=report, report=lead))
        .only("pk", "active")
        .first()
    )
    if existing is not None:
        ended = "" if existing.active else " (ended: restart it from its page)"
        raise ValidationError(
            {"report": f"{lead.name} and {report.name} already have a 1:1 series{ended}."}
        )


def do_create_series(
    user: Login,
    *,
    lead: Person,
    report: Person,
    kind: str,
    cadence: str,
    duration_minutes: int,
    start_date: datetime.date,
) -> OneOnOneSeries:
    _check_series_settings(kind, cadence, duration_minutes)
    _one_on_one_date(start_date, "start_date")
    check_create_series(user, lead=lead, report=report, kind=kind)
    try:
        with transaction.atomic():
            return OneOnOneSeries.objects.create(
                lead=lead,
                report=report,
                kind=kind,
                cadence=cadence,
                duration_minutes=duration_minutes,
                start_date=start_date,
            )
    except IntegrityError:  # the same pair started a moment ago by someone else
        raise ValidationError(
            {"report": f"{lead.name} and {report.name} already have a 1:1 series."}
        ) from None


def check_manage_series(user: Login, series: OneOnOneSeries) -> None:
    """Cadence, duration, ending: the lead and admins."""
    if not visibility.can_manage_series(user, series):
        raise PermissionDenied(
            f"Only {series.lead.name}, who leads this series, or an admin changes its settings."
        )


def do_update_series(
    user: Login,
    series: OneOnOneSeries,
    *,
    kind: str | None = None,
    cadence: str | None = None,
    duration_minutes: int | None = None,
    start_date: datetime.date | None = None,
) -> OneOnOneSeries:
    """Change what was given; leave the rest."""
    check_manage_series(user, series)
    kind = series.kind if kind is None else kind
    cadence = series.cadence if cadence is None else cadence
    minutes = series.duration_minutes if duration_minutes is None else duration_minutes
    _check_series_settings(kind, cadence, minutes)
    if start_date is not None:
        _one_on_one_date(start_date, "start_date")
    _check_manager_pair(kind, series.lead, series.report)
    series.kind, series.cadence, series.duration_minutes = kind, cadence, minutes
    series.start_date = series.start_date if start_date is None else start_date
    series.save(update_fields=["kind", "cadence", "duration_minutes", "start_date"])
    return series


def do_end_series(user: Login, series: OneOnOneSeries) -> OneOnOneSeries:
    """Stop the series: its history and open actions stay; no new 1:1s until restarted."""
    check_manage_series(user, series)
    if series.active:
        series.active = False
        series.save(update_fields=["active"])
    return series


def do_restart_series(user: Login, series: OneOnOneSeries) -> OneOnOneSeries:
    check_manage_series(user, series)
    if not series.active:
        _check_manager_pair(series.kind, series.lead, series.report)
        series.active = True
        series.save(update_fields=["active"])
    return series


def check_edit_meetings(user: Login, series: OneOnOneSeries) -> None:
    """Meetings, notes, talking points, actions: the two participants and admins."""
    if not visibility.can_edit_series(user, series):
        raise PermissionDenied(
            f"Only {series.lead.name} and {series.report.name}, the two people in these "
            "1:1s, or an admin change them."
        )


def do_schedule_one_on_one(user: Login, series: OneOnOneSeries, *, date: datetime.date) -> OneOnOne:
    """A planned 1:1 on a date; a past date is fine (logging one after the fact)."""
    check_edit_meetings(user, series)
    _one_on_one_date(date, "date")
    if not series.active:
        raise ValidationError("This series has ended: restart it before scheduling a 1:1.")
    taken = series.meetings.filter(date=date).exclude(status=OneOnOne.Status.CANCELLED)
    if taken.exists():
        raise ValidationError(
            {"date": f"There is already a 1:1 of this series on {date:%Y-%m-%d}: open it instead."}
        )
    return OneOnOne.objects.create(series=series, date=date, status=OneOnOne.Status.PLANNED)


def do_mark_held(user: Login, meeting: OneOnOne) -> OneOnOne:
    """Record that the 1:1 took place. One dated in the future took place today: it moves."""
    check_edit_meetings(user, meeting.series)
    today = timezone.localdate()
    fields = ["status"]
    if meeting.date > today:
        meeting.date = today
        fields.append("date")
    meeting.status = OneOnOne.Status.HELD
    meeting.save(update_fields=fields)
    return meeting


def do_cancel_one_on_one(user: Login, meeting: OneOnOne) -> OneOnOne:
    """A cancelled 1:1 keeps its notes; its open actions go on to the next agenda."""
    check_edit_meetings(user, meeting.series)
    if meeting.status == OneOnOne.Status.HELD:
        raise ValidationError(
            "This 1:1 was held, so it cannot be cancelled. Delete it if it was logged by mistake."
        )
    meeting.status = OneOnOne.Status.CANCELLED
    meeting.save(update_fields=["status"])
    return meeting


def open_actions_raised_in(meeting: OneOnOne) -> int:
    return meeting.actions_raised.filter(status=ActionItem.Status.OPEN).count()


def do_delete_one_on_one(user: Login, meeting: OneOnOne, *, confirm: bool) -> int:
    """Delete a 1:1 with its talking points and notes; returns how many actions were kept.

    Its action items belong to the series and stay, no longer tied to a meeting. When some
    are still open, nothing happens without `confirm`: the error says how many.
    """
    check_edit_meetings(user, meeting.series)
    open_count = open_actions_raised_in(meeting)
    if open_count and not confirm:
        raise ValidationError(
            f"This 1:1 raised {open_count} open action{'s' if open_count != 1 else ''}. "
            f"{'They' if open_count != 1 else 'It'} will be kept on the series and carried "
            "to the next 1:1. Confirm to delete the 1:1."
        )
    with transaction.atomic():
        kept = ActionItem.objects.filter(raised_in=meeting).update(raised_in=None)
        meeting.delete()
    return kept


def do_add_talking_point(user: Login, meeting: OneOnOne, *, text: str) -> TalkingPoint:
    """A new row each time: two people adding at once never lose each other's items."""
    check_edit_meetings(user, meeting.series)
    cleaned = _one_on_one_text(text, what="talking point")
    if meeting.status == OneOnOne.Status.CANCELLED:
        raise ValidationError("This 1:1 was cancelled: add the talking point to the next one.")
    return TalkingPoint.objects.create(meeting=meeting, author=author_of(user), text=cleaned)


def do_save_shared_notes(user: Login, meeting: OneOnOne, *, text: str, revision: int) -> OneOnOne:
    """Save the shared notes if nobody saved since `revision`; else raise `StaleNotes`."""
    check_edit_meetings(user, meeting.series)
    text = str(text or "")
    if len(text) > ONE_ON_ONE_NOTES_LIMIT:
        limit = ONE_ON_ONE_NOTES_LIMIT
        raise ValidationError(
            {"text": f"Keep the notes under {limit} characters; they have {len(text)}."}
        )
    saved = OneOnOne.objects.filter(pk=meeting.pk, notes_revision=revision).update(
        shared_notes=text, notes_revision=F("notes_revision") + 1
    )
    meeting.refresh_from_db(fields=["shared_notes", "notes_revision"])
    if not saved:
        raise StaleNotes(meeting)
    return meeting


def do_save_private_note(user: Login, meeting: OneOnOne, *, text: str) -> PrivateNote:
    """The writer's own note on a 1:1: nobody else ever reads it, admins included."""
    if not visibility.is_participant(user, meeting.series):
        raise PermissionDenied("Private notes are for the two people in the 1:1.")
    if visibility.private_notes_locked(user):
        raise PermissionDenied(NOTES_LOCKED)
    text = str(text or "")
    if len(text) > ONE_ON_ONE_NOTES_LIMIT:
        limit = ONE_ON_ONE_NOTES_LIMIT
        raise ValidationError(
            {"text": f"Keep the note under {limit} characters; it has {len(text)}."}
        )
    try:
        with transaction.atomic():
            note, _ = PrivateNote.objects.update_or_create(
                meeting=meeting, author=author_of(user), defaults={"text": text}
            )
    except IntegrityError:  # the same author saved twice at once: the later save wins
        note = PrivateNote.objects.get(meeting=meeting, author=author_of(user))
        note.text = text
        note.save(update_fields=["text", "updated_at"])
    return note


def do_add_action(
    user: Login,
    meeting: OneOnOne,
    *,
    owner: Person,
    text: str,
    due_date: datetime.date | None = None,
) -> ActionItem:
    """An action item raised in a 1:1, owned by one of its two people."""
    series = meeting.series
    check_edit_meetings(user, series)
    cleaned = _one_on_one_text(text, what="action")
    if owner.pk not in (series.lead_id, series.report_id):
        raise ValidationError(
            {
                "owner": f"An action is owned by {series.lead.name} or {series.report.name}, "
                "the two people in this 1:1."
            }
        )
    if due_date is not None:
        _one_on_one_date(due_date, "due_date")
        if due_date < meeting.date:
            raise ValidationError(
                {"due_date": f"The due date is before this 1:1 ({meeting.date:%Y-%m-%d})."}
            )
    return ActionItem.objects.create(
        series=series, raised_in=meeting, owner=owner, text=cleaned, due_date=due_date
    )


ACTION_STATUS_WORDS = {"reopen": ActionItem.Status.OPEN}


def do_set_action_status(user: Login, action: ActionItem, status: str) -> ActionItem:
    """Done, dropped, or open again (`"reopen"` is accepted for open)."""
    check_edit_meetings(user, action.series)
    status = ACTION_STATUS_WORDS.get(status, status)
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": "Choose done, dropped or reopen."})
    if action.status != status:
        action.status = status
        action.closed_at = None if status == ActionItem.Status.OPEN else timezone.now()
        action.save(update_fields=["status", "closed_at"])
    return action


def do_check_in_at_one_on_one(
    user: Login,
    meeting: OneOnOne,
    goal: Goal,
    *,
    status: str,
    note: str = "",
    evidence_url: str = "",
) -> CheckIn:
    """A goal check-in recorded from the 1:1 page, dated the day of the 1:1 (never later
    than today) and linked to it. The plans section decides who may check in."""
    series = meeting.series
    if goal.plan.person_id != series.report_id:
        raise ValidationError(f"That goal is not on one of {series.report.name}'s plans.")
    if meeting.status == OneOnOne.Status.CANCELLED:
        raise ValidationError("This 1:1 was cancelled: record the check-in in the next one.")
    return do_check_in(
        user,
        goal,
        date=min(meeting.date, timezone.localdate()),
        status=status,
        note=note,
        evidence_url=evidence_url,
        one_on_one=meeting,
    )
