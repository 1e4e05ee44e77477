"""What /health/ checks: the database answers, the worker's heartbeat is fresh, the data
dir has room. Three cheap look-ups (one query, one aggregate, one statfs), no per-row work.

The worker is reported on its own and does not make the answer 503 unless asked
(`?worker=1` or PRODUCTOPS_HEALTH_REQUIRE_WORKER=1): a load balancer that polls /health/
would otherwise take every healthy web node out of service because the one background
worker is down, and pages do not need the worker to answer.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Max
from django.utils import timezone

from productops.ops.models import WorkerHeartbeat

# The worker writes its heartbeat about every 10 s; six missed beats mean it is gone.
DEFAULT_WORKER_MAX_AGE_SECONDS = 60
DEFAULT_MIN_FREE_MB = 500


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    facts: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, **self.facts}


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # No error text: it can hold a host name or a user.
        return Check("database", False)
    return Check("database", True)


def check_worker(max_age_seconds: int, now: dt.datetime | None = None) -> Check:
    try:
        newest = WorkerHeartbeat.objects.aggregate(newest=Max("seen_at"))["newest"]
    except DatabaseError:
        return Check("worker", False, {"seen_seconds_ago": None})
    if newest is None:
        return Check("worker", False, {"seen_seconds_ago": None})
    age = max(0, round(((now or timezone.now()) - newest).total_seconds()))
    return Check("worker", age <= max_age_seconds, {"seen_seconds_ago": age})


def check_disk(folder: Path, min_free_mb: int) -> Check:
    try:
        free_mb = shutil.disk_usage(folder).free // (1024 * 1024)
    except OSError:
        return Check("disk", False, {"free_mb": None, "min_free_mb": min_free_mb})
    return Check("disk", free_mb >= min_free_mb, {"free_mb": free_mb, "min_free_mb": min_free_mb})


@dataclass(frozen=True)
class HealthReport:
    checks: list[Check]
    counted: list[str]

    @property
    def failing(self) -> list[str]:
        return [c.name for c in self.checks if c.name in self.counted and not c.ok]

    @property
    def ok(self) -> bool:
        return not self.failing

    def as_json(self) -> dict[str, Any]:
        return {
            "status": "ok" if self.ok else "failing",
            "failing": self.failing,
            "checks": {
                c.name: {**c.as_json(), "counted": c.name in self.counted} for c in self.checks
            },
        }


def health_report(*, require_worker: bool | None = None) -> HealthReport:
    """Every check; the worker counts when `require_worker` (else the setting) says so."""
    if require_worker is None:
        require_worker = bool(getattr(settings, "PRODUCTOPS_HEALTH_REQUIRE_WORKER", False))
    max_age = int(
        getattr(settings, "PRODUCTOPS_HEALTH_WORKER_MAX_AGE", DEFAULT_WORKER_MAX_AGE_SECONDS)
    )
    min_free = int(getattr(settings, "PRODUCTOPS_HEALTH_MIN_FREE_MB", DEFAULT_MIN_FREE_MB))
    checks = [
        check_database(),
        check_worker(max_age),
        check_disk(Path(settings.DATA_DIR), min_free),
    ]
    counted = ["database", "disk"] + (["worker"] if require_worker else [])
    return HealthReport(checks, counted)
