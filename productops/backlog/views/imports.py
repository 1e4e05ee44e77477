"""The tracker import page: upload exports, see what changed and every problem, by file.

Thin: check `visibility.can_import`, then hand the uploads to `tasks.start_tracker_import`
(a background job running the same import as the command and the API) and send the
browser to the job's page. `?run=<id>` shows one run's outcome as it was kept: the job's
report (summary, files) with the run's stored problems and warnings.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from productops.backlog import actions, tasks, visibility
from productops.backlog.forms import TrackerImportForm
from productops.backlog.models import TrackerImport
from productops.imports import form_skip_hint
from productops.imports.tables import requested_format, table_download
from productops.ops.models import Job

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
    report: dict | None = None
    summary = ""
    if request.method == "POST":
        form = TrackerImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            label = TrackerImportForm.base_fields["skip_invalid"].label
            job = tasks.start_tracker_import(
                data["files"],
                format=data["format"],
                mapping_upload=data["mapping"],
                fields_upload=data["fields"],
                skip_invalid=data["skip_invalid"],
                skip_hint=form_skip_hint(label, used=data["skip_invalid"]),
                user=request.user,
            )
            return redirect("ops:job", job.pk)
    else:
        form = TrackerImportForm()
        if request.GET.get("run", "").isdigit():
            report = _stored_report(get_object_or_404(TrackerImport, pk=int(request.GET["run"])))
            summary = report["summary"]
    actions.do_mark_unfinished_imports()  # a run killed since the last look says so
    recent = Paginator(
        TrackerImport.objects.select_related("by").order_by("-started_at", "-pk"),
        RECENT_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    shown_format = report["run"].format if report else form["format"].value()
    return render(
        request,
        "backlog/import_page.html",
        {
            "form": form,
            "report": report,
            "summary": summary,
            "page": recent,
            "position_word": "position" if str(shown_format).endswith("json") else "row",
            "max_upload_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20,
        },
    )


def _stored_report(run: TrackerImport) -> dict:
    """One run's outcome as kept: its job's report when a job ran it (summary and files),
    with the problems and warnings the run row keeps (a command-line run has no job)."""
    job = (
        Job.objects.filter(kind=tasks.IMPORT_KIND, result__tracker_import_id=run.pk)
        .order_by("-pk")
        .first()
    )
    kept = job.result if job is not None and isinstance(job.result, dict) else {}
    written = kept.get("written", run.status == "finished" and not (run.errors and not run.skipped))
    summary = kept.get("summary") or (
        f"{run.items_created} created, {run.items_updated} updated, "
        f"{run.items_unchanged} unchanged; {len(run.errors)} problem(s)."
    )
    return {
        "written": written,
        "summary": summary,
        "errors": run.errors,
        "warnings": run.warnings,
        "warning_count": run.warning_count,
        "files": kept.get("files", []),
        "run": run,
    }
