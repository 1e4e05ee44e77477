from django.urls import path

from productops.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.preferences, name="preferences"),
]
