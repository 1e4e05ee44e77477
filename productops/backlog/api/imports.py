"""Tracker imports over the API: upload exports (multipart) and list recent imports.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time and needs them evaluated. Thin over
`backlog.actions.import_uploaded_tracker_files`, the same import the page and the
command run. Refusals and invalid input propagate to the handlers of `productops.api`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from productops.backlog import actions, visibility
from productops.backlog.models import TrackerImport
from productops.backlog.schemas.imports import ImportResultOut, TrackerImportOut
from productops.backlog.writer import FORMATS
from productops.imports import API_SKIP_HINT, RowError

router = Router(tags=["backlog: imports"])


def _require_import(request: HttpRequest) -> None:
    if not visibility.can_import(request.user):
        raise PermissionDenied("Only admins and managers can import tracker exports.")


@router.post(
    "/imports",
    response=ImportResultOut,
    summary="Import tracker export files (multipart: files, format, mapping, fields)",
)
def create_import(
    request: HttpRequest,
    files: File[list[UploadedFile]],
    format: Form[str],
    skip_invalid: Form[bool] = False,
    mapping: File[UploadedFile | None] = None,
    fields: File[UploadedFile | None] = None,
):
    _require_import(request)
    if format not in FORMATS:
        raise ValidationError(f"Unknown format {format!r}: use one of {', '.join(FORMATS)}.")
    report = actions.import_uploaded_tracker_files(
        files,
        format=format,
        mapping_upload=mapping,
        fields_upload=fields,
        skip_invalid=skip_invalid,
        user=request.user,
    )
    return {
        "id": report.tracker_import_id,
        "written": report.written,
        "summary": report.summary(None if skip_invalid else API_SKIP_HINT),
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "skipped": report.skipped,
        "changes_added": report.changes_added,
        "errors": [_problem(e) for e in report.errors],
        "warning_count": report.warning_count,
        "warnings": [_problem(w) for w in report.warnings],
        "files": [
            {
                "name": f.name,
                "read": f.read,
                "created": f.created,
                "updated": f.updated,
                "unchanged": f.unchanged,
                "replaced": f.replaced,
                "skipped": f.skipped,
                "warnings": f.warnings,
                "problems": f.problems,
            }
            for f in report.files
        ],
    }


def _problem(e: RowError) -> dict:
    return {"source": e.source, "row": e.row, "key": e.key, "column": e.column, "reason": e.reason}


@router.get("/imports", response=list[TrackerImportOut], summary="Recent tracker imports")
@paginate
def list_imports(request: HttpRequest):
    _require_import(request)
    actions.do_mark_unfinished_imports()  # a run killed since the last look says so
    return TrackerImport.objects.order_by("-started_at", "-pk")
