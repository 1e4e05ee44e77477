"""Which backlog items are backed by discovery, and by which solution.

An item is backed by discovery when it is linked to a solution of an opportunity
solution tree, or when its epic is (the item's `epic_key` is the key of a linked item of
the same source). Two queries whatever the number of items; the backlog report and the
classification's "backed by discovery" origin signal both read it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, Subquery

from productops.backlog.models import Item
from productops.discovery.models import Solution


def backing_solutions(item_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Item id → the title of the solution backing it (its own link first, then its epic's).

    Only the items in `item_ids` (every item when None). When several solutions back an
    item, the oldest one is named.
    """
    links = Solution.items.through.objects.order_by("-solution_id")
    epics = Item.objects.exclude(epic_key="")
    if item_ids is not None:
        ids = list({int(pk) for pk in item_ids})
        if not ids:
            return {}
        links = links.filter(item_id__in=ids)
        epics = epics.filter(pk__in=ids)
    epic_solution = (
        Solution.objects.filter(items__source=OuterRef("source"), items__key=OuterRef("epic_key"))
        .order_by("pk")
        .values("title")[:1]
    )
    backed: dict[int, str] = dict(
        epics.annotate(backing=Subquery(epic_solution))
        .filter(backing__isnull=False)
        .values_list("pk", "backing")
    )
    # the item's own link wins over its epic's; the oldest solution is written last
    backed.update(links.values_list("item_id", "solution__title"))
    return backed


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
