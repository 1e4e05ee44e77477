"""Personal access tokens: created on the account page, stored hashed, revocable."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from productops.accounts.models import AccessToken, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = (
            AccessToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        # One write per minute at most, so a busy script does not write on every call.
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
            AccessToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user
