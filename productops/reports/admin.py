"""Report snapshots on the admin site: read-only, the record of who generated what."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from productops.reports.models import ReportSnapshot


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
