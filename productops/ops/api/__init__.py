"""Jobs over the API: how far a background job got, and its result or its error.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. Visibility as on the job page (ops.visibility).
"""

from django.http import HttpRequest
from ninja import Router

from productops.ops.progress import job_progress
from productops.ops.schemas import JobOut
from productops.ops.visibility import visible_job_or_404

router = Router(tags=["jobs"])


@router.get("/{job_id}", response=JobOut, summary="A background job: status, progress, result")
def job_detail(request: HttpRequest, job_id: int) -> JobOut:
    job = visible_job_or_404(request.user, job_id)
    return JobOut(
        id=job.pk,
        kind=job.kind,
        title=job.title,
        status=job.status,
        done=job.done,
        total=job.total,
        message=job.message,
        result=job.result,
        error=job.error,
        result_url=job.result_url,
        no_worker=job_progress(job).no_worker,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )
