"""Tracker imports over the API: upload exports (multipart) and list recent imports.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time and needs them evaluated. The upload starts a
background job (`backlog.tasks.start_tracker_import`), the same import the page and the
command run; its report is the job's result. Refusals and invalid input propagate to the handlers of `productops.api`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from productops.backlog import actions, tasks, visibility
from productops.backlog.models import TrackerImport
from productops.backlog.schemas.imports import ImportJobOut, TrackerImportOut
from productops.backlog.writer import FORMATS
from productops.imports import API_SKIP_HINT

router = Router(tags=["backlog: imports"])


def _require_import(request: HttpRequest) -> None:
    if not visibility.can_import(request.user):
        raise PermissionDenied("Only admins and managers can import tracker exports.")


@router.post(
    "/imports",
    response={202: ImportJobOut},
    summary="Start an import of tracker export files (multipart: files, format, mapping, fields)",
)
def create_import(
    request: HttpRequest,
    files: File[list[UploadedFile]],
    format: Form[str],
    skip_invalid: Form[bool] = False,
    mapping: File[UploadedFile | None] = None,
    fields: File[UploadedFile | None] = None,
):
    """The import runs as a background job: 202 with the job's id; poll `status_url`
    (`GET /api/jobs/{id}`) until it is done, then its result holds the import's report
    (summary, counts, every problem by file, row and column, and the run's id)."""
    _require_import(request)
    if format not in FORMATS:
        raise ValidationError(f"Unknown format {format!r}: use one of {', '.join(FORMATS)}.")
    job = tasks.start_tracker_import(
        files,
        format=format,
        mapping_upload=mapping,
        fields_upload=fields,
        skip_invalid=skip_invalid,
        skip_hint=None if skip_invalid else API_SKIP_HINT,
        user=request.user,
    )
    return 202, {
        "job_id": job.pk,
        "status": job.status,
        "title": job.title,
        "status_url": f"/api/jobs/{job.pk}",
        "job_url": reverse("ops:job", args=[job.pk]),
    }


@router.get("/imports", response=list[TrackerImportOut], summary="Recent tracker imports")
@paginate
def list_imports(request: HttpRequest):
    _require_import(request)
    actions.do_mark_unfinished_imports()  # a run killed since the last look says so
    return TrackerImport.objects.order_by("-started_at", "-pk")
