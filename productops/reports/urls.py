"""The reports pages; the one module of the app that imports its views."""

from __future__ import annotations

from django.urls import path

from productops.reports.views import health

app_name = "reports"

urlpatterns = [
    path("health/", health.health, name="health"),
    path("health/<int:pk>/", health.health_snapshot, name="health_snapshot"),
]
