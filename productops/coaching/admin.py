"""The admin site's view of coaching: the practice library, coaching plans, communities.

Registered: `Practice` (the library admins curate), `CoachingPlan`, `Goal` and `CheckIn`
(a plan is visible to admins in the app too), `Community` and `CommunitySession`. They
hold no private field. Nothing is added here and plans, goals and sessions are not
deleted here: the actions (`coaching.actions`) check what the admin site would not (one
open plan per person, goals from the plan's competency model, attendance rules), so the
admin site reads and corrects text only.

Never registered: `PrivateNote`, whose only reader is its author, not even an admin
(docs/decisions.md), and nothing that holds private notes or leads to them: no
`OneOnOne` (its private notes hang off it, and its delete page would list and cascade
them), no `OneOnOneSeries` (the same, one step further), and so none of the 1:1's parts
(`TalkingPoint`, `ActionItem`) either, which are private to the two people in the 1:1,
their managers and admins and are changed through the 1:1 pages. `Attendance` is the
sessions' through table, written by the attendance actions only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from productops.coaching.models import (
    CheckIn,
    CoachingPlan,
    Community,
    CommunitySession,
    Goal,
    Practice,
)


class _NoAdding(admin.ModelAdmin):
    """Records are added through the pages, the API or a load: the actions check them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class _NoDeleting(_NoAdding):
    """A record whose deletion (and what it cascades to) is left to the actions."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Practice)
class PracticeAdmin(_NoAdding):
    list_display = ["title", "competency_key", "kind", "effort", "built_in", "active"]
    list_filter = ["kind", "effort", "built_in", "active"]
    search_fields = ["title", "competency_key", "description"]
    readonly_fields = ["competency_key", "built_in", "shipped_title"]


@admin.register(CoachingPlan)
class CoachingPlanAdmin(_NoDeleting):
    list_display = ["person", "manager", "status", "source_cycle"]
    list_filter = ["status"]
    search_fields = ["person__name"]
    list_select_related = ["person", "manager", "source_cycle"]
    readonly_fields = ["person", "manager", "source_cycle", "created_by", "coaches", "status"]


@admin.register(Goal)
class GoalAdmin(_NoDeleting):
    list_display = ["competency_key", "plan", "status", "target_date"]
    list_filter = ["status"]
    search_fields = ["competency_key", "plan__person__name"]
    list_select_related = ["plan__person"]
    readonly_fields = ["plan", "competency_key", "status", "practices"]


@admin.register(CheckIn)
class CheckInAdmin(_NoDeleting):
    list_display = ["goal", "date", "status", "author"]
    list_filter = ["status"]
    list_select_related = ["goal", "author"]
    readonly_fields = ["goal", "author", "one_on_one", "date", "status"]


@admin.register(Community)
class CommunityAdmin(_NoAdding):
    list_display = ["name", "kind", "organizer", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "description", "book"]
    list_select_related = ["organizer"]
    readonly_fields = ["created_at"]


@admin.register(CommunitySession)
class CommunitySessionAdmin(_NoDeleting):
    list_display = ["community", "date", "topic", "facilitator"]
    search_fields = ["topic", "community__name"]
    list_select_related = ["community", "facilitator"]
    readonly_fields = ["community", "date"]
    exclude = ["attendees"]
