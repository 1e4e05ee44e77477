"""Schemas of the backlog report and item API."""

import datetime as dt
from typing import Any

from ninja import Schema


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


class LeastSureOut(Schema):
    """An item to correct next: the model (or, before one is trained, the rules) is least
    sure of its label; `margin` is the gap between the two likeliest labels (0: a toss)."""

    item: ItemOut
    margin: float
    note: str
