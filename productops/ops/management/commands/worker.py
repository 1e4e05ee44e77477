"""`productops worker`: run the background tasks (imports, reports, reminders) and the
schedule. Thin over productops.ops.worker."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import valid_interval, validate_worker_id

from productops.ops.worker import new_worker_id, serve


class Command(BaseCommand):
    help = (
        "Run the background worker: imports, report rendering and reminders started from "
        "the pages, and the scheduled tasks. Stop it with Ctrl+C or SIGTERM: the task it is "
        "running finishes first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait between two looks for new tasks when none is ready (default: 1).",
        )
        parser.add_argument(
            "--once",
            "--batch",
            dest="batch",
            action="store_true",
            help="Run the tasks that are ready (and the scheduled ones due), then exit.",
        )
        parser.add_argument(
            "--worker-id",
            type=validate_worker_id,
            default=None,
            help="A name for this worker, unique among the running ones (default: host-pid-random).",
        )

    def handle(
        self, *args: Any, interval: float, batch: bool, worker_id: str | None, **options: Any
    ) -> None:
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "PRODUCTOPS_TASK_BACKEND=immediate runs each task where it starts, so a worker "
                "has nothing to run: unset it (the database backend is the default) and start "
                "the worker again."
            )
        serve(worker_id=worker_id or new_worker_id(), interval=interval, batch=batch)
