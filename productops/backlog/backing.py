"""Which items discovery backs, as the backlog asks it.

Discovery builds on the backlog (a solution links to items), so the backlog cannot import
discovery. Instead discovery registers a `BackingSource` here when the apps load, and the
classifier ("backed by discovery" origin signal) and the report ask through this module.
With no source registered, nothing is backed.
"""

from __future__ import annotations

from typing import Protocol


class BackingSource(Protocol):
    def link_titles(self) -> tuple[dict[int, str], dict[tuple[str, str], str]]:
        """Item id → solution title, and (source, key) → solution title."""
        ...

    def backed_item_ids(self, *, status_category: str | None = None) -> set[int]:
        """The ids of every backed item (of `status_category` when given)."""
        ...


_source: BackingSource | None = None


def register_backing_source(source: BackingSource) -> None:
    global _source
    _source = source


def link_titles() -> tuple[dict[int, str], dict[tuple[str, str], str]]:
    return _source.link_titles() if _source is not None else ({}, {})


def backed_item_ids(*, status_category: str | None = None) -> set[int]:
    return _source.backed_item_ids(status_category=status_category) if _source else set()
