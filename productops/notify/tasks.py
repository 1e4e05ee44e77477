"""The reminder run the worker enqueues every hour (registered in `NotifyConfig.ready`)."""

from __future__ import annotations

from django_tasks import task

from productops.notify.sending import send_due_reminders


@task()
def send_reminders(slot: str | None = None) -> str:
    """Send what is due now; `slot` is the scheduled hour, for the log only."""
    return send_due_reminders().summary()
