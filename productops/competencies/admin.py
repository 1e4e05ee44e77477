"""What the admin site shows of competencies: the library, never an answer.

Registered, read-only: competency models with their versions, ladders with their levels
and expectations, and assessment cycles (name, model, dates, state). Admins change the
library through its pages, which keep versions immutable and validate every document.

Never registered: `AssessmentRequest`, `Rating` and `Reopening`. A request holds a
rater's answers, drafts included; a peer's answers may only ever be shown aggregated,
once at least three peers answered, and a draft is the rater's own. An admin list of
them would show every answer by name to anyone with admin access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from productops.competencies.models import (
    AssessmentCycle,
    CompetencyModel,
    Ladder,
    LadderLevel,
    ModelVersion,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reading; every write goes through the pages and their actions."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CompetencyModel)
class CompetencyModelAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "built_in"]
    search_fields = ["name", "slug"]


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = ["model", "number", "created_at"]
    list_filter = ["model"]


@admin.register(Ladder)
class LadderAdmin(ReadOnlyAdmin):
    list_display = ["name", "discipline", "model"]


@admin.register(LadderLevel)
class LadderLevelAdmin(ReadOnlyAdmin):
    list_display = ["ladder", "key", "name"]
    list_filter = ["ladder"]


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(ReadOnlyAdmin):
    list_display = ["name", "version", "status", "due_date"]
    list_filter = ["status"]
