"""Each area of the app keeps its own URL list beside its views."""

from __future__ import annotations

from productops.backlog.views import imports, report

app_name = "backlog"

urlpatterns = [*imports.urlpatterns, *report.urlpatterns]
