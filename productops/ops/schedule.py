"""Scheduled tasks: what the worker enqueues on its own, and how often.

Apps register in their `AppConfig.ready()`:

    register_periodic("reminders", send_reminders, every=timedelta(hours=1))

The worker (`productops worker`) enqueues each registered task once per slot (the start
of each `every` period); `ScheduledRun`'s unique (name, slot) keeps two workers from
enqueuing the same slot twice. The task takes no argument, or the slot's ISO time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django_tasks.base import Task


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Task
    every: timedelta


_registry: dict[str, Periodic] = {}


def register_periodic(name: str, task: Task, *, every: timedelta) -> None:
    _registry[name] = Periodic(name, task, every)


def registered() -> list[Periodic]:
    return list(_registry.values())
