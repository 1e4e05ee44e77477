"""The admin site's view of discovery: touchpoints and the opportunity solution trees.

Registered: `Touchpoint`, `Outcome`, `Opportunity`, `Solution` and `AssumptionTest`.
Discovery holds nothing private: a touchpoint's notes and insights are hidden from
viewers only, and the staff users of the admin site are admins, who see every
touchpoint in the app too (`visibility.visible_touchpoints`). Never registered: nothing.

The admin site reads and corrects text (a note, an opportunity's title, a test's result);
every other write is the actions' (`discovery.actions`), which check what the admin would
not: nothing is added here, a touchpoint's team, date, kind and participants stay as
logged (participants are members of the team, the date not in the future), and a tree
node's place (outcome, parent, opportunity or solution), its evidence, a solution's title
and linked items are read-only and tree nodes are not deleted here, because the actions
keep the tree free of loops and reclassify the backlog items a solution backs
(`discovery.backing`; their reasons quote the solution's title).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    Touchpoint,
)


class _NoAdding(admin.ModelAdmin):
    """Records are added through the pages, the API or an import: the actions check them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class _TreeShapeKept(_NoAdding):
    """A tree node whose place in the tree and whose deletion are left to the actions."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Touchpoint)
class TouchpointAdmin(_NoAdding):
    list_display = ["date", "team", "kind", "segment", "customers", "created_by"]
    list_filter = ["kind", "date"]
    search_fields = ["team__name", "segment", "notes", "insights"]
    list_select_related = ["team", "created_by"]
    readonly_fields = ["team", "date", "kind", "participants", "created_by", "created_at"]


@admin.register(Outcome)
class OutcomeAdmin(_NoAdding):
    list_display = ["title", "team", "metric", "baseline", "target", "unit", "updated_at"]
    search_fields = ["title", "team__name"]
    list_select_related = ["team"]
    readonly_fields = ["team"]


@admin.register(Opportunity)
class OpportunityAdmin(_TreeShapeKept):
    list_display = ["title", "outcome", "parent", "position"]
    search_fields = ["title", "description", "outcome__team__name"]
    list_select_related = ["outcome", "parent"]
    readonly_fields = ["outcome", "parent", "touchpoints"]


@admin.register(Solution)
class SolutionAdmin(_TreeShapeKept):
    list_display = ["title", "opportunity", "position"]
    search_fields = ["title", "description"]
    list_select_related = ["opportunity"]
    readonly_fields = ["opportunity", "title", "items"]


@admin.register(AssumptionTest)
class AssumptionTestAdmin(_TreeShapeKept):
    list_display = ["assumption", "solution", "status", "position"]
    list_filter = ["status"]
    search_fields = ["assumption", "test", "result"]
    list_select_related = ["solution"]
    readonly_fields = ["solution"]
