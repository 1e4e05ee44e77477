"""Scheduled tasks: what the worker enqueues on its own, and how often.

Apps register in their `AppConfig.ready()`:

    register_periodic("reminders", send_reminders, every=timedelta(hours=1))

The worker (`productops worker`) enqueues each registered task once per slot (the start
of each `every` period); `ScheduledRun`'s unique (name, slot) keeps two workers from
enqueuing the same slot twice. The task takes no argument, or the slot's ISO time.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django_tasks.base import Task

from productops.ops.models import ScheduledRun


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


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def slot_of(every: timedelta, now: datetime) -> datetime:
    """The start of the `every` period holding `now`, counted from the Unix epoch in UTC
    (hourly slots start on the hour, daily ones at midnight UTC)."""
    periods = (now.astimezone(UTC) - _EPOCH) // every
    return _EPOCH + periods * every


def enqueue_due(now: datetime) -> list[str]:
    """Enqueue each registered task whose current slot has not been enqueued yet; the
    names enqueued. Only the current slot counts, so a worker that was down for several
    slots runs a task once on start, not once per missed slot. The ScheduledRun row and the
    task row are written in one transaction: a second worker's insert of the same slot
    fails on the unique constraint and enqueues nothing."""
    enqueued = []
    for periodic in registered():
        slot = slot_of(periodic.every, now)
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=periodic.name, slot=slot)
                if _takes_slot(periodic.task):
                    periodic.task.enqueue(slot.isoformat())
                else:
                    periodic.task.enqueue()
        except IntegrityError:
            continue
        enqueued.append(periodic.name)
    return enqueued


def _takes_slot(periodic_task: Task) -> bool:
    return bool(inspect.signature(periodic_task.func).parameters)
