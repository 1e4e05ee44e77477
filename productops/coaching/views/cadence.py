"""Cadence pages: the health of 1:1 series and managers' 1:1 load, and a series' calendar file.

Thin: `visibility` decides what a user sees, `cadence.load_cadence` computes it, `ics`
writes the calendar. The API (`api/one_on_ones.py`) makes the same calls.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from productops.coaching import ics, visibility
from productops.coaching.cadence import (
    GRACE_DAYS,
    LAPSED_AFTER_INTERVALS,
    CadenceReport,
    Health,
    load_cadence,
    reports_that_fit,
)
from productops.coaching.forms.cadence import (
    CadencePeriodForm,
    CalendarTimeForm,
)
from productops.coaching.models import OneOnOne, OneOnOneSeries
from productops.imports.tables import requested_format, table_download

PAGE_SIZE = 50
BAR_SCALE = 1.5  # the load bar spans 150% of the budget; heavier loads fill it


def _load_bar(share: float) -> dict[str, Any]:
    """Widths on a 0–100 scale where `BAR_SCALE` × the budget fills the bar."""
    filled = min(share, BAR_SCALE) / BAR_SCALE * 100
    return {"width": round(filled, 1), "budget_x": round(100 / BAR_SCALE, 1), "over": share > 1}


def _cadence_download(
    format: str, table: str, report: CadenceReport, names: bool, shows_loads: bool
) -> HttpResponseBase:
    """One of the page's tables: a reader who sees no names gets the counts per health
    whatever `table` asks for, as that is all their page shows."""
    if not names or table == "counts":
        header = ["Health", "Series"]
        return table_download(
            format,
            "one-on-one-cadence-counts",
            header,
            [[h.label, report.counts[str(h)]] for h in Health],
        )
    if table == "loads":
        header = [
            "Manager",
            "Series",
            "Hours a week",
            "Budget hours",
            "Over budget",
            "Direct reports",
            "Reports a weekly 1:1 fits",
            "Reports without a series",
        ]
        loads = [
            [
                load.name,
                load.series_count,
                round(load.hours_per_week, 1),
                load.budget_hours,
                "yes" if load.over_budget else "no",
                load.direct_reports,
                load.fits,
                ", ".join(person.name for person in load.reports_without_series),
            ]
            for load in (report.loads if shows_loads else [])
        ]
        return table_download(format, "one-on-one-loads", header, loads)
    header = [
        "Lead",
        "With",
        "Cadence",
        "Minutes",
        "Last held",
        "Days since last",
        "Missed",
        "Expected",
        "Held",
        "Next planned",
        "Next due",
        "Health",
        "Days past due",
    ]
    rows = [
        [
            s.fact.lead_name,
            s.fact.report_name,
            s.fact.cadence.capitalize(),
            s.fact.duration_minutes,
            s.fact.last_held,
            s.days_since_last,
            s.missed,
            s.expected,
            s.fact.held,
            s.fact.next_planned,
            None if s.health is Health.ENDED else s.next_due,
            s.health.label,
            s.overdue_days if s.overdue else None,
        ]
        for s in report.series
    ]
    return table_download(format, "one-on-one-cadence", header, rows)


@login_required
def cadence_report(request: HttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    form = CadencePeriodForm(request.GET or None)
    since = form.cleaned_data.get("since") if form.is_valid() else None
    names = visibility.sees_series_names(request.user)
    # Viewers get counts over every series, never a name: the template shows only those.
    series = visibility.visible_series(request.user) if names else OneOnOneSeries.objects.all()
    load_scope = visibility.cadence_load_scope(request.user) if names else set()
    report = load_cadence(series, today=today, since=since, load_scope=load_scope)
    download = requested_format(request)
    if download:
        shows_loads = names and (load_scope is None or bool(load_scope))
        table = request.GET.get("table", "")
        return _cadence_download(download, table, report, names, shows_loads)
    context: dict[str, Any] = {
        "counts": report.counts,
        "healths": [
            {"key": str(h), "label": h.label, "count": report.counts[str(h)]} for h in Health
        ],
        "sees_names": names,
        "grace_days": GRACE_DAYS,
        "lapsed_after": LAPSED_AFTER_INTERVALS,
        "budget_hours": report.thresholds.one_on_one_budget_hours,
        "thresholds": report.thresholds,
        "budget_percent": round(report.thresholds.one_on_one_share * 100),
        "fits": reports_that_fit(report.thresholds),
    }
    if names:
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            since=since,
            page=Paginator(report.series, PAGE_SIZE).get_page(request.GET.get("page")),
            query=query.urlencode(),
            loads=[{"load": load, "bar": _load_bar(load.share_of_budget)} for load in report.loads],
            shows_loads=load_scope is None or bool(load_scope),
        )
    return render(request, "coaching/cadence_report.html", context)


@login_required
def series_ics(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_object_or_404(OneOnOneSeries.objects.select_related("lead", "report"), pk=pk)
    if not visibility.can_see_series(request.user, series):
        raise Http404("No such series")
    form = CalendarTimeForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponse(
            "Give the time of day as HH:MM, for example ?time=14:30.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    start_time = (form.cleaned_data.get("time") if request.GET else None) or ics.DEFAULT_START_TIME
    text = ics.series_calendar(
        series_event(series, request.build_absolute_uri(_series_url(series))),
        stamp=timezone.now(),
        uid_domain=urlsplit(f"//{request.get_host()}").hostname or "productops",
        start_time=start_time,
    )
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="one-on-one-{series.pk}.ics"'
    return response


def series_event(series: OneOnOneSeries, url: str = "") -> ics.SeriesEvent:
    """The calendar's view of a series: it starts at the next planned 1:1, else the start."""
    next_planned = (
        OneOnOne.objects.filter(
            series=series, status=OneOnOne.Status.PLANNED, date__gte=timezone.localdate()
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return ics.SeriesEvent(
        series_id=series.pk,
        lead=ics.Participant(series.lead.name, series.lead.email),
        report=ics.Participant(series.report.name, series.report.email),
        cadence=series.cadence,
        duration_minutes=series.duration_minutes,
        first_date=next_planned or series.start_date,
        active=series.active,
        url=url,
    )


def _series_url(series: OneOnOneSeries) -> str:
    return reverse("coaching:series_detail", args=[series.pk])
