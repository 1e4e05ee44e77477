from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from productops.ops.models import Job, ScheduledRun, WorkerHeartbeat


class RecordedOnly(admin.ModelAdmin):
    """Written by the worker and the pages; an admin looks, or deletes, but never adds."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Job)
class JobAdmin(RecordedOnly):
    list_display = ["title", "kind", "status", "owner", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "error"]
    readonly_fields = ["task_id", "worker_id", "created_at", "started_at", "finished_at"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(RecordedOnly):
    list_display = ["worker_id", "host", "pid", "started_at", "seen_at"]


@admin.register(ScheduledRun)
class ScheduledRunAdmin(RecordedOnly):
    list_display = ["name", "slot", "enqueued_at"]
