"""Touchpoint pages: log one in under a minute, a team's list, edit, delete, CSV import.

Thin: `visibility` decides who sees and logs, `actions` write, `touchpoints_import`
reads files. A touchpoint the user may not see answers 404; viewers, who never see
touchpoint details, and roles that may not log get 403 with a sentence.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone

from productops.accounts.models import Role
from productops.accounts.roles import person_id_of, role_of
from productops.discovery import visibility
from productops.discovery.actions import (
    TouchpointInput,
    check_import_touchpoints,
    check_log_touchpoint,
    do_delete_touchpoint,
    do_log_touchpoint,
    do_update_touchpoint,
)
from productops.discovery.models import Touchpoint, TouchpointKind
from productops.discovery.touchpoints_import import COLUMNS, import_touchpoints_file
from productops.org import visibility as org_visibility
from productops.org.models import Person, Team

PAGE_SIZE = 50
NOT_FOR_VIEWERS = (
    "Touchpoints hold the team's notes from customers; a viewer login sees the cadence "
    "(weeks with a touchpoint) only, on the Discovery cadence page."
)


class TouchpointForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=TouchpointKind.choices, initial=TouchpointKind.INTERVIEW)
    participants = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Who of the team took part.",
    )
    segment = forms.CharField(label="Customer segment", required=False, max_length=200)
    customers = forms.IntegerField(label="Number of customers", min_value=1, initial=1)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))
    insights = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, team: Team, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = team.members.order_by("name")  # type: ignore[attr-defined]

    def as_input(self) -> TouchpointInput:
        data = self.cleaned_data
        return TouchpointInput(
            date=data["date"],
            kind=data["kind"],
            participant_ids=frozenset(person.pk for person in data["participants"]),
            segment=data["segment"],
            customers=data["customers"],
            notes=data["notes"],
            insights=data["insights"],
        )


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file")
    skip_invalid = forms.BooleanField(
        required=False, label="Write the good rows even when some rows have problems"
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def _require_details(request: HttpRequest) -> None:
    if role_of(request.user) in (None, Role.VIEWER):
        raise PermissionDenied(NOT_FOR_VIEWERS)


def _touchpoint_or_404(user: Any, pk: int) -> Touchpoint:
    touchpoint = (
        visibility.visible_touchpoints(user)
        .select_related("team", "created_by")
        .filter(pk=pk)
        .first()
    )
    if touchpoint is None:
        raise Http404("No such touchpoint")
    return touchpoint


def _after_logging(user: Any, team: Team) -> str:
    """Back to the team page, where the cadence box shows the change; else its cadence."""
    if org_visibility.can_see_team(user, team):
        return reverse("org:team", args=[team.pk])
    return reverse("discovery:team_cadence", args=[team.pk])


@login_required
def touchpoint_list(request: HttpRequest, team_id: int) -> HttpResponse:
    _require_details(request)
    team = get_object_or_404(Team, pk=team_id)
    if not visibility.sees_touchpoints_of(request.user, team):
        raise Http404("No such team")
    touchpoints = (
        visibility.visible_touchpoints(request.user)
        .filter(team=team)
        .prefetch_related("participants")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "discovery/touchpoint_list.html",
        {
            "team": team,
            "page": Paginator(touchpoints, PAGE_SIZE).get_page(request.GET.get("page")),
            "can_log": visibility.can_log_touchpoint(request.user, team),
        },
    )


@login_required
def touchpoint_new(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_object_or_404(Team, pk=team_id)
    check_log_touchpoint(request.user, team)
    if request.method == "POST":
        form = TouchpointForm(request.POST, team=team)
        if form.is_valid():
            try:
                touchpoint = do_log_touchpoint(request.user, team, form.as_input())
            except ValidationError as problem:
                _add_errors(form, problem)
            else:
                messages.success(
                    request,
                    f"Logged the {touchpoint.get_kind_display().lower()} of "
                    f"{touchpoint.date:%Y-%m-%d} for {team.name}.",
                )
                return redirect(_after_logging(request.user, team))
    else:
        me = person_id_of(request.user)
        mine = [me] if me is not None and team.memberships.filter(person_id=me).exists() else []
        form = TouchpointForm(
            team=team, initial={"date": timezone.localdate(), "participants": mine}
        )
    return render(request, "discovery/touchpoint_form.html", {"form": form, "team": team})


@login_required
def touchpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_details(request)
    touchpoint = _touchpoint_or_404(request.user, pk)
    team = touchpoint.team
    can_edit = visibility.can_log_touchpoint(request.user, team)
    form = None
    if can_edit:
        if request.method == "POST":
            form = TouchpointForm(request.POST, team=team)
            if form.is_valid():
                try:
                    do_update_touchpoint(request.user, touchpoint, form.as_input())
                except ValidationError as problem:
                    _add_errors(form, problem)
                else:
                    messages.success(request, "Saved the touchpoint.")
                    return redirect("discovery:touchpoint", pk=touchpoint.pk)
        else:
            form = TouchpointForm(
                team=team,
                initial={
                    "date": touchpoint.date,
                    "kind": touchpoint.kind,
                    "participants": list(touchpoint.participants.values_list("pk", flat=True)),
                    "segment": touchpoint.segment,
                    "customers": touchpoint.customers,
                    "notes": touchpoint.notes,
                    "insights": touchpoint.insights,
                },
            )
    elif request.method == "POST":
        raise PermissionDenied(
            f"Only the members of {team.name}, managers and admins change its touchpoints."
        )
    return render(
        request,
        "discovery/touchpoint_detail.html",
        {
            "touchpoint": touchpoint,
            "team": team,
            "participants": touchpoint.participants.order_by("name"),
            "form": form,
        },
    )


@login_required
def touchpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require_details(request)
    touchpoint = _touchpoint_or_404(request.user, pk)
    team = touchpoint.team
    check_log_touchpoint(request.user, team)
    if request.method == "POST":
        do_delete_touchpoint(request.user, touchpoint)
        messages.success(request, f"Deleted the touchpoint of {touchpoint.date:%Y-%m-%d}.")
        return redirect("discovery:touchpoints", team_id=team.pk)
    cited = touchpoint.opportunities.count()
    return render(
        request,
        "discovery/touchpoint_delete.html",
        {"touchpoint": touchpoint, "team": team, "cited": cited},
    )


@login_required
def touchpoint_import(request: HttpRequest) -> HttpResponse:
    check_import_touchpoints(request.user)
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            report = import_touchpoints_file(
                upload,
                skip_invalid=form.cleaned_data["skip_invalid"],
                created_by=request.user,
                source=upload.name,
            )
    else:
        form = ImportForm()
    return render(
        request,
        "discovery/touchpoint_import.html",
        {"form": form, "report": report, "columns": COLUMNS, "kinds": TouchpointKind.choices},
    )


urlpatterns = [
    path("teams/<int:team_id>/touchpoints/", touchpoint_list, name="touchpoints"),
    path("teams/<int:team_id>/touchpoints/new/", touchpoint_new, name="touchpoint_new"),
    path("touchpoints/<int:pk>/", touchpoint_detail, name="touchpoint"),
    path("touchpoints/<int:pk>/delete/", touchpoint_delete, name="touchpoint_delete"),
    path("touchpoints/import/", touchpoint_import, name="touchpoint_import"),
]
