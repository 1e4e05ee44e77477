"""Schemas of the jobs API."""

from datetime import datetime
from typing import Any

from ninja import Schema


class JobOut(Schema):
    id: int
    kind: str
    title: str
    status: str  # queued, running, done or failed
    done: int
    total: int | None  # None while the total is not known yet
    message: str
    result: Any  # what the task returned (JSON), once done
    error: str  # what to do next, once failed
    result_url: str
    no_worker: bool  # waiting, and no worker is running to take it
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
