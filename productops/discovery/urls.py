"""Every discovery page's URL: touchpoints, cadence, opportunity solution trees.

The only module that imports the views (`productops/urls.py` includes it as `discovery`).
"""

from __future__ import annotations

from django.urls import path

from productops.discovery.views import cadence, touchpoints, trees

app_name = "discovery"

urlpatterns = [
    # touchpoints
    path("teams/<int:team_id>/touchpoints/", touchpoints.touchpoint_list, name="touchpoints"),
    path(
        "teams/<int:team_id>/touchpoints/new/",
        touchpoints.touchpoint_new,
        name="touchpoint_new",
    ),
    path("touchpoints/<int:pk>/", touchpoints.touchpoint_detail, name="touchpoint"),
    path("touchpoints/<int:pk>/delete/", touchpoints.touchpoint_delete, name="touchpoint_delete"),
    path("touchpoints/import/", touchpoints.touchpoint_import, name="touchpoint_import"),
    # cadence
    path("cadence/", cadence.org_cadence, name="cadence"),
    path("teams/<int:team_id>/cadence/", cadence.team_cadence, name="team_cadence"),
    # opportunity solution trees
    path("trees/", trees.trees_list, name="trees"),
    path("teams/<int:team_id>/tree/", trees.tree_page, name="tree"),
    path("teams/<int:team_id>/tree/outcome/", trees.outcome_form, name="tree_outcome"),
    path("teams/<int:team_id>/tree/<str:kind>/new/", trees.node_new, name="tree_node_new"),
    path("teams/<int:team_id>/tree/<str:kind>/<int:pk>/", trees.node_edit, name="tree_node_edit"),
    path(
        "teams/<int:team_id>/tree/<str:kind>/<int:pk>/delete/",
        trees.node_delete,
        name="tree_node_delete",
    ),
    path(
        "teams/<int:team_id>/tree/solution/<int:pk>/items/",
        trees.link_item,
        name="tree_link_item",
    ),
    path(
        "teams/<int:team_id>/tree/solution/<int:pk>/items/<int:item_id>/unlink/",
        trees.unlink_item,
        name="tree_unlink_item",
    ),
]
