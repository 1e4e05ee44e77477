"""Each area of the app keeps its own URL list beside its views."""

from __future__ import annotations

from productops.discovery.views import cadence, touchpoints, trees

app_name = "discovery"

urlpatterns = [
    *touchpoints.urlpatterns,
    *cadence.urlpatterns,
    *trees.urlpatterns,
]
