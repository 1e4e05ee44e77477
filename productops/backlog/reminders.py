"""For admins: tracker imports that failed or did not finish. Registered with notify in
`BacklogConfig.ready`.

A run failed when it finished with errors and wrote nothing (an all-or-nothing import
refused its files); it did not finish when its process stopped (`do_mark_unfinished_imports`
marks those first, so a killed run is reported at the next reminder run). Only runs
started in the last `LOOK_BACK` are reported, so turning e-mail on does not mail the
history. Each run is one event, to each admin.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse

from productops.accounts.models import Role
from productops.accounts.roles import role_of
from productops.backlog.actions import do_mark_unfinished_imports
from productops.backlog.models import ImportStatus, TrackerImport
from productops.notify.kinds import Reminder, absolute_url, register_kind

KIND = "import_failed"
LOOK_BACK = datetime.timedelta(days=7)
ERRORS_SHOWN = 5


def admins() -> list[User]:
    candidates = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(account__role=Role.ADMIN)
    )
    return [user for user in candidates.order_by("username") if role_of(user) is Role.ADMIN]


def failed_runs(since: datetime.datetime) -> list[TrackerImport]:
    finished_empty = Q(
        status=ImportStatus.FINISHED,
        items_created=0,
        items_updated=0,
        items_unchanged=0,
    ) & ~Q(errors=[])
    return list(
        TrackerImport.objects.filter(started_at__gte=since)
        .filter(Q(status=ImportStatus.UNFINISHED) | finished_empty)
        .select_related("by")
        .order_by("started_at", "pk")
    )


def _error_line(error: dict) -> str:
    where = ", ".join(
        f"{name} {error[name]}" for name in ("source", "row", "key", "column") if error.get(name)
    )
    return f"- {where + ': ' if where else ''}{error.get('reason', '')}"


def _body(run: TrackerImport) -> tuple[str, str]:
    files = ", ".join(str(name) for name in run.files) or "no file name recorded"
    by = f" by {run.by.get_username()}" if run.by else ""
    if run.status == ImportStatus.UNFINISHED:
        subject = f"Tracker import did not finish ({run.format})"
        opening = f"The {run.format} import of {files}, started{by} on {run.started_at:%Y-%m-%d %H:%M}, did not finish."
    else:
        subject = f"Tracker import failed ({run.format})"
        opening = (
            f"The {run.format} import of {files}, started{by} on {run.started_at:%Y-%m-%d %H:%M}, "
            f"found {len(run.errors)} problem{'s' if len(run.errors) != 1 else ''} and wrote nothing."
        )
    lines = [opening, "", *[_error_line(e) for e in run.errors[:ERRORS_SHOWN]]]
    if len(run.errors) > ERRORS_SHOWN:
        lines.append(f"- and {len(run.errors) - ERRORS_SHOWN} more")
    lines += ["", f"Imports: {absolute_url(reverse('backlog:import'))}"]
    return subject, "\n".join(lines)


def due(now: datetime.datetime) -> Iterator[Reminder]:
    do_mark_unfinished_imports()
    runs = failed_runs(now - LOOK_BACK)
    if not runs:
        return
    to = admins()
    for run in runs:
        subject, body = _body(run)
        for user in to:
            yield Reminder(f"import-{run.pk}", user, subject, body)


def register() -> None:
    register_kind(
        KIND,
        "Failed tracker imports",
        "For admins: a tracker import that found errors and wrote nothing, or that did "
        "not finish (its process stopped).",
        due,
    )
