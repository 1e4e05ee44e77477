"""Which role a login has, and which person it is. Every visibility helper starts here.

A login is linked to a person of the org, but the org is built on accounts, so accounts
never imports it: the org registers how to find a login's person when the apps load
(`OrgConfig.ready`), and `person_id_of` asks through that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

from django.http import HttpRequest

from productops.accounts.models import Account, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Every `user` parameter: a signed-in login or the anonymous visitor.
Login: TypeAlias = "User | AnonymousUser"


class SignedInRequest(HttpRequest):
    """The request of a `@login_required` view: its user is a signed-in login."""

    user: User


PersonLookup = Callable[[Any], "int | None"]

_person_lookup: PersonLookup | None = None

# Both answers are cached on the user object for the rest of the request.
_ROLE_CACHE = "_productops_role"
_PERSON_CACHE = "_productops_person_id"


def register_person_lookup(lookup: PersonLookup) -> None:
    """How to find the id of the person a login is linked to (None when there is none)."""
    global _person_lookup
    _person_lookup = lookup


def author_of(user: Login | None) -> User | None:
    """The login to record as a row's author: None for a command or the anonymous visitor."""
    from django.contrib.auth.models import User

    return user if isinstance(user, User) else None


def role_of(user: Login | None) -> Role | None:
    """The role of a user, or None for an anonymous visitor.

    Superusers are admins. A login without an account row is a member when it is linked
    to a person and a viewer otherwise: the least that still lets them in.
    """
    if user is None or not user.is_authenticated:
        return None
    cached: Role | None = getattr(user, _ROLE_CACHE, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        role = Role.ADMIN
    else:
        try:
            role = Role(user.account.role)
        except Account.DoesNotExist:
            role = Role.MEMBER if person_id_of(user) is not None else Role.VIEWER
    setattr(user, _ROLE_CACHE, role)
    return role


def person_id_of(user: Login | None) -> int | None:
    """The id of the person linked to a login, cached on the user object."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, _PERSON_CACHE):
        setattr(user, _PERSON_CACHE, _person_lookup(user) if _person_lookup is not None else None)
    found: int | None = getattr(user, _PERSON_CACHE)
    return found
