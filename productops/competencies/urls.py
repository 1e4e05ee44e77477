"""Every URL of the competencies app: the library, assessment cycles and gaps."""

from __future__ import annotations

from django.urls import path

from productops.competencies.views import cycles, gaps, library

app_name = "competencies"

urlpatterns = [
    path("library/", library.library, name="library"),
    path("library/upload/", library.model_upload, name="model_upload"),
    path("library/compare/", library.model_compare, name="model_compare"),
    path("library/models/<slug:slug>/", library.model_detail, name="model_detail"),
    path("library/models/<slug:slug>/v<int:number>/", library.model_detail, name="model_detail"),
    path(
        "library/models/<slug:slug>/v<int:number>/export.<str:fmt>",
        library.model_export,
        name="model_export",
    ),
    path("library/ladders/<int:pk>/", library.ladder_detail, name="ladder_detail"),
    path("library/ladders/<int:pk>/diff/", library.level_diff, name="level_diff"),
    path(
        "library/ladders/<int:pk>/levels/<slug:level_key>/<slug:competency_key>/",
        library.expectation_edit,
        name="expectation_edit",
    ),
    path("cycles/", cycles.cycle_list, name="cycles"),
    path("cycles/new/", cycles.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/close/", cycles.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/nominate/", cycles.nominate, name="nominate"),
    path("requests/mine/", cycles.my_requests, name="my_requests"),
    path("requests/<int:pk>/", cycles.request_rate, name="request_rate"),
    path("requests/<int:pk>/submit/", cycles.request_submit, name="request_submit"),
    path("requests/<int:pk>/reopen/", cycles.request_reopen, name="request_reopen"),
    path("requests/<int:pk>/decide/", cycles.nomination_decide, name="nomination_decide"),
    path("gaps/", gaps.org_gaps, name="org_gaps"),
    path("gaps/people/<int:pk>/", gaps.person_gaps, name="person_gaps"),
    path("gaps/teams/<int:pk>/", gaps.team_gaps, name="team_gaps"),
]
