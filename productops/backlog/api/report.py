"""The backlog report and item API: the same calls and visibility rules as the pages.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time and needs them evaluated.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from productops.backlog import visibility
from productops.backlog.models import Item
from productops.backlog.views import report as pages

router = Router(tags=["backlog: report"])


class Pages(PageNumberPagination):
    page_size = pages.PAGE_SIZE


class ReportQuery(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    project: str | None = None


class ItemFilters(Schema):
    origin: str | None = None
    kind: str | None = None
    framing: str | None = None
    status: str | None = None
    project: str | None = None
    q: str | None = None


class ItemOut(Schema):
    id: int
    source: str
    key: str
    title: str
    project: str
    status: str
    status_category: str
    origin: str
    origin_set_by: str
    kind: str
    kind_set_by: str
    framing: str
    framing_set_by: str


class ItemDetailOut(ItemOut):
    type: str
    labels: list[Any]
    components: list[Any]
    origin_reasons: list[Any]
    kind_reasons: list[Any]
    framing_reasons: list[Any]


class CorrectionIn(Schema):
    dimension: str
    label: str


def _require_items(request: HttpRequest) -> None:
    if not visibility.sees_items(request.user):
        raise HttpError(403, pages.ITEMS_REFUSED)


@router.get("/report", response=dict[str, Any], summary="The backlog health report")
def backlog_report(request: HttpRequest, params: Query[ReportQuery]):
    end = params.end or timezone.localdate()
    start = params.start or end - dt.timedelta(days=pages.DEFAULT_DAYS)
    if start > end:
        raise HttpError(422, f"The start ({start}) comes after the end ({end}).")
    data = pages.build_report(start=start, end=end, project=params.project or None).as_dict()
    if not visibility.sees_items(request.user):
        data = visibility.aggregates_only(data)
    return data


@router.get("/items", response=list[ItemOut], summary="Tracker items with their labels")
@paginate(Pages)
def list_items(request: HttpRequest, filters: Query[ItemFilters]):
    _require_items(request)
    return pages.filtered_items(filters.dict(exclude_none=True))


@router.get("/items/{item_id}", response=ItemDetailOut, summary="One item with its reasons")
def item_detail(request: HttpRequest, item_id: int):
    _require_items(request)
    return get_object_or_404(Item, pk=item_id)


@router.post(
    "/items/{item_id}/corrections",
    response=ItemDetailOut,
    summary="Correct an item's origin, kind or framing (admins and managers)",
)
def correct_item(request: HttpRequest, item_id: int, payload: CorrectionIn):
    item = get_object_or_404(Item, pk=item_id)
    try:
        item = pages.correct(request.user, item, payload.dimension, payload.label)
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal)) from None
    except ValidationError as problem:
        raise HttpError(422, " ".join(problem.messages)) from None
    item.refresh_from_db()
    return item
