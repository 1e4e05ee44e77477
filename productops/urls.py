from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from productops import views
from productops.api import api
from productops.ops.views import health

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tokens/download/", views.account_tokens_download, name="account_tokens_download"),
    path("account/", include("productops.accounts.urls")),
    path("org/", include("productops.org.urls")),
    path("competencies/", include("productops.competencies.urls")),
    path("coaching/", include("productops.coaching.urls")),
    path("backlog/", include("productops.backlog.urls")),
    path("discovery/", include("productops.discovery.urls")),
    path("strategy/", include("productops.strategy.urls")),
    path("reports/", include("productops.reports.urls")),
    path("jobs/", include("productops.ops.urls")),
    path("account/notifications/", include("productops.notify.urls")),
    path("health/", health.health, name="health"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("oidc/", include("mozilla_django_oidc.urls")),
]
