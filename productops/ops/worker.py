"""The background worker around django-tasks-db's loop: its heartbeat, the scheduler, the
jobs a dead worker left "running", and one log line per task.

`productops worker` builds a `ProductopsWorker` and calls `serve()`. While it runs, a
thread touches its `WorkerHeartbeat` row every HEARTBEAT_EVERY seconds and enqueues the
periodic tasks whose slot has come (ops/schedule.py); the main thread runs the tasks.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from productops.ops import jobs, schedule
from productops.ops.models import Job, JobStatus, WorkerHeartbeat
from productops.ops.progress import WORKER_STALE_AFTER

logger = logging.getLogger("productops.tasks")

HEARTBEAT_EVERY = 10.0  # seconds between two touches of the heartbeat row
STALE_AFTER = WORKER_STALE_AFTER
FORGET_AFTER = timedelta(days=7)  # heartbeat rows of long-gone workers are removed

STOPPED_WHILE_RUNNING = (
    "The worker stopped while this ran, so it did not finish and nothing of it was kept. "
    "Make sure `productops worker` is running, then start it again (for an import: run the "
    "import again)."
)


def new_worker_id() -> str:
    """Unique across hosts and restarts, readable in the log: host, pid and a random tail."""
    host = socket.gethostname()[:30]
    return f"{host}-{os.getpid()}-{get_random_string(8)}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def gone_workers(worker_ids: set[str]) -> set[str]:
    """Which of these workers no longer run: no heartbeat row, a heartbeat older than
    STALE_AFTER, or on this host with its process gone."""
    beats = {b.worker_id: b for b in WorkerHeartbeat.objects.filter(worker_id__in=worker_ids)}
    host = socket.gethostname()
    cutoff = timezone.now() - STALE_AFTER
    gone = set()
    for worker_id in worker_ids:
        beat = beats.get(worker_id)
        if (
            beat is None
            or beat.seen_at < cutoff
            or (beat.host == host and beat.pid != os.getpid() and not _pid_alive(beat.pid))
        ):
            gone.add(worker_id)
    return gone


def fail_abandoned(*, only_worker: str | None = None) -> int:
    """Mark failed every Job and task row still "running" whose worker is gone (or, with
    `only_worker`, that worker's own, when it stops mid-task); how many jobs were marked."""
    running_tasks = list(DBTaskResult.objects.running().only("id", "worker_ids"))
    running_jobs = list(Job.objects.filter(status=JobStatus.RUNNING).only("id", "worker_id"))
    task_worker = {str(t.id): (t.worker_ids[-1] if t.worker_ids else "") for t in running_tasks}
    candidates = {w for w in task_worker.values() if w} | {j.worker_id for j in running_jobs}
    candidates.discard("")
    gone = {only_worker} if only_worker else gone_workers(candidates)
    now = timezone.now()
    dead_tasks = [tid for tid, w in task_worker.items() if w in gone]
    if dead_tasks:
        DBTaskResult.objects.filter(id__in=dead_tasks, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path="productops.ops.worker.WorkerStopped",
            traceback=STOPPED_WHILE_RUNNING,
        )
    # A job is its worker's when it says so, or (killed before it said so) when its task
    # row is one of the dead worker's.
    dead_jobs = [j.pk for j in running_jobs if j.worker_id in gone]
    dead_jobs += Job.objects.filter(
        task_id__in=dead_tasks, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).values_list("pk", flat=True)
    marked = Job.objects.filter(
        pk__in=dead_jobs, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).update(status=JobStatus.FAILED, error=STOPPED_WHILE_RUNNING, finished_at=now)
    for job_id in dead_jobs:
        logger.warning("job=%s failed: its worker stopped while it ran", job_id)
    return marked


class Heartbeat(threading.Thread):
    """Touches the worker's row and enqueues due periodic tasks until stopped."""

    def __init__(self, worker_id: str, every: float = HEARTBEAT_EVERY) -> None:
        super().__init__(name="productops-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopping = threading.Event()

    def beat(self) -> None:
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now},
            create_defaults={
                "host": socket.gethostname()[:255],
                "pid": os.getpid(),
                "seen_at": now,
                "started_at": now,
            },
        )

    def run(self) -> None:
        try:
            while not self.stopping.wait(self.every):
                try:
                    close_old_connections()
                    self.beat()
                    schedule.enqueue_due(timezone.now())
                except DatabaseError:  # a busy database: the next beat tries again
                    logger.warning("worker %s: heartbeat skipped, database busy", self.worker_id)
        finally:
            connection.close()


class ProductopsWorker(Worker):
    """django-tasks-db's worker with one log line per task that is not a job task (job
    tasks log their own, ops/jobs.py)."""

    def run_task(self, db_task_result: DBTaskResult) -> None:
        path = db_task_result.task_path
        if path in jobs.JOB_TASK_PATHS:
            super().run_task(db_task_result)
            return
        logger.info("task %s started", path)
        started = time.perf_counter()
        super().run_task(db_task_result)
        seconds = time.perf_counter() - started
        if db_task_result.status == TaskResultStatus.SUCCESSFUL:
            logger.info("task %s finished in %.1fs", path, seconds)
        else:
            logger.info(
                "task %s failed in %.1fs: %s", path, seconds, db_task_result.exception_class_path
            )


def serve(*, worker_id: str, interval: float, batch: bool, backend_name: str = "default") -> None:
    """Run the worker until stopped (or, with `batch`, until nothing is ready)."""
    jobs.set_worker_id(worker_id)
    heartbeat = Heartbeat(worker_id)
    heartbeat.beat()
    marked = fail_abandoned()
    if marked:
        logger.warning(
            "worker %s: %d job(s) left running by a stopped worker failed", worker_id, marked
        )
    cutoff = timezone.now() - FORGET_AFTER
    WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    schedule.enqueue_due(timezone.now())
    worker = ProductopsWorker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name=backend_name,
        startup_delay=not batch,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    heartbeat.start()
    try:
        worker.run()
    finally:
        heartbeat.stopping.set()
        heartbeat.join(timeout=HEARTBEAT_EVERY + 5)
        worker.reset_signals()
        # Forced out mid-task (a second Ctrl+C): its job must not stay "running".
        fail_abandoned(only_worker=worker_id)
        WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
        logger.info("worker %s stopped", worker_id)
