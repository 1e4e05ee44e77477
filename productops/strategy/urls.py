"""The strategy pages: objectives and alignment, priority checks, the delegation board.

The one module of the app that imports its views.
"""

from __future__ import annotations

from django.urls import path

from productops.strategy.views import checks, delegation, objectives

app_name = "strategy"

urlpatterns = [
    # objectives and alignment
    path("objectives/", objectives.objective_list, name="objectives"),
    path("objectives/new/", objectives.objective_new, name="objective_new"),
    path("objectives/<int:pk>/", objectives.objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/edit/", objectives.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/delete/", objectives.objective_delete, name="objective_delete"),
    path("objectives/<int:pk>/links/", objectives.link_add, name="objective_link_add"),
    path(
        "objectives/<int:pk>/links/<int:link_pk>/remove/",
        objectives.link_remove,
        name="objective_link_remove",
    ),
    path("objectives/<int:pk>/rules/", objectives.rule_add, name="objective_rule_add"),
    path(
        "objectives/<int:pk>/rules/<int:rule_pk>/remove/",
        objectives.rule_remove,
        name="objective_rule_remove",
    ),
    path("alignment/", objectives.alignment_page, name="alignment"),
    # priority checks
    path("checks/", checks.check_list, name="checks"),
    path("checks/new/", checks.check_new, name="check_new"),
    path("checks/<int:pk>/", checks.check_detail, name="check_detail"),
    path("checks/<int:pk>/rank/", checks.check_rank, name="check_rank"),
    path("checks/<int:pk>/close/", checks.check_close, name="check_close"),
    # delegation board
    path("delegation/", delegation.board, name="delegation"),
    path(
        "delegation/teams/<int:team_id>/areas/<int:area_id>/",
        delegation.set_level,
        name="delegation_set",
    ),
    path("delegation/areas/", delegation.areas, name="delegation_areas"),
    path("delegation/areas/new/", delegation.area_new, name="delegation_area_new"),
    path(
        "delegation/areas/suggested/",
        delegation.add_suggested,
        name="delegation_add_suggested",
    ),
    path("delegation/areas/<int:pk>/edit/", delegation.area_edit, name="delegation_area_edit"),
    path(
        "delegation/areas/<int:pk>/delete/",
        delegation.area_delete,
        name="delegation_area_delete",
    ),
]
