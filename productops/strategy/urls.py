"""Each area of the app keeps its own URL list beside its views."""

from __future__ import annotations

from productops.strategy.views import checks, delegation, objectives

app_name = "strategy"

urlpatterns = [
    *objectives.urlpatterns,
    *checks.urlpatterns,
    *delegation.urlpatterns,
]
