"""Cadence pages: every team's weeks with a customer touchpoint, and one team's.

Thin: `visibility` decides, `cadence.load_cadence` computes, `cadence_chart` draws.
Cadence is an aggregate, so every logged-in role sees it for every team, viewers
included; these pages never show a touchpoint's notes, insights or participants.
The box on the org team page is `cadence_summary.team_cadence_summary`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from productops.discovery import visibility
from productops.discovery.cadence import (
    DEFAULT_WEEKS_BACK,
    SILENT_DAYS,
    TeamCadence,
    default_period,
    load_cadence,
)
from productops.discovery.cadence_chart import cadence_grid, kind_mix_bars
from productops.discovery.cadence_summary import CADENCE_COLUMNS, cadence_rows, percent
from productops.discovery.forms import CadencePeriodForm
from productops.discovery.kinds import SHADOWING_VALUES, discovery_kinds, labels, phrase
from productops.imports.tables import requested_format, table_download
from productops.org.models import Team


def period_of(request: HttpRequest) -> tuple[CadencePeriodForm, date, date]:
    """The form, and the period it asks for (the default when it is empty or invalid)."""
    today = timezone.localdate()
    form = CadencePeriodForm(request.GET or None)
    if form.is_valid():
        end = form.cleaned_data.get("end") or today
        start = form.cleaned_data.get("start") or default_period(end)[0]
        return form, start, end
    start, end = default_period(today)
    return form, start, end


def _require_cadence(request: HttpRequest) -> None:
    if not visibility.sees_cadence(request.user):
        raise PermissionDenied("Log in to see discovery cadence.")


def _team_href(cadence: TeamCadence) -> str:
    return reverse("discovery:team_cadence", args=[cadence.team_id])


def _common(form: CadencePeriodForm, start: date, end: date) -> dict[str, Any]:
    return {
        "form": form,
        "start": start,
        "end": end,
        "silent_days": SILENT_DAYS,
        "weeks_back": DEFAULT_WEEKS_BACK,
        "customer_kinds": labels(discovery_kinds()),
        "shadowing_kinds": labels(SHADOWING_VALUES),
        "shadowing_phrase": phrase(SHADOWING_VALUES),
        "shadowing_counts": bool(SHADOWING_VALUES & discovery_kinds()),
    }


@login_required
def org_cadence(request: HttpRequest) -> HttpResponseBase:
    _require_cadence(request)
    form, start, end = period_of(request)
    cadences = load_cadence(start=start, end=end)
    download = requested_format(request)
    if download:
        return table_download(
            download, "discovery-cadence", CADENCE_COLUMNS, cadence_rows(cadences)
        )
    rows = [
        {"cadence": c, "share": percent(c.weekly_share), "trio": percent(c.trio_share)}
        for c in cadences
    ]
    return render(
        request,
        "discovery/cadence_org.html",
        {
            **_common(form, start, end),
            "rows": rows,
            "silent": [c for c in cadences if c.silent],
            "findings": [c for c in cadences if c.trio_finding],
            "grid": cadence_grid(cadences, href=_team_href),
            "mix": kind_mix_bars(cadences, title="Kinds of touchpoint per team"),
            "can_import": visibility.can_import_touchpoints(request.user),
        },
    )


@login_required
def team_cadence(request: HttpRequest, team_id: int) -> HttpResponseBase:
    _require_cadence(request)
    team = get_object_or_404(Team, pk=team_id)
    form, start, end = period_of(request)
    cadence = load_cadence([team.pk], start=start, end=end)[0]
    download = requested_format(request)
    if download:
        # the page's "Kinds of touchpoint" table
        header = ["Kind", "Touchpoints", "Share %", "Makes a week count"]
        rows = [
            [
                row.label,
                row.count,
                row.percent,
                "yes"
                if row.counts_as_discovery
                else ("no: shadowing, shown apart" if row.shadowing else "no"),
            ]  # fmt: skip
            for row in cadence.kind_rows()
            if row.count
        ]
        return table_download(download, f"{team.name}-touchpoint-kinds", header, rows)
    return render(
        request,
        "discovery/cadence_team.html",
        {
            **_common(form, start, end),
            "team": team,
            "cadence": cadence,
            "share": percent(cadence.weekly_share),
            "trio": percent(cadence.trio_share),
            "grid": cadence_grid([cadence], title=f"{team.name}: weeks with a customer touchpoint"),
            "mix": kind_mix_bars([cadence], title=f"{team.name}: kinds of touchpoint"),
            "kind_rows": [row for row in cadence.kind_rows() if row.count],
            "sees_touchpoints": visibility.sees_touchpoints_of(request.user, team),
            "can_log": visibility.can_log_touchpoint(request.user, team),
        },
    )
