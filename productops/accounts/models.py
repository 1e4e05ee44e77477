"""Who may log in, with which role, and their personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin", "Admin (head of product)"
    MANAGER = "manager", "Manager (sees their reporting chain)"
    MEMBER = "member", "Member (sees their own records)"
    VIEWER = "viewer", "Viewer (aggregates only)"


class Account(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


TOKEN_PREFIX = "pops_"


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits, so a fast unsalted hash is enough to make a leaked
    # database useless for calling the API, and lets us look a token up by its hash.
    return hashlib.sha256(raw.encode()).hexdigest()


class AccessToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to recognize it.")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def generate_raw() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)


class SecurityNotice(models.Model):
    """Something someone else did to a login, which its owner is told at their next sign-in.

    Today the one kind is a password set by someone else (an admin on the admin site):
    `accounts.password_notices` records it, ends the login's sessions and, until the
    owner has set a password of their own, lets that login reach nothing but the page
    where they do (`resolved_at` is then set). The rows are never deleted by the app and
    are not on the admin site: an admin must not be able to erase the record of what
    they did to someone's login.
    """

    class Kind(models.TextChoices):
        PASSWORD_SET = "password_set", "Password set by someone else"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PASSWORD_SET)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too, so the notice still names them if their login is deleted.
    by_name = models.CharField(max_length=200)
    how = models.CharField(max_length=100, help_text="Where it was done: “the admin site”.")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(
        null=True, blank=True, help_text="When the login set a password of its own."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user} by {self.by_name}"
