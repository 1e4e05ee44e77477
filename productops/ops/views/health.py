"""/health/ for a load balancer: 200 when every counted check passes, else 503; JSON."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from productops.ops.health import health_report


@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    worker = request.GET.get("worker")
    report = health_report(require_worker=(worker == "1") if worker in {"0", "1"} else None)
    return JsonResponse(report.as_json(), status=200 if report.ok else 503)
