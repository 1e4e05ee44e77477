"""Send the reminders that are due, each (kind, key, recipient) once.

For each reminder a source yields: skip it when the recipient turned its kind off, has
no e-mail address or an inactive login; else claim it by inserting its `SentNotification`
row (the unique (kind, key, recipient) makes a second worker's insert fail, so two
workers never send one event twice), then send it. A send that fails removes the claim,
so the next run tries again. When the mail server cannot be reached at all the run stops
there: what it did not reach stays due for the next run.

The claim comes before the send on purpose: a process killed between the two loses that
one reminder rather than sending it twice ("never twice for the same event").
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from productops.notify.kinds import Reminder, ReminderKind, absolute_url, registered_kinds
from productops.notify.models import SentNotification
from productops.notify.preferences import turned_off

logger = logging.getLogger("productops.notify")

# The server took the connection but refused this one message: the others may pass.
# (Any other error, smtplib's included since they are OSErrors, means the server is not
# there: refused, timed out, dropped us; nothing more would go through.)
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass
class SendReport:
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # kind, key, address
    already_sent: int = 0
    turned_off: int = 0
    no_address: int = 0
    failed: int = 0
    stopped: str = ""  # why the run stopped early (the mail server could not be reached)

    def summary(self) -> str:
        parts = [
            f"{len(self.sent)} sent",
            f"{self.already_sent} already sent",
            f"{self.turned_off} turned off",
            f"{self.no_address} without an e-mail address",
            f"{self.failed} failed",
        ]
        line = ", ".join(parts) + "."
        if self.stopped:
            line += f" Stopped early: {self.stopped}"
        return line


def address_of(user: Any) -> str:
    """The login's own e-mail address, else its person's (the org's address book)."""
    own = (getattr(user, "email", "") or "").strip()
    if own:
        return own
    person = getattr(user, "person", None)  # the reverse side of org's Person.user
    return (getattr(person, "email", "") or "").strip() if person is not None else ""


def _footer(kind: ReminderKind) -> str:
    return (
        "\n\n--\n"
        f"You receive “{kind.label}” reminders from productops. Turn them off at "
        f"{absolute_url(reverse('notify:preferences'))}\n"
    )


def _claim(kind: str, reminder: Reminder) -> SentNotification | None:
    try:
        with transaction.atomic():
            return SentNotification.objects.create(
                kind=kind, key=reminder.key[:200], recipient=reminder.recipient
            )
    except IntegrityError:
        return None


def _was_sent(kind: str, reminder: Reminder) -> bool:
    return SentNotification.objects.filter(
        kind=kind, key=reminder.key[:200], recipient=reminder.recipient
    ).exists()


def _due(now: datetime.datetime) -> list[tuple[ReminderKind, Reminder]]:
    due: list[tuple[ReminderKind, Reminder]] = []
    for kind in registered_kinds():
        try:
            due += [(kind, reminder) for reminder in kind.due(now)]
        except Exception:  # one broken source must not stop the others' reminders
            logger.exception("reminders of kind %s could not be computed", kind.kind)
    return due


def send_due_reminders(
    now: datetime.datetime | None = None, *, dry_run: bool = False
) -> SendReport:
    """Send every reminder due at `now` that was not sent yet; with `dry_run`, send
    nothing and record nothing, and report what would be sent."""
    now = now or timezone.now()
    report = SendReport()
    due = _due(now)
    off = turned_off({reminder.recipient.pk for _, reminder in due})
    connection = None if dry_run else get_connection()
    try:
        for kind, reminder in due:
            user = reminder.recipient
            address = address_of(user)
            if (user.pk, kind.kind) in off:
                report.turned_off += 1
            elif not address or not user.is_active:
                report.no_address += 1
            elif dry_run:
                if _was_sent(kind.kind, reminder):
                    report.already_sent += 1
                else:
                    report.sent.append((kind.kind, reminder.key, address))
            elif not _send_once(kind, reminder, address, connection, report):
                break
    finally:
        if connection is not None:
            connection.close()
    logger.info("reminders%s: %s", " (dry run)" if dry_run else "", report.summary())
    return report


def _send_once(
    kind: ReminderKind, reminder: Reminder, address: str, connection: Any, report: SendReport
) -> bool:
    """Claim and send one reminder; False when the mail server cannot be reached."""
    claim = _claim(kind.kind, reminder)
    if claim is None:
        report.already_sent += 1
        return True
    message = EmailMessage(
        subject=reminder.subject,
        body=reminder.body.rstrip() + _footer(kind),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        connection=connection,
    )
    try:
        message.send()
    except REFUSED as problem:
        SentNotification.objects.filter(pk=claim.pk).delete()
        report.failed += 1
        logger.warning("reminder %s %s to %s refused: %s", kind.kind, reminder.key, address,
                       problem)  # fmt: skip
        return True
    except OSError as problem:
        SentNotification.objects.filter(pk=claim.pk).delete()
        report.failed += 1
        report.stopped = (
            f"the mail server {settings.EMAIL_HOST}:{settings.EMAIL_PORT} could not be "
            f"reached ({problem.__class__.__name__}: {problem}); the rest goes at the next run."
        )
        logger.warning("reminder %s %s to %s not sent: %s", kind.kind, reminder.key, address,
                       problem)  # fmt: skip
        return False
    report.sent.append((kind.kind, reminder.key, address))
    return True
