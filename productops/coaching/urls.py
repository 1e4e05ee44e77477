"""Every coaching page's URL: plans, 1:1s, cadence, communities, practices.

The only module that imports the views (`productops/urls.py` includes it as `coaching`).
"""

from __future__ import annotations

from django.urls import path

from productops.coaching.views import cadence, communities, one_on_ones, plans, practices

app_name = "coaching"

urlpatterns = [
    # plans
    path("plans/", plans.plan_list, name="plans"),
    path("plans/draft/", plans.plan_draft, name="plan_draft"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/status/", plans.plan_status, name="plan_status"),
    path("plans/<int:pk>/coaches/", plans.plan_coaches, name="plan_coaches"),
    path("plans/<int:pk>/goals/", plans.goal_add, name="goal_add"),
    path("goals/<int:pk>/", plans.goal_update, name="goal_update"),
    path("goals/<int:pk>/swap/", plans.goal_swap, name="goal_swap"),
    path("goals/<int:pk>/status/", plans.goal_status, name="goal_status"),
    path("goals/<int:pk>/check-ins/", plans.check_in, name="check_in"),
    # one on ones
    path("series/", one_on_ones.series_list, name="series_list"),
    path("series/new/", one_on_ones.series_new, name="series_new"),
    path("series/<int:pk>/", one_on_ones.series_detail, name="series_detail"),
    path("series/<int:pk>/settings/", one_on_ones.series_update, name="series_update"),
    path("series/<int:pk>/end/", one_on_ones.series_end, name="series_end"),
    path("series/<int:pk>/schedule/", one_on_ones.one_on_one_new, name="one_on_one_new"),
    path("1on1s/<int:pk>/", one_on_ones.one_on_one_detail, name="one_on_one_detail"),
    path("1on1s/<int:pk>/status/", one_on_ones.one_on_one_status, name="one_on_one_status"),
    path("1on1s/<int:pk>/delete/", one_on_ones.one_on_one_delete, name="one_on_one_delete"),
    path("1on1s/<int:pk>/talking-points/", one_on_ones.talking_point_add, name="talking_point_add"),
    path("1on1s/<int:pk>/notes/", one_on_ones.notes_save, name="notes_save"),
    path("1on1s/<int:pk>/private-note/", one_on_ones.private_note_save, name="private_note_save"),
    path("1on1s/<int:pk>/actions/", one_on_ones.action_add, name="action_add"),
    path(
        "1on1s/<int:pk>/goals/<int:goal_pk>/check-in/",
        one_on_ones.check_in_add,
        name="check_in_add",
    ),
    path("actions/<int:pk>/status/", one_on_ones.action_status, name="action_status"),
    # cadence
    path("cadence/", cadence.cadence_report, name="cadence"),
    path("series/<int:pk>/calendar.ics", cadence.series_ics, name="series_ics"),
    # communities
    path("communities/", communities.community_list, name="communities"),
    path("communities/new/", communities.community_new, name="community_new"),
    path("communities/participation/", communities.participation, name="participation"),
    path("communities/<int:pk>/", communities.community_detail, name="community_detail"),
    path("communities/<int:pk>/sessions/new/", communities.session_new, name="session_new"),
    path("communities/sessions/<int:pk>/", communities.session_detail, name="session_detail"),
    path(
        "communities/sessions/<int:pk>/attendance/<int:person_pk>/",
        communities.session_attendance,
        name="session_attendance",
    ),
    # practices
    path("practices/", practices.practice_list, name="practices"),
    path("practices/new/", practices.practice_new, name="practice_new"),
    path("practices/<int:pk>/edit/", practices.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/toggle/", practices.practice_toggle, name="practice_toggle"),
]
