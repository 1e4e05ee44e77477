from __future__ import annotations

from django.urls import path

from productops.org.views import audit, chart, imports, people, teams

app_name = "org"

urlpatterns = [
    path("chart/", chart.org_chart, name="chart"),
    path("people/", people.people_list, name="people"),
    path("people/export.csv", people.people_export, name="people_export"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/import/", imports.import_people, name="import_people"),
    path("teams/", teams.team_list, name="teams"),
    path("teams/<int:pk>/", teams.team_detail, name="team"),
    path("audit/", audit.audit, name="audit"),
]
