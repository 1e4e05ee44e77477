"""How far a job got, in the words and numbers its page and the API show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from productops.ops.models import Job, JobStatus, WorkerHeartbeat

# A heartbeat older than this is a worker gone (the worker touches it every 10 s).
WORKER_STALE_AFTER = timedelta(minutes=2)
# A job waiting longer than this with no live worker gets the admin's next step.
WAITING_TOO_LONG = timedelta(seconds=30)


@dataclass(frozen=True)
class JobProgress:
    percent: int | None  # None: the total is not known yet (an indeterminate bar)
    no_worker: bool  # waiting, and no worker is running to take it


def live_worker_seen() -> bool:
    """Whether some worker touched its heartbeat within WORKER_STALE_AFTER."""
    since = timezone.now() - WORKER_STALE_AFTER
    return WorkerHeartbeat.objects.filter(seen_at__gte=since).exists()


def job_progress(job: Job) -> JobProgress:
    percent = None
    if job.total:
        percent = min(100, job.done * 100 // job.total)
    elif job.total == 0:
        percent = 100
    no_worker = (
        job.status == JobStatus.QUEUED
        and timezone.now() - job.created_at > WAITING_TOO_LONG
        and not live_worker_seen()
    )
    return JobProgress(percent=percent, no_worker=no_worker)
