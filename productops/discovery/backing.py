"""Which backlog items are backed by discovery, and by which solution.

An item is backed by discovery when it is linked to a solution of an opportunity
solution tree, or when its epic is (the item's `epic_key` is the key of a linked item of
the same source). Two queries whatever the number of items; the backlog report and the
classification's "backed by discovery" origin signal both read it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q

from productops.backlog.models import Item
from productops.discovery.models import Solution


def backing_solutions(item_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Item id → the title of the solution backing it (its own link first, then its epic's).

    Only the items in `item_ids` (every item when None). When several solutions back an
    item, the oldest one is named.
    """
    items = Item.objects.all()
    if item_ids is not None:
        ids = list({int(pk) for pk in item_ids})
        if not ids:
            return {}
        items = items.filter(pk__in=ids)
    by_id, by_key = link_titles()
    backed = {}
    for pk, source, epic_key in items.values_list("pk", "source", "epic_key"):
        title = by_id.get(pk) or (by_key.get((source, epic_key)) if epic_key else None)
        if title:
            backed[pk] = title
    return backed


def link_titles() -> tuple[dict[int, str], dict[tuple[str, str], str]]:
    """Every link to a solution, once: item id → title, and (source, key) → title.

    Callers that go through every item in chunks (the classification) load this once.
    An item is backed by `by_id[item]`, else by `by_key[(its source, its epic key)]`.
    """
    by_id: dict[int, str] = {}
    by_key: dict[tuple[str, str], str] = {}
    rows = Solution.items.through.objects.order_by("-solution_id").values_list(
        "item_id", "item__source", "item__key", "solution__title"
    )
    for item_id, source, key, title in rows:  # the oldest solution is written last: it wins
        by_id[item_id] = title
        by_key[(source, key)] = title
    return by_id, by_key


def items_to_reclassify(items: Iterable[Item]) -> list[int]:
    """The items whose backing changes with `items`' links: each item, and an epic's children."""
    ids: set[int] = set()
    epics: dict[str, set[str]] = {}
    for item in items:
        ids.add(item.pk)
        epics.setdefault(item.source, set()).add(item.key)
    for source, keys in epics.items():
        ids.update(
            Item.objects.filter(source=source, epic_key__in=keys).values_list("pk", flat=True)
        )
    return sorted(ids)


def backed_item_ids(*, status_category: str | None = None) -> set[int]:
    """The ids of every item backed by discovery (of `status_category` when given): one query."""
    links = Solution.items.through.objects
    epic_linked = links.filter(item__source=OuterRef("source"), item__key=OuterRef("epic_key"))
    items = Item.objects.filter(
        Exists(links.filter(item_id=OuterRef("pk"))) | (~Q(epic_key="") & Exists(epic_linked))
    )
    if status_category is not None:
        items = items.filter(status_category=status_category)
    return set(items.values_list("pk", flat=True))
