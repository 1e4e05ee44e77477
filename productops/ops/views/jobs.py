"""A job's page and the status fragment it polls (htmx) until the job is finished."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from productops.ops.progress import job_progress
from productops.ops.visibility import visible_job_or_404


def _context(request: HttpRequest, pk: int) -> dict[str, Any]:
    job = visible_job_or_404(request.user, pk)
    return {"job": job, "progress": job_progress(job)}


@login_required
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "ops/job_page.html", _context(request, pk))


@login_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "ops/job_page.html#status", _context(request, pk))
