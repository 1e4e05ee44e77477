"""Each area of the app keeps its own URL list beside its views."""

from __future__ import annotations

from productops.coaching.views import cadence, communities, one_on_ones, plans, practices

app_name = "coaching"

urlpatterns = [
    *plans.urlpatterns,
    *one_on_ones.urlpatterns,
    *cadence.urlpatterns,
    *communities.urlpatterns,
    *practices.urlpatterns,
]
