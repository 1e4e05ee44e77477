"""What running productops keeps: the background jobs a person started, the worker's
heartbeat, and which scheduled runs have been enqueued.

A `Job` is the person-facing record of a task on the worker (django-tasks): what it is,
who started it, how far it got, and its result or its error. The task's own result row
(django-tasks-db's `DBTaskResult`) is plumbing; pages read the `Job`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(models.Model):
    kind = models.CharField(max_length=60)  # "tracker-import", "reclassify", "health-report", …
    title = models.CharField(max_length=200)  # what the page shows: "Import of jira.json"
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # Progress as the task reports it: `done` of `total` (total unknown while a stream is read).
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True, default="")
    # The outcome: what the result page shows (JSON the task returned), or the error.
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    result_url = models.CharField(max_length=300, blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker process running it, so a worker that starts again can tell its own
    # killed jobs from another live worker's.
    worker_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class WorkerHeartbeat(models.Model):
    """One row per worker process, touched while it runs; /health/ reads the newest."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.host}"


class ScheduledRun(models.Model):
    """A scheduled task enqueued for one slot (e.g. reminders for 2026-12-03 09:00):
    unique, so two workers never enqueue the same slot twice."""

    name = models.CharField(max_length=100)
    slot = models.DateTimeField()
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "slot"], name="ops_one_run_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.slot:%Y-%m-%d %H:%M}"
