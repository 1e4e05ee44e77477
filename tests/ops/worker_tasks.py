"""Tasks for the worker tests: module-level, so a real worker process imports them by
their path (tests is a package, and the worker runs from the repository root)."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from productops.ops.jobs import JobFailed, job_task, report_progress
from productops.ops.models import Job


@job_task
def count_to(job: Job, n: int) -> dict[str, object]:
    for i in range(1, n + 1):
        report_progress(job, i, n, f"Counted {i}")
    return {"summary": f"Counted to {n}.", "n": n}


@job_task
def refuse(job: Job, sentence: str) -> None:
    raise JobFailed(sentence)


@job_task
def break_down(job: Job) -> None:
    raise ValueError("an unexpected problem inside")


@job_task
def hang_until_killed(job: Job, marker: str) -> None:
    report_progress(job, 1, None, "Holding on")
    Path(marker).write_text(str(job.pk))
    time.sleep(600)


TICKS: list[str] = []


@task()
def tick(slot: str) -> None:
    TICKS.append(slot)


@task()
def tock() -> None:
    TICKS.append("tock")


@job_task
def linger(job: Job, marker: str, seconds: float) -> dict[str, object]:
    Path(marker).write_text(str(job.pk))
    time.sleep(seconds)
    return {"summary": "Finished after the stop was asked."}
