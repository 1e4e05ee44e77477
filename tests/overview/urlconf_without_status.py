"""A URL configuration without the reports app: the site before the status page landed."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
