"""/health/ for a load balancer (being written: the serving helper)."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "not written yet"}, status=501)
