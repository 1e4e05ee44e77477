"""Which reminder kinds a login turned off: no row, or a row enabled, means on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from productops.notify.kinds import registered_kinds
from productops.notify.models import NotificationPreference


@dataclass(frozen=True)
class KindChoice:
    kind: str
    label: str
    description: str
    enabled: bool


def turned_off(user_ids: Iterable[int] | None = None) -> set[tuple[int, str]]:
    """(user id, kind) for every kind turned off, in one query."""
    rows = NotificationPreference.objects.filter(enabled=False)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    return set(rows.values_list("user_id", "kind"))


def choices_of(user: Any) -> list[KindChoice]:
    """Every registered kind with whether this login receives it."""
    off = {kind for _, kind in turned_off([user.pk])}
    return [
        KindChoice(k.kind, k.label, k.description, k.kind not in off) for k in registered_kinds()
    ]
