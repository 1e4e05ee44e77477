"""A job's page and its polled status fragment (being written: the worker helper)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("not written yet", status=501)


def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("not written yet", status=501)
