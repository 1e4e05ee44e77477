"""Which role a login has. Every visibility helper starts here."""

from __future__ import annotations

from typing import Any

from productops.accounts.models import Account, Role


def role_of(user: Any) -> Role | None:
    """The role of a user, or None for an anonymous visitor.

    Superusers are admins. A login without an account row is a member when it is linked
    to a person and a viewer otherwise: the least that still lets them in.
    """
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_productops_role", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        role = Role.ADMIN
    else:
        try:
            role = Role(user.account.role)
        except Account.DoesNotExist:
            role = Role.MEMBER if _has_person(user) else Role.VIEWER
    user._productops_role = role
    return role


def _has_person(user: Any) -> bool:
    from productops.org.models import Person

    return Person.objects.filter(user=user).exists()


def person_id_of(user: Any) -> int | None:
    """The id of the person linked to a login, cached on the user object."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_productops_person_id"):
        from productops.org.models import Person

        user._productops_person_id = (
            Person.objects.filter(user=user).values_list("pk", flat=True).first()
        )
    return user._productops_person_id
