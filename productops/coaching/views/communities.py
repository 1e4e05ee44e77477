"""Communities of practice, book clubs, their sessions and attendance, and the
participation report.

Thin: parse the request, ask `coaching.visibility`, the actions and `participation`,
render. Every logged-in user reads communities and the participation report; viewers
see counts and the discipline mix, never a name. Creating communities and sessions is
for admins and managers; attendance is also recorded by a community's organizer and a
session's facilitator, one person at a time with htmx toggles. Each page costs a fixed
number of queries whatever the number of sessions or people.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from productops.coaching import visibility
from productops.coaching.actions import (
    COMMUNITY_REFUSED,
    do_add_attendee,
    do_add_session,
    do_create_community,
    do_remove_attendee,
)
from productops.coaching.communities import (
    ATTENDEE_COLUMNS,
    attendee_rows,
    list_communities,
    session_mix,
)
from productops.coaching.forms.communities import (
    AttendeeFilterForm,
    CommunityForm,
    PeriodForm,
    SessionForm,
)
from productops.coaching.models import Attendance, Community, CommunitySession
from productops.coaching.participation import (
    DEFAULT_DAYS,
    ParticipationReport,
    load_participation,
)
from productops.imports.tables import requested_format, table_download
from productops.org.models import Person

PAGE_SIZE = 50


def _add_action_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# -- communities --------------------------------------------------------------------------


def _community_row(community: Any, names: bool) -> list[Any]:
    """A row of the list; `community` carries `list_communities`' annotations."""
    organizer = community.organizer.name if community.organizer else ""
    return [
        community.name,
        community.get_kind_display(),
        community.book,
        *([organizer] if names else []),
        community.session_count,
        community.people,
        community.last_session,
    ]


@login_required
def community_list(request: HttpRequest) -> HttpResponseBase:
    download = requested_format(request)
    if download:
        # every community; the organizer only for a role whose page names them
        names = visibility.sees_attendee_names(request.user)
        header = ["Name", "Kind", "Book", *(["Organizer"] if names else []), "Sessions",
                  "People", "Last session"]  # fmt: skip
        rows = (_community_row(c, names) for c in list_communities())
        return table_download(download, "communities", header, rows)
    page = Paginator(list_communities(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/community_list.html",
        {
            "page": page,
            "can_manage": visibility.can_manage_communities(request.user),
            "sees_names": visibility.sees_attendee_names(request.user),
        },
    )


@login_required
def community_new(request: HttpRequest) -> HttpResponse:
    if not visibility.can_manage_communities(request.user):
        raise PermissionDenied(COMMUNITY_REFUSED)
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = do_create_community(request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_action_errors(form, error)
        else:
            messages.success(request, f"Created {community.name}. Add its first session next.")
            return redirect("coaching:community_detail", pk=community.pk)
    return render(request, "coaching/community_new.html", {"form": form})


@login_required
def community_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    community = get_object_or_404(Community.objects.select_related("organizer"), pk=pk)
    sessions = (
        community.sessions.select_related("facilitator")
        .annotate(attendee_count=Count("attendance"))
        .order_by("-date", "-pk")
    )
    download = requested_format(request)
    if download:
        return _community_download(download, request, community, sessions)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    report = load_participation(community_ids=[community.pk])
    return render(
        request,
        "coaching/community_detail.html",
        {
            "community": community,
            "page": page,
            "report": report,
            "mix": _mix(report),
            "can_manage": visibility.can_manage_communities(request.user),
            "can_record": visibility.can_record_attendance(request.user, community),
            "sees_names": visibility.sees_attendee_names(request.user),
            "today": timezone.localdate(),
        },
    )


def _community_download(
    format: str, request: HttpRequest, community: Community, sessions: Any
) -> HttpResponseBase:
    """A community page's sessions (every one), or its mix by discipline (`table=mix`)."""
    if request.GET.get("table") == "mix":
        mix = _mix(load_participation(community_ids=[community.pk]))
        rows: list[list[Any]] = [[row.label, row.people, row.percent] for row in mix]
        return table_download(
            format, f"{community.name}-disciplines", ["Discipline", "People", "Share %"], rows
        )
    names = visibility.sees_attendee_names(request.user)
    topic = "Chapter" if community.kind == "book_club" else "Topic"
    header = ["Date", topic, *(["Facilitator"] if names else []), "Attended"]
    rows = [
        [
            session.date,
            session.topic,
            *([session.facilitator.name if session.facilitator else ""] if names else []),
            session.attendee_count,
        ]  # fmt: skip
        for session in sessions
    ]
    return table_download(format, f"{community.name}-sessions", header, rows)


def _mix(report: ParticipationReport) -> list[Any]:
    """The disciplines that took part, for the compact mix on a community's page."""
    return [row for row in report.disciplines if row.people]


# -- sessions -----------------------------------------------------------------------------


@login_required
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_object_or_404(Community, pk=pk)
    if not visibility.can_manage_communities(request.user):
        raise PermissionDenied(COMMUNITY_REFUSED)
    form = SessionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            session = do_add_session(request.user, community, **form.cleaned_data)
        except ValidationError as error:
            _add_action_errors(form, error)
        else:
            messages.success(request, f"Added the session on {session.date:%Y-%m-%d}.")
            return redirect("coaching:session_detail", pk=session.pk)
    return render(
        request, "coaching/community_session_new.html", {"form": form, "community": community}
    )


def _session_or_404(pk: int) -> CommunitySession:
    return get_object_or_404(
        CommunitySession.objects.select_related("community", "community__organizer", "facilitator"),
        pk=pk,
    )


def _checklist(request: HttpRequest, session: CommunitySession) -> tuple[AttendeeFilterForm, Any]:
    """Active people and everyone marked present, those present first, filtered."""
    form = AttendeeFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    present = Attendance.objects.filter(session=session, person=OuterRef("pk"))
    people = (
        Person.objects.annotate(attending=Exists(present))
        .filter(Q(active=True) | Q(attending=True))
        .order_by("-attending", "name", "pk")
    )
    if data.get("q"):
        people = people.filter(name__icontains=data["q"])
    if data.get("discipline"):
        people = people.filter(discipline=data["discipline"])
    return form, people


def _attendee_download(
    request: HttpRequest,
    format: str,
    session: CommunitySession,
    sees_names: bool,
    can_record: bool,
) -> HttpResponseBase:
    """The "Who came" list as the page shows it: the recorder's checklist (filtered as
    on the page, present or not), or the attendees for who sees their names; no one
    else gets names, and a planned session has no list yet."""
    if session.date > timezone.localdate():
        raise Http404("This session has not taken place: no attendance to download yet.")
    if can_record:
        _, people = _checklist(request, session)
        rows = attendee_rows(people)
    elif sees_names:
        rows = attendee_rows(session.attendees.order_by("name", "pk"), attending=True)
    else:
        raise PermissionDenied("Your role sees how many came, not who: no list to download.")
    return table_download(format, f"session-{session.pk}-attendees", ATTENDEE_COLUMNS, rows)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    session = _session_or_404(pk)
    user = request.user
    sees_names = visibility.sees_attendee_names(user)
    can_record = visibility.can_record_attendance(user, session)
    mix = session_mix(session)
    context: dict[str, Any] = {
        "session": session,
        "community": session.community,
        "count": mix.count,
        "mix": mix.rows(),
        "sees_names": sees_names,
        "can_record": can_record,
        "is_future": session.date > timezone.localdate(),
    }
    download = requested_format(request)
    if download:
        return _attendee_download(request, download, session, sees_names, can_record)
    if can_record and not context["is_future"]:
        form, people = _checklist(request, session)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=form,
            page=Paginator(people, PAGE_SIZE).get_page(request.GET.get("page")),
            query=query.urlencode(),
        )
        template = "coaching/community_session_detail.html"
        if request.headers.get("HX-Request"):
            template += "#checklist"
        return render(request, template, context)
    if sees_names:
        attendees = session.attendees.order_by("name", "pk")
        context["page"] = Paginator(attendees, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coaching/community_session_detail.html", context)


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    """Toggle one person: `attending=1` marks them present, `attending=0` absent."""
    session = _session_or_404(pk)
    person = get_object_or_404(Person, pk=person_pk)
    attending = request.POST.get("attending") == "1"
    try:
        if attending:
            do_add_attendee(request.user, session, person)
        else:
            do_remove_attendee(request.user, session, person)
    except ValidationError as problem:
        sentence = " ".join(problem.messages)
        if request.headers.get("HX-Request"):
            return HttpResponse(sentence, status=422)
        messages.error(request, sentence)
        return redirect("coaching:session_detail", pk=session.pk)
    if not request.headers.get("HX-Request"):
        return redirect("coaching:session_detail", pk=session.pk)
    person.attending = attending  # type: ignore[attr-defined]
    return render(
        request,
        "coaching/community_session_detail.html#toggled",
        {"session": session, "person": person, "count": session.attendance.count()},
    )


# -- participation ------------------------------------------------------------------------


@login_required
def participation(request: HttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"days": DEFAULT_DAYS})
    period = form.period(today)
    report = load_participation(period)
    rows = [
        {"row": row, "cells": [row.people_in(c.id) for c in report.communities]}
        for row in report.disciplines
    ]
    download = requested_format(request)
    if download:
        return _participation_download(download, request.GET.get("table", ""), report)
    return render(
        request,
        "coaching/participation_report.html",
        {"form": form, "report": report, "period": period, "rows": rows},
    )


def _participation_download(
    format: str, table: str, report: ParticipationReport
) -> HttpResponseBase:
    """The participation page's table by discipline, or by community (`table=communities`);
    nothing for a period without sessions, as the page then shows no table."""
    if table == "communities":
        header = ["Community", "Kind", "Sessions", "People", "From outside product"]
        rows: list[list[Any]] = [
            [
                c.name,
                "Book club" if c.kind == "book_club" else "Community of practice",
                c.sessions,
                c.people,
                c.outside_product,
            ]  # fmt: skip
            for c in report.communities
        ]
        return table_download(format, "participation-by-community", header, rows)
    header = ["Discipline", "People", "Share %", "Sessions", *(c.name for c in report.communities)]
    rows = [
        [
            row.label,
            row.people,
            row.percent,
            row.sessions,
            *(row.people_in(c.id) for c in report.communities),
        ]  # fmt: skip
        for row in (report.disciplines if report.sessions else ())
    ]
    return table_download(format, "participation-by-discipline", header, rows)
