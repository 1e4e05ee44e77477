"""Background jobs: a person-facing record around a django-tasks task.

The contract every app uses (the worker helper refines the inside, not the names):

    @job_task                       # a django-tasks task whose first argument is the Job id
    def import_files(job: Job, paths: list[str]) -> dict: ...
        report_progress(job, done, total, "Reading jira.json")
        return {"summary": "..."}   # JSON: kept as Job.result

    job = start_job("tracker-import", "Import of jira.json", import_files, paths,
                    owner=request.user, result_url="/backlog/import/")
    return redirect("ops:job", job.pk)

A task that raises `JobFailed("what to do next")` fails with that sentence as its error;
any other exception fails with a short generic sentence for the person and the traceback
in the log. The immediate backend (tests, PRODUCTOPS_TASK_BACKEND=immediate) runs the task
inside `start_job`.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from productops.ops.models import Job, JobStatus

P = ParamSpec("P")
logger = logging.getLogger("productops.tasks")

PROGRESS_EVERY = 0.5  # seconds between two progress writes of one job

# The worker process this runs in (set by `productops worker`), kept on each Job it runs so
# a worker that starts later can tell a job whose worker died from one still running.
_worker = {"id": ""}
# The task paths made by `job_task`: they log their own lines, the worker logs the others.
JOB_TASK_PATHS: set[str] = set()


def set_worker_id(worker_id: str) -> None:
    _worker["id"] = worker_id


class JobFailed(Exception):
    """A failure to show the person as it is: the message says what to do next."""


def job_task(function: Callable[Concatenate[Job, P], Any]) -> Task:
    """Turn `function(job, *args)` into a task taking the job's id: it marks the job
    running, then done with the returned value, or failed with its error."""

    @functools.wraps(function)
    def run(job_id: int, *args: Any, **kwargs: Any) -> Any:
        job = Job.objects.get(pk=job_id)
        if job.finished:  # marked failed while it waited (its worker died): not run again
            return None
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), worker_id=_worker["id"]
        )
        logger.info("task %s job=%s started", job.kind, job.pk)
        started = time.perf_counter()
        try:
            result = function(job, *args, **kwargs)
        except JobFailed as failure:
            _finish(job, JobStatus.FAILED, error=str(failure))
            logger.info("task %s job=%s failed in %.1fs: %s", job.kind, job.pk,
                        time.perf_counter() - started, failure)  # fmt: skip
            return None
        except Exception:
            logger.exception("task %s job=%s failed", job.kind, job.pk)
            _finish(job, JobStatus.FAILED, error=(
                "This stopped on an unexpected problem; the server log has the details. "
                "Try again, and tell your admin if it fails again."))  # fmt: skip
            return None
        _finish(job, JobStatus.DONE, result=result)
        logger.info("task %s job=%s done in %.1fs", job.kind, job.pk, time.perf_counter() - started)
        return None

    made = task()(run)
    JOB_TASK_PATHS.add(made.module_path)
    return made


def _finish(job: Job, status: str, *, result: Any = None, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, result=result, error=error, finished_at=timezone.now()
    )


def start_job(
    kind: str,
    title: str,
    job_task: Task,
    *args: Any,
    owner: Any = None,
    result_url: str = "",
    **kwargs: Any,
) -> Job:
    """Record a job and enqueue its task. With the database backend the task row is
    written in the caller's transaction, so the worker sees both or neither; the
    immediate backend runs the task here."""
    job = Job.objects.create(kind=kind, title=title[:200], owner=owner, result_url=result_url)
    result = job_task.enqueue(job.pk, *args, **kwargs)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


_last_write: dict[int, float] = {}


def report_progress(job: Job, done: int, total: int | None = None, message: str = "") -> None:
    """Write how far a job got, at most every PROGRESS_EVERY seconds (and always at the end)."""
    now = time.monotonic()
    final = total is not None and done >= total
    if not final and now - _last_write.get(job.pk, 0.0) < PROGRESS_EVERY:
        return
    _last_write[job.pk] = now
    Job.objects.filter(pk=job.pk).update(done=done, total=total, message=message[:300])
