"""Each area of the app keeps its own URL list beside its views."""

from __future__ import annotations

from productops.competencies.views import cycles, gaps, library

app_name = "competencies"

urlpatterns = [*library.urlpatterns, *cycles.urlpatterns, *gaps.urlpatterns]
