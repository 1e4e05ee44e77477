"""`productops send-reminders [--dry-run]`: the hourly reminder run, once (for cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from productops.notify.sending import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the e-mail reminders that are due now and were not sent yet (the worker does "
        "this every hour). With --dry-run, list them and send nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be sent; send nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        report = send_due_reminders(dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for kind, key, address in report.sent:
            self.stdout.write(f"{verb} {kind} {key} to {address}")
        self.stdout.write(report.summary())
        if report.stopped:
            self.stderr.write(
                "Check EMAIL_HOST and EMAIL_PORT (and that the mail server runs), then run "
                "this again: nothing unsent was recorded as sent."
            )
