"""The backlog item filter: one query for the item list page and the API.

Unknown choice values match nothing; `q` looks in the key and the title.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet

from productops.backlog.models import Item

FILTERS = ("origin", "kind", "framing", "status", "project", "q")


def filtered_items(query: Mapping[str, Any]) -> QuerySet[Item]:
    """Items matching the list's filters; unknown choice values match nothing."""
    items = Item.objects.defer("description").order_by("source", "key")
    for name in ("origin", "kind", "framing"):
        if query.get(name):
            items = items.filter(**{name: query[name]})
    if query.get("status"):
        items = items.filter(status_category=query["status"])
    if query.get("project"):
        items = items.filter(project=query["project"])
    if text := (query.get("q") or "").strip():
        items = items.filter(Q(key__icontains=text) | Q(title__icontains=text))
    return items


def projects() -> list[str]:
    """Every project or product area an item names, for the filters."""
    return list(
        Item.objects.exclude(project="").values_list("project", flat=True).distinct().order_by()
    )
