"""The account page's personal access tokens as download rows.

A row holds what identifies a token to its owner and when it was used: its name, when
it was created, last used and revoked. Never the token, its hash or its first
characters: a file travels further than the page, and none of that is needed to tell
one's tokens apart. Tokens have no expiry date: they last until revoked.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from productops.accounts.models import AccessToken

TOKEN_COLUMNS = ("Name", "Created", "Last used", "Status", "Revoked")


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """The time as the page prints it: in the site's time zone, to the minute."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def token_rows(tokens: Iterable[AccessToken]) -> list[list[Any]]:
    """One's tokens, newest first as on the page."""
    return [
        [
            token.name,
            _local(token.created_at),
            _local(token.last_used_at),
            "active" if token.is_active else "revoked",
            _local(token.revoked_at),
        ]
        for token in tokens
    ]
