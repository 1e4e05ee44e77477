"""A worker starting up fails the jobs and task rows a gone worker left "running", and
leaves a live worker's alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from productops.ops.models import Job, JobStatus, WorkerHeartbeat
from productops.ops.worker import STOPPED_WHILE_RUNNING, fail_abandoned


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


class StaleJobs(TestCase):
    def worker(self, worker_id: str, *, host: str | None = None, pid: int | None = None,
               seen_ago: timedelta = timedelta(0)) -> None:  # fmt: skip
        now = timezone.now()
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=host or socket.gethostname(), pid=pid or os.getpid(),
            started_at=now - timedelta(hours=1), seen_at=now - seen_ago,
        )  # fmt: skip

    def running_job(self, worker_id: str) -> tuple[Job, DBTaskResult]:
        row = DBTaskResult.objects.create(
            status=TaskResultStatus.RUNNING, args_kwargs={"args": [], "kwargs": {}},
            task_path="tests.ops.worker_tasks.count_to", backend_name="default",
            run_after=timezone.now(), worker_ids=[worker_id], started_at=timezone.now(),
        )  # fmt: skip
        job = Job.objects.create(
            kind="selftest", title=f"Run by {worker_id}", status=JobStatus.RUNNING,
            worker_id=worker_id, task_id=str(row.id), started_at=timezone.now(),
        )  # fmt: skip
        return job, row

    def assert_failed(self, job: Job, row: DBTaskResult) -> None:
        job.refresh_from_db()
        row.refresh_from_db()
        self.assertEqual(job.status, JobStatus.FAILED)
        self.assertEqual(job.error, STOPPED_WHILE_RUNNING)
        self.assertIsNotNone(job.finished_at)
        self.assertEqual(row.status, TaskResultStatus.FAILED)

    def assert_running(self, job: Job, row: DBTaskResult) -> None:
        job.refresh_from_db()
        row.refresh_from_db()
        self.assertEqual((job.status, row.status), (JobStatus.RUNNING, TaskResultStatus.RUNNING))

    def test_a_killed_worker_on_this_host_is_known_by_its_dead_pid(self) -> None:
        self.worker("killed", pid=dead_pid())  # heartbeat still fresh
        job, row = self.running_job("killed")
        self.assertEqual(fail_abandoned(), 1)
        self.assert_failed(job, row)

    def test_a_worker_silent_for_minutes_is_gone_wherever_it_ran(self) -> None:
        self.worker("far", host="other-host", pid=4242, seen_ago=timedelta(minutes=5))
        job, row = self.running_job("far")
        fail_abandoned()
        self.assert_failed(job, row)

    def test_a_worker_with_no_heartbeat_is_gone(self) -> None:
        job, row = self.running_job("never-seen")
        fail_abandoned()
        self.assert_failed(job, row)

    def test_a_live_worker_keeps_its_jobs(self) -> None:
        self.worker("here")  # this very process, seen now
        self.worker("there", host="other-host", pid=4242, seen_ago=timedelta(seconds=20))
        mine, my_row = self.running_job("here")
        theirs, their_row = self.running_job("there")
        self.assertEqual(fail_abandoned(), 0)
        self.assert_running(mine, my_row)
        self.assert_running(theirs, their_row)

    def test_a_job_claimed_but_not_yet_started_is_failed_with_its_task(self) -> None:
        job, row = self.running_job("killed-early")
        Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, worker_id="")
        fail_abandoned()
        self.assert_failed(job, row)

    def test_finished_jobs_are_left_as_they_are(self) -> None:
        done = Job.objects.create(kind="selftest", title="Done", status=JobStatus.DONE,
                                  worker_id="gone", result={"summary": "ok"})  # fmt: skip
        fail_abandoned()
        done.refresh_from_db()
        self.assertEqual((done.status, done.error), (JobStatus.DONE, ""))
