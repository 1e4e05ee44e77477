"""The reports' background jobs: generating an org health report (at 2,000 people it
takes longer than a page view). The page checks the form, then starts the job; the
result is the kept snapshot, and the job's result_url its page."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from productops.ops.jobs import JobFailed, job_task, report_progress, start_job
from productops.ops.models import Job
from productops.reports.actions import do_generate_health_report

HEALTH_KIND = "health-report"


def start_health_report(
    user: Any, *, scope: str, start: date | None, end: date | None, scope_label: str = ""
) -> Job:
    """Start generating a report for `user` (the caller has checked the form: the scope
    is one the user may pick)."""
    return start_job(
        HEALTH_KIND,
        f"Org health report: {scope_label or scope}",
        generate_health_report,
        scope,
        start.isoformat() if start else None,
        end.isoformat() if end else None,
        owner=user,
        result_url=reverse("reports:health"),
    )


@job_task
def generate_health_report(
    job: Job, scope: str, start: str | None, end: str | None
) -> dict[str, Any]:
    if job.owner is None:
        raise JobFailed("The person who asked for this report no longer has a login.")
    report_progress(job, 0, None, "Reading the organization")
    snapshot = do_generate_health_report(
        job.owner,
        scope=scope,
        start=date.fromisoformat(start) if start else None,
        end=date.fromisoformat(end) if end else None,
    )
    url = reverse("reports:health_snapshot", args=[snapshot.pk])
    Job.objects.filter(pk=job.pk).update(result_url=url)
    report_progress(job, 1, 1, "Kept")
    return {"summary": "The report is ready.", "snapshot_id": snapshot.pk}
