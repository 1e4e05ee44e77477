"""The scheduler: each periodic task once per slot, however many workers look, and a
worker that was down runs a missed task once (the latest slot), not once per slot."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from productops.ops import schedule
from productops.ops.models import ScheduledRun
from tests.ops import worker_tasks

HOUR = timedelta(hours=1)


@pytest.fixture
def ticking() -> Iterator[None]:
    saved = dict(schedule._registry)
    schedule._registry.clear()
    schedule.register_periodic("tick", worker_tasks.tick, every=HOUR)
    schedule.register_periodic("tock", worker_tasks.tock, every=timedelta(days=1))
    worker_tasks.TICKS.clear()
    yield
    schedule._registry.clear()
    schedule._registry.update(saved)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_slot_starts_at_the_start_of_its_period_in_utc() -> None:
    assert schedule.slot_of(HOUR, at("2026-12-03 09:59:59")) == at("2026-12-03 09:00")
    assert schedule.slot_of(timedelta(days=1), at("2026-12-03 23:59")) == at("2026-12-03 00:00")
    assert schedule.slot_of(timedelta(minutes=15), at("2026-12-03 09:31")) == at("2026-12-03 09:30")
    local = datetime.fromisoformat("2026-12-03T10:30:00+02:00")
    assert schedule.slot_of(HOUR, local) == at("2026-12-03 08:00")


@pytest.mark.django_db
def test_each_task_runs_once_per_slot(ticking: None) -> None:
    assert schedule.enqueue_due(at("2026-12-03 09:00:05")) == ["tick", "tock"]
    assert schedule.enqueue_due(at("2026-12-03 09:00:15")) == []
    assert schedule.enqueue_due(at("2026-12-03 09:59:59")) == []
    assert worker_tasks.TICKS == ["2026-12-03T09:00:00+00:00", "tock"]

    assert schedule.enqueue_due(at("2026-12-03 10:00:01")) == ["tick"]
    assert worker_tasks.TICKS[-1] == "2026-12-03T10:00:00+00:00"
    assert ScheduledRun.objects.filter(name="tick").count() == 2


@pytest.mark.django_db
def test_a_slot_another_worker_took_is_not_enqueued_again(ticking: None) -> None:
    ScheduledRun.objects.create(name="tick", slot=at("2026-12-03 09:00"))
    assert schedule.enqueue_due(at("2026-12-03 09:20")) == ["tock"]
    assert worker_tasks.TICKS == ["tock"]


@pytest.mark.django_db
def test_a_worker_down_for_hours_runs_the_latest_slot_once(ticking: None) -> None:
    schedule.enqueue_due(at("2026-12-03 04:10"))
    worker_tasks.TICKS.clear()
    # Down from 04:10 to 09:30: five slots missed, one run, for 09:00.
    assert schedule.enqueue_due(at("2026-12-03 09:30")) == ["tick"]
    assert worker_tasks.TICKS == ["2026-12-03T09:00:00+00:00"]
    slots = ScheduledRun.objects.filter(name="tick").order_by("slot").values_list("slot", flat=True)
    assert list(slots) == [at("2026-12-03 04:00"), at("2026-12-03 09:00")]
