"""The backlog pages: the tracker import, the health report, the item list, who files the
backlog (reporters) and the label vocabulary."""

from __future__ import annotations

from django.urls import path

from productops.backlog.views import imports, report, reporters, vocabulary

app_name = "backlog"

urlpatterns = [
    path("import/", imports.import_page, name="import"),
    path("", report.report_page, name="report"),
    path("items/", report.item_list, name="items"),
    path("items/<int:pk>/correct/", report.item_correct, name="item_correct"),
    path("reporters/", reporters.reporters_page, name="reporters"),
    path("reporters/assign/", reporters.reporter_assign, name="reporter_assign"),
    path("labels/", vocabulary.labels_page, name="labels"),
    path("labels/map/", vocabulary.label_map, name="label_map"),
]
