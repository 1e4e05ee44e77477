"""The backlog pages: the tracker import, the health report and the item list."""

from __future__ import annotations

from django.urls import path

from productops.backlog.views import imports, report

app_name = "backlog"

urlpatterns = [
    path("import/", imports.import_page, name="import"),
    path("", report.report_page, name="report"),
    path("items/", report.item_list, name="items"),
    path("items/<int:pk>/correct/", report.item_correct, name="item_correct"),
]
