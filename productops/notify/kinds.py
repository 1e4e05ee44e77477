"""The kinds of reminder, registered by the apps that know when one is due.

notify sits low in the layers, so it never imports the apps whose records it reminds
about; each of them registers its kinds in its `AppConfig.ready()`:

    register_kind("assessment_due_soon", "Assessment due soon", "…", due_soon)

`due(now)` yields the reminders due at `now`, one `Reminder` per recipient and event. Its
key names the event (a cycle and its due date, a 1:1 and its date), so the sender sends
each (kind, key, recipient) once, however often it runs. The text holds only what the
recipient may see: the source asks its own app's visibility helpers.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings


class Reminder(NamedTuple):
    key: str
    recipient: Any  # the login (User) it goes to
    subject: str
    body: str  # plain text


DueReminders = Callable[[datetime.datetime], Iterable[Reminder]]


@dataclass(frozen=True)
class ReminderKind:
    kind: str
    label: str
    description: str
    due: DueReminders


_registry: dict[str, ReminderKind] = {}


def register_kind(kind: str, label: str, description: str, due: DueReminders) -> None:
    if len(kind) > 40:
        raise ValueError(f"A reminder kind is at most 40 characters: {kind!r}")
    _registry[kind] = ReminderKind(kind, label, description, due)


def registered_kinds() -> list[ReminderKind]:
    """Every kind, in the order the apps registered them."""
    return list(_registry.values())


def kind_named(kind: str) -> ReminderKind | None:
    return _registry.get(kind)


def absolute_url(path: str) -> str:
    """A link for an e-mail: the path on the site's public address (PRODUCTOPS_BASE_URL)."""
    return settings.PRODUCTOPS_BASE_URL.rstrip("/") + "/" + path.lstrip("/")
