from __future__ import annotations

from django.urls import path

from productops.accounts.views import tokens as views

app_name = "accounts"

urlpatterns = [
    path("", views.account_detail, name="detail"),
    path("tokens/", views.create_token, name="create_token"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
