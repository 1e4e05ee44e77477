"""Touchpoint pages: log one in under a minute, a team's list, edit, delete, CSV import.

Thin: `visibility` decides who sees and logs, `actions` write (and import files, read
by `importers.touchpoints_csv`), `forms` parse. A touchpoint the user may not see answers 404; viewers, who never see
touchpoint details, and roles that may not log get 403 with a sentence.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.accounts.visibility import visible_or_404
from productops.discovery import visibility
from productops.discovery.actions import (
    check_import_touchpoints,
    check_log_touchpoint,
    do_delete_touchpoint,
    do_log_touchpoint,
    do_update_touchpoint,
    import_touchpoints_file,
)
from productops.discovery.forms import ImportForm, TouchpointForm, add_errors
from productops.discovery.importers.touchpoints_csv import COLUMNS
from productops.discovery.models import Touchpoint, TouchpointKind
from productops.imports import form_skip_hint
from productops.imports.tables import requested_format, table_download
from productops.org import visibility as org_visibility
from productops.org.models import Team

PAGE_SIZE = 50
NOT_FOR_VIEWERS = (
    "Touchpoints hold the team's notes from customers; a viewer login sees the cadence "
    "(weeks with a touchpoint) only, on the Discovery cadence page."
)


def _require_details(request: HttpRequest) -> None:
    if role_of(request.user) in (None, Role.VIEWER):
        raise PermissionDenied(NOT_FOR_VIEWERS)


def _touchpoint(user: Login, pk: int) -> Touchpoint:
    return visible_or_404(
        visibility.visible_touchpoints(user).select_related("team", "created_by"),
        "No such touchpoint",
        pk=pk,
    )


def _after_logging(user: Login, team: Team) -> str:
    """Back to the team page, where the cadence box shows the change; else its cadence."""
    if org_visibility.can_see_team(user, team):
        return reverse("org:team", args=[team.pk])
    return reverse("discovery:team_cadence", args=[team.pk])


TOUCHPOINT_COLUMNS = ["Date", "Kind", "Participants", "Segment", "Customers", "Insights"]


def _touchpoint_row(touchpoint: Touchpoint) -> list[object]:
    # the whole insights text: the page cuts it short only to keep its rows readable
    return [
        touchpoint.date,
        touchpoint.get_kind_display(),
        ", ".join(person.name for person in touchpoint.participants.all()),
        touchpoint.segment,
        touchpoint.customers,
        touchpoint.insights,
    ]


@login_required
def touchpoint_list(request: HttpRequest, team_id: int) -> HttpResponseBase:
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
    download = requested_format(request)
    if download:
        rows = map(_touchpoint_row, touchpoints)
        return table_download(download, f"touchpoints-{team.name}", TOUCHPOINT_COLUMNS, rows)
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
                add_errors(form, problem)
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
    touchpoint = _touchpoint(request.user, pk)
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
                    add_errors(form, problem)
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
    touchpoint = _touchpoint(request.user, pk)
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
    summary = ""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            skip_invalid = form.cleaned_data["skip_invalid"]
            report = import_touchpoints_file(
                upload, skip_invalid=skip_invalid, created_by=request.user, source=upload.name
            )
            label = form.fields["skip_invalid"].label
            summary = report.summary(form_skip_hint(label, used=skip_invalid))
    else:
        form = ImportForm()
    return render(
        request,
        "discovery/touchpoint_import.html",
        {
            "form": form,
            "report": report,
            "summary": summary,
            "columns": COLUMNS,
            "kinds": TouchpointKind.choices,
        },
    )
