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

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
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
from productops.coaching.models import Attendance, Community, CommunitySession
from productops.coaching.participation import (
    DEFAULT_DAYS,
    ParticipationReport,
    Period,
    choose_period,
    load_participation,
)
from productops.org.models import Discipline, Person

PAGE_SIZE = 50
PERIOD_CHOICES = [
    (30, "Last 30 days"),
    (90, "Last 90 days"),
    (180, "Last 6 months"),
    (365, "Last year"),
]


# -- forms --------------------------------------------------------------------------------


def _active_people() -> Any:
    return Person.objects.filter(active=True).order_by("name", "pk")


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="For example “Discovery guild”.")
    kind = forms.ChoiceField(choices=Community.Kind.choices, initial=Community.Kind.COMMUNITY)
    book = forms.CharField(
        max_length=300, required=False, help_text="For a book club: the book it reads."
    )
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the community is for and who is welcome.",
    )
    organizer = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        help_text="The organizer may record attendance at every session.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organizer"].queryset = _active_people()  # type: ignore[attr-defined]


class SessionForm(forms.Form):
    date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A past date logs a session after the fact.",
    )
    topic = forms.CharField(max_length=300, help_text="The topic, or for a book club the chapter.")
    facilitator = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        help_text="The facilitator may record who came to this session.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = _active_people()  # type: ignore[attr-defined]


class AttendeeFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Name")
    discipline = forms.ChoiceField(
        required=False, choices=[("", "Every discipline"), *Discipline.choices]
    )


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "Dates below"), *PERIOD_CHOICES]
    )
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self, today: datetime.date) -> Period:
        """The chosen period; the default (last 90 days) when the form is not usable."""
        if not self.is_valid():
            return Period.last(DEFAULT_DAYS, today)
        data = self.cleaned_data
        try:
            return choose_period(today, days=data["days"], start=data["start"], end=data["end"])
        except ValueError as problem:
            self.add_error(None, f"{problem} The last {DEFAULT_DAYS} days are shown instead.")
            return Period.last(DEFAULT_DAYS, today)


def _add_action_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


# -- communities --------------------------------------------------------------------------


@login_required
def community_list(request: HttpRequest) -> HttpResponse:
    communities = (
        Community.objects.select_related("organizer")
        .annotate(
            session_count=Count("sessions", distinct=True),
            last_session=Max("sessions__date"),
            people=Count("sessions__attendance__person", distinct=True),
        )
        .order_by("name", "pk")
    )
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
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
def community_detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = get_object_or_404(Community.objects.select_related("organizer"), pk=pk)
    sessions = (
        community.sessions.select_related("facilitator")
        .annotate(attendee_count=Count("attendance"))
        .order_by("-date", "-pk")
    )
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


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(pk)
    user = request.user
    sees_names = visibility.sees_attendee_names(user)
    can_record = visibility.can_record_attendance(user, session)
    by_discipline = dict(
        session.attendance.values_list("person__discipline").annotate(n=Count("pk"))
    )
    count = sum(by_discipline.values())
    labels = dict(Discipline.choices)
    mix = [
        {
            "label": labels.get(value, value),
            "people": people,
            "percent": round(100 * people / count),
        }
        for value, people in sorted(by_discipline.items(), key=lambda item: (-item[1], item[0]))
    ]
    context: dict[str, Any] = {
        "session": session,
        "community": session.community,
        "count": count,
        "mix": mix,
        "sees_names": sees_names,
        "can_record": can_record,
        "is_future": session.date > timezone.localdate(),
    }
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
def participation(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"days": DEFAULT_DAYS})
    period = form.period(today)
    report = load_participation(period)
    rows = [
        {"row": row, "cells": [row.people_in(c.id) for c in report.communities]}
        for row in report.disciplines
    ]
    return render(
        request,
        "coaching/participation_report.html",
        {"form": form, "report": report, "period": period, "rows": rows},
    )


urlpatterns = [
    path("communities/", community_list, name="communities"),
    path("communities/new/", community_new, name="community_new"),
    path("communities/participation/", participation, name="participation"),
    path("communities/<int:pk>/", community_detail, name="community_detail"),
    path("communities/<int:pk>/sessions/new/", session_new, name="session_new"),
    path("communities/sessions/<int:pk>/", session_detail, name="session_detail"),
    path(
        "communities/sessions/<int:pk>/attendance/<int:person_pk>/",
        session_attendance,
        name="session_attendance",
    ),
]
