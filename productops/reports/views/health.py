"""The org health report pages: thin, the same action as the API and the command.

`/reports/health/` shows the form (scope, start, end) and the past reports the reader may
open; posting the form starts a background job generating the report (kept as a snapshot) and
redirects to the job's page, which links to the snapshot when it is done.
`<id>/` reopens a kept one exactly as it was, with its HTML and PDF downloads.

With htmx the form posts twice: the first post (`step=start`) only checks the form and
answers with a disabled "Generating…" button that posts the same values again on load
(`step=run`), which starts the job and sends the browser to its page (`HX-Redirect`).
Without JavaScript the form posts once and the answer is a plain redirect.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from productops.accounts.roles import Login
from productops.reports import tasks, visibility
from productops.reports.health import parse_period, parse_scope, scope_choices
from productops.reports.pdf import html_to_pdf
from productops.reports.render import render_document, report_context

PER_PAGE = 20


def _download(request: HttpRequest, report: dict[str, Any]) -> HttpResponse | None:
    download = request.GET.get("download", "")
    if download == "html":
        response = HttpResponse(render_document(report), content_type="text/html")
        response["Content-Disposition"] = 'attachment; filename="org-health.html"'
        return response
    if download == "pdf":
        pdf = html_to_pdf(render_document(report))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="org-health.pdf"'
        return response
    return None


def _form(user: Login, data: QueryDict) -> dict[str, Any]:
    """The form's values, the scopes it offers and, when a value is wrong, its error (a
    sentence saying what to pick instead)."""
    values = {name: data.get(name, "").strip() for name in ("scope", "start", "end")}
    values["scope"] = values["scope"] or "org"
    try:
        start, end = parse_period(values["start"], values["end"])
        parse_scope(user, values["scope"])
        error = ""
    except ValueError as problem:
        start = end = None
        error = str(problem)
    scopes = scope_choices(user)
    return {
        "values": values,
        "start": start,
        "end": end,
        "error": error,
        "scopes": scopes,
        "scope_label": dict(scopes).get(values["scope"], values["scope"]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def health(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _generate(request)
    return _index(request, _form(request.user, request.GET))


def _index(request: HttpRequest, form: dict[str, Any]) -> HttpResponse:
    kept = visibility.visible_snapshots(request.user).defer(
        "report", "numbers", "inputs", "summary"
    )
    page = Paginator(kept, PER_PAGE).get_page(request.GET.get("page"))
    # A kept report's scope by name ("Checkout", not "team:3"); a team since removed keeps
    # its key.
    labels = dict(form["scopes"])
    for snapshot in page:
        snapshot.scope_label = labels.get(snapshot.scope, snapshot.scope)  # type: ignore[attr-defined]
    return render(request, "reports/health.html", {"form": form, "page": page})


def _generate(request: HttpRequest) -> HttpResponse:
    form = _form(request.user, request.POST)
    htmx = request.headers.get("HX-Request") == "true"
    if form["error"]:
        if htmx:
            return render(request, "reports/_report_form.html", {"form": form})
        return _index(request, form)
    if htmx and request.POST.get("step") == "start":
        return render(request, "reports/_report_generating.html", {"form": form})
    job = tasks.start_health_report(
        request.user,
        scope=form["values"]["scope"],
        start=form["start"],
        end=form["end"],
        scope_label=form["scope_label"],
    )
    url = reverse("ops:job", args=[job.pk])
    if htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
def health_snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(visibility.visible_snapshots(request.user), pk=pk)
    download = _download(request, snapshot.report)
    if download is not None:
        return download
    context = {**report_context(snapshot.report), "snapshot": snapshot}
    return render(request, "reports/health_snapshot.html", context)
