"""The backlog report and item API: the same calls and visibility rules as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time and needs them evaluated. Refusals, invalid input and
missing items propagate to the handlers of `productops.api`.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from productops.accounts.visibility import visible_or_404
from productops.backlog import actions, visibility
from productops.backlog import report as report_domain
from productops.backlog.items import filtered_items, least_sure_items
from productops.backlog.models import Item
from productops.backlog.report_rows import fill_period
from productops.backlog.schemas.report import (
    CorrectionIn,
    ItemDetailOut,
    ItemFilters,
    ItemOut,
    LeastSureOut,
    ReportQuery,
)

router = Router(tags=["backlog: report"])


def _require_items(request: HttpRequest) -> None:
    if not visibility.sees_items(request.user):
        raise PermissionDenied(visibility.ITEMS_REFUSED)


@router.get("/report", response=dict[str, Any], summary="The backlog health report")
def backlog_report(request: HttpRequest, params: Query[ReportQuery]):
    # no dates: the last 90 days of the data, as on the page and in the command
    start, end = fill_period(params.start, params.end, today=timezone.localdate())
    if start and end and start > end:
        raise ValidationError(f"The start ({start}) comes after the end ({end}).")
    report = report_domain.build_report(start=start, end=end, project=params.project or None)
    data = report.as_dict()
    if not visibility.sees_items(request.user):
        data = visibility.aggregates_only(data)
    return data


@router.get("/items", response=list[ItemOut], summary="Tracker items with their labels")
@paginate
def list_items(request: HttpRequest, filters: Query[ItemFilters]):
    _require_items(request)
    return filtered_items(filters.dict(exclude_none=True))


@router.get(
    "/items/least-sure",
    response=list[LeastSureOut],
    summary="The items to correct next, least sure first (as the item list's offer)",
)
def least_sure(request: HttpRequest, dimension: str = "kind", limit: int = 50):
    _require_items(request)
    if dimension not in ("origin", "kind", "framing"):
        raise ValidationError(f"'{dimension}' is not a dimension: use origin, kind or framing.")
    return least_sure_items(dimension, limit=max(1, min(limit, 200)))


@router.get("/items/{item_id}", response=ItemDetailOut, summary="One item with its reasons")
def item_detail(request: HttpRequest, item_id: int):
    _require_items(request)
    return visible_or_404(Item.objects.all(), "Not Found", pk=item_id)


@router.post(
    "/items/{item_id}/corrections",
    response=ItemDetailOut,
    summary="Correct an item's origin, kind or framing (admins and managers)",
)
def correct_item(request: HttpRequest, item_id: int, payload: CorrectionIn):
    item = visible_or_404(Item.objects.all(), "Not Found", pk=item_id)
    item = actions.do_correct(request.user, item, payload.dimension, payload.label)
    item.refresh_from_db()
    return item
