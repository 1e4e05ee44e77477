from django.urls import path

from productops.ops.views import jobs

app_name = "ops"

urlpatterns = [
    path("<int:pk>/", jobs.job_page, name="job"),
    path("<int:pk>/status/", jobs.job_status, name="job_status"),
]
