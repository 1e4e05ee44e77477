"""The tracker import page: upload exports, see what changed and every problem, by file.

Thin: check `visibility.can_import`, hand the uploads to
`actions.import_uploaded_tracker_files` (the same import the command and the API run) and
render its report with the recent imports.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from productops.backlog import actions, visibility
from productops.backlog.forms import TrackerImportForm
from productops.backlog.models import TrackerImport
from productops.imports import form_skip_hint
from productops.imports.tables import requested_format, table_download

RECENT_PAGE_SIZE = 20


RECENT_COLUMNS = ["When", "Format", "Files", "Created", "Updated", "Unchanged",
                  "New changes", "Problems", "Warnings", "By", "Status"]  # fmt: skip


def _recent_row(run: TrackerImport) -> list[object]:
    return [
        timezone.localtime(run.started_at),
        run.format,
        ", ".join(run.files),
        run.items_created,
        run.items_updated,
        run.items_unchanged,
        run.changes_added,
        len(run.errors),
        run.warning_count,
        run.by.get_username() if run.by else "command line",
        run.get_status_display(),
    ]


@login_required
def import_page(request: HttpRequest) -> HttpResponseBase:
    if not visibility.can_import(request.user):
        raise PermissionDenied("Only admins and managers can import tracker exports.")
    download = requested_format(request) if request.method == "GET" else None
    if download:
        # every import run, the page's "Recent imports" without its pagination
        actions.do_mark_unfinished_imports()
        runs = TrackerImport.objects.select_related("by").order_by("-started_at", "-pk")
        return table_download(download, "tracker-imports", RECENT_COLUMNS, map(_recent_row, runs))
    report = None
    summary = ""
    if request.method == "POST":
        form = TrackerImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            report = actions.import_uploaded_tracker_files(
                data["files"],
                format=data["format"],
                mapping_upload=data["mapping"],
                fields_upload=data["fields"],
                skip_invalid=data["skip_invalid"],
                user=request.user,
            )
            label = TrackerImportForm.base_fields["skip_invalid"].label
            summary = report.summary(form_skip_hint(label, used=data["skip_invalid"]))
            if report.written:
                messages.success(request, summary)
            else:
                messages.error(request, summary)
    else:
        form = TrackerImportForm()
    actions.do_mark_unfinished_imports()  # a run killed since the last look says so
    recent = Paginator(
        TrackerImport.objects.select_related("by").order_by("-started_at", "-pk"),
        RECENT_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "backlog/import_page.html",
        {
            "form": form,
            "report": report,
            "summary": summary,
            "page": recent,
            "position_word": "position" if str(form["format"].value()).endswith("json") else "row",
            "max_upload_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20,
        },
    )
