"""Report snapshots and status updates on the admin site: read-only, the record of who
generated, wrote and shared what (changes go through the pages, API and command)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from productops.reports.models import ReportSnapshot, StatusUpdate


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    list_display = ("generated_at", "generated_by", "reader_role", "scope")
    list_filter = ("reader_role", "scope")
    readonly_fields = [f.name for f in ReportSnapshot._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the record of who read what stays whole


@admin.register(StatusUpdate)
class StatusUpdateAdmin(admin.ModelAdmin):
    list_display = ("week", "team", "objective", "state", "health", "corrected_health")
    list_filter = ("state", "health")
    list_select_related = ("team", "objective")
    readonly_fields = [f.name for f in StatusUpdate._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # shared updates are history
