"""E-mail reminders: who turned which kind off, and which events were already sent.

`SentNotification` is the memory that makes a reminder go out once per event: its key
names the event (an assessment request and the day it is due, a 1:1 and its date), and
the pair (kind, key, recipient) is unique.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NotificationPreference(models.Model):
    """A kind of reminder a login turned off. No row: the kind is on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notify_one_pref_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {'on' if self.enabled else 'off'}"


class SentNotification(models.Model):
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="notify_sent_once")
        ]
        indexes = [models.Index(fields=["-sent_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} to {self.recipient_id}"
