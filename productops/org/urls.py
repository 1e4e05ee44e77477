from __future__ import annotations

from django.urls import path

from productops.org import views

app_name = "org"

urlpatterns = [
    path("chart/", views.org_chart, name="chart"),
    path("people/", views.people_list, name="people"),
    path("people/export.csv", views.people_export, name="people_export"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/import/", views.import_people, name="import_people"),
    path("teams/", views.team_list, name="teams"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("audit/", views.audit, name="audit"),
]
