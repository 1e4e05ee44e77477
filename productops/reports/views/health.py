"""The org health report pages: thin, the same action as the API and the command.

Opening the page generates a report (and keeps its snapshot); `<id>/` reopens a kept one
exactly as it was.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from productops.reports import visibility
from productops.reports.actions import do_generate_health_report
from productops.reports.pdf import html_to_pdf
from productops.reports.render import render_document, report_context


def _respond(request: HttpRequest, report: dict[str, Any]) -> HttpResponse:
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
    return render(request, "reports/health.html", report_context(report))


@login_required
def health(request: HttpRequest) -> HttpResponse:
    snapshot = do_generate_health_report(request.user, scope=request.GET.get("scope") or None)
    return _respond(request, snapshot.report)


@login_required
def health_snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_object_or_404(visibility.visible_snapshots(request.user), pk=pk)
    return _respond(request, snapshot.report)
