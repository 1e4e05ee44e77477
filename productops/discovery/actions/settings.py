"""The org's discovery settings: which touchpoint kinds count (`check_*` then `do_*`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from productops.accounts.models import Role
from productops.accounts.roles import Login, author_of, role_of
from productops.discovery.kinds import parse_kinds
from productops.discovery.models import DiscoverySettings


def can_change_kinds(user: Login) -> bool:
    return role_of(user) is Role.ADMIN


def check_change_kinds(user: Login, kinds: Iterable[str] | str | None) -> frozenset[str]:
    """The kinds to save; PermissionDenied for a non-admin, ValidationError for bad kinds."""
    if not can_change_kinds(user):
        raise PermissionDenied(
            "Only an admin changes which touchpoint kinds count as discovery; ask an admin."
        )
    if kinds is None:
        return frozenset()
    try:
        return parse_kinds(kinds, source="The list of kinds")
    except ValueError as problem:
        raise ValidationError(str(problem)) from None


@transaction.atomic
def do_change_kinds(user: Login, kinds: Iterable[str] | str | None) -> DiscoverySettings | None:
    """Save the org's choice; None (`kinds=None`) goes back to the server default."""
    chosen = check_change_kinds(user, kinds)
    if kinds is None:
        DiscoverySettings.objects.all().delete()
        return None
    from productops.discovery.kinds import KIND_VALUES

    row = DiscoverySettings.objects.order_by("pk").first() or DiscoverySettings()
    row.kinds = [kind for kind in KIND_VALUES if kind in chosen]
    row.changed_by = author_of(user)
    row.changed_at = timezone.now()
    row.save()
    return row
