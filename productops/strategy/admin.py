"""The strategy records in Django admin, for support: what every strategy reader sees anyway.

Registered: objectives, their hand links and alignment rules; priority checks and their
priorities (the title, participants and status, which every logged-in role sees on the
check pages); decision areas and the teams' delegation levels (the board, also shown to
every role). Admin writes skip the actions' checks (`strategy.actions`): use the pages or
the API for changes, admin for looking up and repairing a row.

Never registered: `Ranking` and `RankEntry`, the individual rankings of a priority check.
The privacy rules (`strategy.visibility.can_see_ranking`) show a ranking only to its
author and, once they have ranked, to admins, and keep a participant who has not ranked
yet from every other ranking, so that no one ranks to match what the others said. An
admin list of rankings would show them to anyone with admin access, at any time, with no
such rule; the check pages show the aggregates and the rankings each user may see.
"""

from __future__ import annotations

from django.contrib import admin

from productops.strategy.models import (
    AlignmentRule,
    DecisionArea,
    Delegation,
    Objective,
    ObjectiveLink,
    Priority,
    PriorityCheck,
)


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ("title", "level", "period_start", "period_end", "owner", "parent")
    list_filter = ("level",)
    search_fields = ("title",)
    raw_id_fields = ("owner", "parent")


@admin.register(ObjectiveLink)
class ObjectiveLinkAdmin(admin.ModelAdmin):
    list_display = ("objective", "item", "by", "at")
    raw_id_fields = ("objective", "item", "by")


@admin.register(AlignmentRule)
class AlignmentRuleAdmin(admin.ModelAdmin):
    list_display = ("objective", "kind", "value")
    list_filter = ("kind",)


@admin.register(PriorityCheck)
class PriorityCheckAdmin(admin.ModelAdmin):
    list_display = ("title", "created_by", "created_at", "closed")
    list_filter = ("closed",)
    search_fields = ("title",)
    raw_id_fields = ("created_by", "previous")
    filter_horizontal = ("participants",)


@admin.register(Priority)
class PriorityAdmin(admin.ModelAdmin):
    list_display = ("title", "priority_check", "position")
    raw_id_fields = ("priority_check",)


@admin.register(DecisionArea)
class DecisionAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "difficulty")
    search_fields = ("name",)


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ("team", "area", "level", "updated_by", "updated_at")
    list_filter = ("area",)
    raw_id_fields = ("team", "area", "updated_by")
