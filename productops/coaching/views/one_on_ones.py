"""1:1 pages: series, meetings with their agenda, notes, talking points and actions.

Thin: parse the request, ask `coaching.visibility`, the actions and `agenda`, render.
A series and its 1:1s are seen by the two participants, the report's managers and
admins; the participants and admins change them, the lead and admins change a series'
settings. A private note is read through `visibility.own_private_notes` only, so no one
but its author ever sees it on any page. Objects a user may not see answer 404; whole
pages a role may not use answer 403 with a sentence. Talking points, actions, check-ins
and notes are saved with htmx without a reload, and work as plain forms too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from productops.accounts.models import Role
from productops.accounts.password_notices import SESSION_FLAG
from productops.accounts.roles import Login, person_id_of, role_of
from productops.coaching import visibility
from productops.coaching.actions import (
    StaleNotes,
    do_add_action,
    do_add_talking_point,
    do_cancel_one_on_one,
    do_check_in_at_one_on_one,
    do_create_series,
    do_delete_one_on_one,
    do_end_series,
    do_mark_held,
    do_restart_series,
    do_save_private_note,
    do_save_shared_notes,
    do_schedule_one_on_one,
    do_set_action_status,
    do_update_series,
    open_actions_raised_in,
)
from productops.coaching.agenda import (
    Agenda,
    GoalLine,
    action_row,
    action_row_of_line,
    build_agenda,
    goal_facts_of,
    load_agenda_facts,
    plans_open_for_check_in,
)
from productops.coaching.cadence import next_one_on_one_date
from productops.coaching.forms.one_on_ones import (
    ActionForm,
    CheckInForm,
    NotesForm,
    PrivateNoteForm,
    ScheduleForm,
    SeriesForm,
    SeriesSettingsForm,
    TalkingPointForm,
)
from productops.coaching.models import (
    ActionItem,
    Goal,
    OneOnOne,
    OneOnOneSeries,
)
from productops.imports.tables import requested_format, table_download
from productops.org import visibility as org_visibility
from productops.org.models import Person

PAGE_SIZE = 25
SERIES_COLUMNS = [
    "Lead",
    "With",
    "Kind",
    "Cadence",
    "Minutes",
    "Active",
    "Last held",
    "Next planned",
    "Open actions",
]
NOT_FOR_VIEWERS = (
    "1:1s are private to the two people in them, their managers and admins; a viewer login "
    "sees aggregates only."
)
NO_PERSON = (
    "Your login is not linked to a person in the organization, so you cannot lead a 1:1. "
    "Ask an admin to link it."
)
Status = OneOnOne.Status


def _is_htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _sentences(error: ValidationError) -> list[str]:
    return list(error.messages)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _require_names(request: HttpRequest) -> None:
    if role_of(request.user) in (None, Role.VIEWER):
        raise PermissionDenied(NOT_FOR_VIEWERS)


def _ics_url(series: OneOnOneSeries) -> str | None:
    """The calendar file's address, once the calendar export is part of the app."""
    try:
        return reverse("coaching:series_ics", args=[series.pk])
    except NoReverseMatch:
        return None


# -- series -------------------------------------------------------------------------------


def _series_row(series: OneOnOneSeries) -> list[object]:
    return [
        series.lead.name,
        series.report.name,
        series.get_kind_display(),
        series.get_cadence_display(),
        series.duration_minutes,
        "yes" if series.active else "ended",
        series.last_held,  # type: ignore[attr-defined]
        series.next_planned,  # type: ignore[attr-defined]
        series.open_actions,  # type: ignore[attr-defined]
    ]


@login_required
def series_list(request: HttpRequest) -> HttpResponseBase:
    _require_names(request)
    today = timezone.localdate()
    series = (
        visibility.visible_series(request.user)
        .select_related("lead", "report")
        .annotate(
            open_actions=Count(
                "actions", filter=Q(actions__status=ActionItem.Status.OPEN), distinct=True
            ),
            last_held=Max("meetings__date", filter=Q(meetings__status=Status.HELD)),
            next_planned=Min(
                "meetings__date",
                filter=Q(meetings__status=Status.PLANNED, meetings__date__gte=today),
            ),
        )
        .order_by("-active", "lead__name", "report__name", "pk")
    )
    download = requested_format(request)
    if download:
        # every series the reader may see, not one page of them
        return table_download(download, "one-on-ones", SERIES_COLUMNS, map(_series_row, series))
    page = Paginator(series, PAGE_SIZE * 2).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/series_list.html",
        {"page": page, "can_start": visibility.can_start_series(request.user)},
    )


def _series_form(request: HttpRequest) -> SeriesForm:
    user = request.user
    active = Person.objects.filter(active=True).order_by("name", "pk")
    me = person_id_of(user)
    if role_of(user) is Role.ADMIN:
        leads, people = active, active
    else:
        leads = active.filter(pk=me or 0)  # pk 0 matches no one
        people = org_visibility.visible_people(user).filter(active=True).exclude(pk=me or 0)
        people = people.order_by("name", "pk")
    initial = {"start_date": timezone.localdate(), "lead": me}
    return SeriesForm(request.POST or None, leads=leads, people=people, initial=initial)


@login_required
def series_new(request: HttpRequest) -> HttpResponse:
    _require_names(request)
    if not visibility.can_start_series(request.user):
        raise PermissionDenied(NO_PERSON)
    form = _series_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            series = do_create_series(request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                f"Started 1:1s between {series.lead.name} and {series.report.name}. "
                "Schedule the first one below.",
            )
            return redirect("coaching:series_detail", pk=series.pk)
    return render(
        request,
        "coaching/series_new.html",
        {"form": form, "picks_lead": role_of(request.user) is Role.ADMIN},
        status=422 if form.errors else 200,
    )


MEETING_COLUMNS = ["Date", "Status", "Talking points", "Actions raised"]


@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    series = visibility.series_or_404(request.user, pk)
    user = request.user
    today = timezone.localdate()
    meetings = series.meetings.annotate(
        points=Count("talking_points", distinct=True),
        actions=Count("actions_raised", distinct=True),
    ).order_by("-date", "-pk")
    download = requested_format(request)
    if download:
        # the list of 1:1s, every one of them: dates and counts, never a note
        rows = ([m.date, m.get_status_display(), m.points, m.actions] for m in meetings)
        name = f"one-on-ones-{series.lead.name}-{series.report.name}"
        return table_download(download, name, MEETING_COLUMNS, rows)
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = series.actions.select_related("owner", "raised_in")
    open_rows = sorted(
        (action_row(a, today) for a in actions.filter(status=ActionItem.Status.OPEN)),
        key=lambda row: (not row.overdue, row.due_date is None, row.due_date or today, row.pk),
    )
    closed_rows = [
        action_row(a, today)
        for a in actions.exclude(status=ActionItem.Status.OPEN).order_by("-closed_at", "-pk")[
            :PAGE_SIZE
        ]
    ]
    can_edit = visibility.can_edit_series(user, series)
    can_manage = visibility.can_manage_series(user, series)
    return render(
        request,
        "coaching/series_detail.html",
        {
            "series": series,
            "page": page,
            "open_actions": open_rows,
            "closed_actions": closed_rows,
            "can_edit": can_edit,
            "can_manage": can_manage,
            "schedule_form": ScheduleForm(initial={"date": next_one_on_one_date(series, today)})
            if can_edit and series.active
            else None,
            "settings_form": SeriesSettingsForm(
                initial={
                    "kind": series.kind,
                    "cadence": series.cadence,
                    "duration_minutes": series.duration_minutes,
                    "start_date": series.start_date,
                }
            )
            if can_manage
            else None,
            "ics_url": _ics_url(series),
            "today": today,
        },
    )


@login_required
@require_POST
def series_update(request: HttpRequest, pk: int) -> HttpResponse:
    series = visibility.series_or_404(request.user, pk)
    form = SeriesSettingsForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("coaching:series_detail", pk=series.pk)
    try:
        do_update_series(request.user, series, **form.cleaned_data)
    except ValidationError as error:
        for sentence in _sentences(error):
            messages.error(request, sentence)
    else:
        messages.success(request, "Saved the series' settings.")
    return redirect("coaching:series_detail", pk=series.pk)


@login_required
@require_POST
def series_end(request: HttpRequest, pk: int) -> HttpResponse:
    series = visibility.series_or_404(request.user, pk)
    if request.POST.get("restart"):
        try:
            do_restart_series(request.user, series)
        except ValidationError as error:
            for sentence in _sentences(error):
                messages.error(request, sentence)
        else:
            messages.success(request, "Restarted the series: schedule the next 1:1 below.")
    else:
        do_end_series(request.user, series)
        messages.success(
            request,
            "Ended the series. Its 1:1s and actions stay here; restart it to meet again.",
        )
    return redirect("coaching:series_detail", pk=series.pk)


# -- meetings -----------------------------------------------------------------------------


@login_required
def one_on_one_new(request: HttpRequest, pk: int) -> HttpResponse:
    series = visibility.series_or_404(request.user, pk)
    if not visibility.can_edit_series(request.user, series):
        raise PermissionDenied(
            f"Only {series.lead.name} and {series.report.name}, or an admin, schedule their 1:1s."
        )
    today = timezone.localdate()
    form = ScheduleForm(request.POST or None, initial={"date": next_one_on_one_date(series, today)})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = do_schedule_one_on_one(request.user, series, date=form.cleaned_data["date"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            past = (
                " It is in the past: mark it held once the notes are in."
                if meeting.date < today
                else ""
            )
            messages.success(request, f"Scheduled the 1:1 of {meeting.date:%Y-%m-%d}.{past}")
            return redirect("coaching:one_on_one_detail", pk=meeting.pk)
    return render(
        request,
        "coaching/one_on_one_new.html",
        {"series": series, "form": form},
        status=422 if form.errors else 200,
    )


@dataclass
class NotesState:
    """The shared notes box: what to show in it, and a conflict if the save was refused."""

    text: str
    revision: int
    conflict_text: str | None = None
    error: str = ""
    saved: bool = False


@dataclass
class GoalRow:
    line: GoalLine
    form: CheckInForm | None
    saved: bool = False


def _goal_rows(user: Login, meeting: OneOnOne, agenda: Agenda, can_edit: bool) -> list[GoalRow]:
    allowed = plans_open_for_check_in(user, meeting, agenda, can_edit=can_edit)
    return [
        GoalRow(
            line=line,
            form=CheckInForm(prefix=f"goal-{line.goal.pk}")
            if line.goal.plan_id in allowed and line.checked_in_here is None
            else None,
        )
        for line in agenda.goals
    ]


def _detail_context(request: HttpRequest, meeting: OneOnOne, **overrides: Any) -> dict[str, Any]:
    """Everything the 1:1 page shows, in a fixed number of queries."""
    user = request.user
    series = meeting.series
    agenda = build_agenda(load_agenda_facts(meeting, user=user))
    can_edit = visibility.can_edit_series(user, series)
    participant = visibility.is_participant(user, series)
    private_note = (
        visibility.own_private_notes(user).filter(meeting=meeting).first() if participant else None
    )
    # The session knows (accounts.password_notices); own_private_notes already holds the
    # notes back whatever the session says.
    notes_locked = participant and bool(request.session.get(SESSION_FLAG))
    raised = [action_row_of_line(line) for line in agenda.raised_here]
    context = {
        "meeting": meeting,
        "series": series,
        "agenda": agenda,
        "carried_rows": [action_row_of_line(line) for line in agenda.carried_actions],
        "raised_rows": raised,
        "goal_rows": _goal_rows(user, meeting, agenda, can_edit),
        "can_edit": can_edit,
        "participant": participant,
        "notes": NotesState(text=meeting.shared_notes, revision=meeting.notes_revision),
        "private_text": private_note.text if private_note else "",
        "private_locked": notes_locked,
        "private_visible_to": visibility.private_note_readers(),
        "notes_visible_to": visibility.shared_note_readers(series).sentence_for(user),
        "private_saved_at": private_note.updated_at if private_note else None,
        "point_form": TalkingPointForm(),
        "action_form": ActionForm(series=series),
        "ics_url": _ics_url(series),
        "today": timezone.localdate(),
    }
    context.update(overrides)
    return context


@login_required
def one_on_one_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visibility.meeting_or_404(request.user, pk)
    return render(request, "coaching/one_on_one_detail.html", _detail_context(request, meeting))


def _respond(
    request: HttpRequest, meeting: OneOnOne, part: str, *, status: int = 200, **overrides: Any
) -> HttpResponse:
    """htmx gets the part of the page it swaps, as it is now (the other person's new items
    included); a plain form post gets the whole page again, with the problem shown."""
    context = _detail_context(request, meeting, **overrides)
    if _is_htmx(request):
        return render(request, f"coaching/one_on_one_detail.html#{part}", context)
    return render(request, "coaching/one_on_one_detail.html", context, status=status)


@login_required
@require_POST
def talking_point_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visibility.meeting_or_404(request.user, pk)
    form = TalkingPointForm(request.POST)
    if form.is_valid():
        try:
            do_add_talking_point(request.user, meeting, text=form.cleaned_data["text"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not _is_htmx(request):
                messages.success(request, "Added your talking point.")
                return redirect("coaching:one_on_one_detail", pk=meeting.pk)
            form = TalkingPointForm()
    return _respond(request, meeting, "talking_points", status=422, point_form=form)


@login_required
@require_POST
def notes_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visibility.meeting_or_404(request.user, pk)
    form = NotesForm(request.POST)
    if not form.is_valid():
        notes = NotesState(
            text=request.POST.get("text", ""),
            revision=meeting.notes_revision,
            error="The notes could not be read: reload the page and try again.",
        )
        return _respond(request, meeting, "notes", status=422, notes=notes)
    text, revision = form.cleaned_data["text"], form.cleaned_data["revision"]
    try:
        do_save_shared_notes(request.user, meeting, text=text, revision=revision)
    except StaleNotes as stale:
        notes = NotesState(
            text=text,
            revision=stale.current_revision,
            conflict_text=stale.current_text,
            error=stale.messages[0],
        )
        return _respond(request, meeting, "notes", status=409, notes=notes)
    except ValidationError as error:
        notes = NotesState(text=text, revision=revision, error=" ".join(_sentences(error)))
        return _respond(request, meeting, "notes", status=422, notes=notes)
    if not _is_htmx(request):
        messages.success(request, "Saved the shared notes.")
        return redirect("coaching:one_on_one_detail", pk=meeting.pk)
    notes = NotesState(text=meeting.shared_notes, revision=meeting.notes_revision, saved=True)
    return _respond(request, meeting, "notes", notes=notes)


@login_required
@require_POST
def private_note_save(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visibility.meeting_or_404(request.user, pk)
    form = PrivateNoteForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else request.POST.get("text", "")
    try:
        do_save_private_note(request.user, meeting, text=text)
    except ValidationError as error:
        return _respond(
            request,
            meeting,
            "private_note",
            status=422,
            private_text=text,
            private_error=" ".join(_sentences(error)),
        )
    if not _is_htmx(request):
        messages.success(request, "Saved your private note. It is visible to you only.")
        return redirect("coaching:one_on_one_detail", pk=meeting.pk)
    return _respond(request, meeting, "private_note", private_saved=True)


@login_required
@require_POST
def one_on_one_status(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visibility.meeting_or_404(request.user, pk)
    wanted = request.POST.get("status")
    try:
        if wanted == Status.HELD:
            moved = meeting.date > timezone.localdate()
            do_mark_held(request.user, meeting)
            note = (
                f" It took place today, so its date is now {meeting.date:%Y-%m-%d}."
                if moved
                else ""
            )
            messages.success(request, f"Marked the 1:1 as held.{note}")
        elif wanted == Status.CANCELLED:
            do_cancel_one_on_one(request.user, meeting)
            messages.success(
                request, "Cancelled the 1:1. Its open actions carry over to the next one."
            )
        else:
            messages.error(request, "Choose to mark the 1:1 held or cancelled.")
    except ValidationError as error:
        for sentence in _sentences(error):
            messages.error(request, sentence)
    return redirect("coaching:one_on_one_detail", pk=meeting.pk)


@login_required
def one_on_one_delete(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visibility.meeting_or_404(request.user, pk)
    series = meeting.series
    if not visibility.can_edit_series(request.user, series):
        raise PermissionDenied(
            f"Only {series.lead.name} and {series.report.name}, or an admin, delete their 1:1s."
        )
    open_count = open_actions_raised_in(meeting)
    errors: list[str] = []
    if request.method == "POST":
        try:
            kept = do_delete_one_on_one(
                request.user, meeting, confirm=request.POST.get("confirm") == "yes"
            )
        except ValidationError as error:
            errors = _sentences(error)
        else:
            kept_note = (
                f" Its {kept} action item{'s' if kept != 1 else ''} stay on the series."
                if kept
                else ""
            )
            messages.success(request, f"Deleted the 1:1 of {meeting.date:%Y-%m-%d}.{kept_note}")
            return redirect("coaching:series_detail", pk=series.pk)
    return render(
        request,
        "coaching/one_on_one_delete.html",
        {
            "meeting": meeting,
            "series": series,
            "open_count": open_count,
            "points": meeting.talking_points.count(),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


# -- actions and check-ins ----------------------------------------------------------------


@login_required
@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = visibility.meeting_or_404(request.user, pk)
    form = ActionForm(request.POST, series=meeting.series)
    if form.is_valid():
        try:
            do_add_action(request.user, meeting, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not _is_htmx(request):
                messages.success(request, "Added the action. It stays on the agenda until done.")
                return redirect("coaching:one_on_one_detail", pk=meeting.pk)
            form = ActionForm(series=meeting.series)
    return _respond(request, meeting, "actions_here", status=422, action_form=form)


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        ActionItem.objects.select_related("series__lead", "series__report", "owner", "raised_in"),
        pk=pk,
    )
    if not visibility.can_see_series(request.user, action.series):
        raise Http404("No such action")
    error = ""
    try:
        do_set_action_status(request.user, action, request.POST.get("status", ""))
    except ValidationError as problem:
        error = " ".join(_sentences(problem))
    back = request.POST.get("meeting", "")
    if _is_htmx(request):
        return render(
            request,
            "coaching/one_on_one_detail.html#action_row",
            {
                "row": action_row(action, timezone.localdate()),
                "can_edit": True,
                "back_to": back,
                "row_error": error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request, f"Marked “{action.text[:60]}” {action.get_status_display().lower()}."
        )
    if back.isdigit() and OneOnOne.objects.filter(pk=back, series=action.series).exists():
        return redirect("coaching:one_on_one_detail", pk=int(back))
    return redirect("coaching:series_detail", pk=action.series_id)


@login_required
@require_POST
def check_in_add(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    meeting = visibility.meeting_or_404(request.user, pk)
    goal = get_object_or_404(Goal.objects.select_related("plan"), pk=goal_pk)
    if goal.plan.person_id != meeting.series.report_id or not visibility.can_see_plan(
        request.user, goal.plan
    ):
        raise Http404("No such goal")
    form = CheckInForm(request.POST, prefix=f"goal-{goal.pk}")
    if form.is_valid():
        try:
            do_check_in_at_one_on_one(request.user, meeting, goal, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not _is_htmx(request):
                messages.success(request, f"Recorded the check-in on {goal.competency_name}.")
                return redirect("coaching:one_on_one_detail", pk=meeting.pk)
    context = _detail_context(request, meeting)
    row = next((r for r in context["goal_rows"] if r.line.goal.pk == goal.pk), None)
    if row is None:  # closed by this check-in, or not due: show it with what was recorded
        row = GoalRow(line=GoalLine(goal=goal_facts_of(goal), due=False), form=None)
    if form.errors:
        row.form = form
    else:
        row.saved = True
    if _is_htmx(request):
        return render(request, "coaching/one_on_one_detail.html#goal_row", {**context, "row": row})
    return render(request, "coaching/one_on_one_detail.html", context, status=422)
