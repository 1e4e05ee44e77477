"""Writes of notify: a login's choice of reminder kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from productops.notify.kinds import registered_kinds
from productops.notify.models import NotificationPreference


def check_set_preferences(user: Any, choices: Mapping[str, Any]) -> None:
    if not getattr(user, "is_authenticated", False):
        raise ValidationError("Sign in to choose your reminders.")
    known = {k.kind for k in registered_kinds()}
    unknown = sorted(set(choices) - known)
    if unknown:
        raise ValidationError(
            f"No reminder kind is called {', '.join(unknown)}: use one of {', '.join(sorted(known))}."
        )
    wrong = sorted(kind for kind, value in choices.items() if not isinstance(value, bool))
    if wrong:
        raise ValidationError(f"Say true or false for {', '.join(wrong)}.")


@transaction.atomic
def do_set_preferences(user: Any, choices: Mapping[str, bool]) -> None:
    """Turn each named kind on or off for this login; kinds not named stay as they are."""
    check_set_preferences(user, choices)
    for kind, enabled in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"enabled": enabled}
        )
