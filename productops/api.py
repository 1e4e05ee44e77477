"""The one NinjaAPI; each app adds its own Router here.

The plumbing every route shares lives here once, so a route only calls its domain:

- refusals: an action's `PermissionDenied` answers 403 with its sentence, a
  `ValidationError` 422 with its messages (and the field errors under `errors`), and an
  `Http404` (from `accounts.visibility.visible_or_404`) 404 with its message;
- pagination: `@paginate` pages by `NINJA_PAGINATION_PER_PAGE` (50); a route that pages
  by another size says so with `@paginate(PageNumberPagination, page_size=N)`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from productops.accounts.tokens import TokenAuth


def signed_in_docs(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and its docs page for signed-in users and token holders only, like every
    other page: the schema names no record, but what an install runs is its own business.
    A browser is sent to log in; a client without a valid token gets 401."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated or TokenAuth()(request) is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse({"detail": "Unauthorized"}, status=401)
        return redirect_to_login(request.get_full_path())

    return guarded


api = NinjaAPI(
    title="productops API",
    version="1",
    description=(
        "The organization, competencies, coaching, backlog, discovery and strategy: read "
        "what your role may see, and write what it may change. Authenticate with a personal "
        "access token (`Authorization: Bearer pops_…`, created on your account page) or a "
        "browser session. Refusals answer 403, invalid input 422 and records you may not "
        "see 404, each with a `detail` sentence."
    ),
    auth=[TokenAuth(), django_auth],
    docs_url="/docs",
    docs_decorator=signed_in_docs,
)


@api.exception_handler(PermissionDenied)
def refused(request: HttpRequest, refusal: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": str(refusal) or "Your role may not do this."}, status=403
    )


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, problem: ValidationError) -> HttpResponse:
    body: dict[str, object] = {"detail": " ".join(problem.messages)}
    if hasattr(problem, "error_dict"):
        body["errors"] = problem.message_dict
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, missing: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(missing) or "Not Found"}, status=404)


from productops.backlog.api import router as backlog_router  # noqa: E402
from productops.coaching.api import router as coaching_router  # noqa: E402
from productops.competencies.api import router as competencies_router  # noqa: E402
from productops.discovery.api import router as discovery_router  # noqa: E402
from productops.notify.api import router as notify_router  # noqa: E402
from productops.ops.api import router as ops_router  # noqa: E402
from productops.org.api import router as org_router  # noqa: E402
from productops.reports.api import router as reports_router  # noqa: E402
from productops.strategy.api import router as strategy_router  # noqa: E402

api.add_router("/org/", org_router)
api.add_router("/competencies/", competencies_router)
api.add_router("/coaching/", coaching_router)
api.add_router("/backlog/", backlog_router)
api.add_router("/discovery/", discovery_router)
api.add_router("/strategy/", strategy_router)
api.add_router("/reports/", reports_router)
api.add_router("/jobs/", ops_router)
api.add_router("/notifications/", notify_router)
