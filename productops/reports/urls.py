"""The reports pages; the one module of the app that imports its views."""

from __future__ import annotations

from django.urls import path

from productops.reports.views import health
from productops.reports.views import status as status_views

app_name = "reports"

urlpatterns = [
    path("health/", health.health, name="health"),
    path("health/<int:pk>/", health.health_snapshot, name="health_snapshot"),
    path("status/", status_views.status, name="status"),
    path("status/team/<int:team_id>/", status_views.status_team, name="status_team"),
    path(
        "status/team/<int:team_id>/generate/",
        status_views.status_generate,
        name="status_generate",
    ),
    path(
        "status/objective/<int:objective_id>/",
        status_views.status_objective,
        name="status_objective",
    ),
    path(
        "status/objective/<int:objective_id>/generate/",
        status_views.status_objective_generate,
        name="status_objective_generate",
    ),
    path("status/<int:pk>/", status_views.status_detail, name="status_detail"),
]
