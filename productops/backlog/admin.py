"""The admin site's view of the backlog: what the trackers said and what was made of it.

Registered, read-only: `TrackerImport` (each run, its files and problems), `Sprint`,
`Item` (with its labels and reasons), `Correction` and `LearnedModel` (its scores; the
pickled pipeline is never shown). The backlog holds nothing private: tracker items are
work items every member sees in the app (`visibility`).

Nothing is added, changed or deleted here: items come from tracker imports, and a label
changed by hand must go through `actions.do_correct`, which checks the label and
reclassifies; a model is trained by `actions.do_train_model`, which scores it honestly.
Never registered: `Change` (the trackers' field history, millions of rows, read by the
report only) and `ImportedPage` (the import's bookkeeping of files seen unchanged).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from productops.backlog.models import Correction, Item, LearnedModel, Sprint, TrackerImport


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, searched and filtered; every write is the actions'."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TrackerImport)
class TrackerImportAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "format", "items_created", "items_updated", "skipped", "by"]
    list_filter = ["format"]
    list_select_related = ["by"]


@admin.register(Sprint)
class SprintAdmin(ReadOnlyAdmin):
    list_display = ["name", "source", "state", "start", "planned_end", "completed"]
    list_filter = ["source", "state"]
    search_fields = ["name"]


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["key", "title", "source", "project", "status_category", "origin", "kind"]
    list_filter = ["source", "status_category", "origin", "kind", "framing"]
    search_fields = ["key", "title"]
    exclude = ["reporter_person"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["item", "dimension", "label", "by", "at"]
    list_filter = ["dimension"]
    list_select_related = ["item", "by"]


@admin.register(LearnedModel)
class LearnedModelAdmin(ReadOnlyAdmin):
    list_display = [
        "dimension",
        "trained_at",
        "examples",
        "cv_macro_f1",
        "rules_macro_f1",
        "in_use",
    ]
    list_filter = ["dimension", "in_use"]
    exclude = ["blob"]
