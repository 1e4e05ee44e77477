from __future__ import annotations

from django.urls import path

from productops.accounts.views import own_password, password
from productops.accounts.views import tokens as views

app_name = "accounts"

urlpatterns = [
    path("", views.account_detail, name="detail"),
    path("password/", password.change_password, name="password_change"),
    path("password/own/", own_password.set_own_password, name="set_own_password"),
    path("tokens/", views.create_token, name="create_token"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
