"""Each area of the app keeps its own URL list beside its views."""

from __future__ import annotations

from productops.coaching.views import communities, one_on_ones, plans

app_name = "coaching"

urlpatterns = [*plans.urlpatterns, *one_on_ones.urlpatterns, *communities.urlpatterns]
