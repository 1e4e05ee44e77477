"""Which reminders a login receives (being written: the e-mail helper)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def preferences(request: HttpRequest) -> HttpResponse:
    return HttpResponse("not written yet", status=501)
