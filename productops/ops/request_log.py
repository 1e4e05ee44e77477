"""One log line per request: method, path, status, milliseconds (productops.requests)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("productops.requests")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        took = (time.perf_counter() - started) * 1000
        logger.info("%s %s %s %.0fms", request.method, request.path, response.status_code, took)
        return response
