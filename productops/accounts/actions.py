"""Writes for accounts: logins with roles, and personal access tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from productops.accounts.models import AccessToken, Account, Role, hash_token
from productops.accounts.passwords import validate_new_password


def check_create_login(username: str, password: str, *, person=None, email: str = "") -> None:
    """The password must pass every rule of settings (`accounts.passwords`).

    Raises ValidationError with each rule's sentence.
    """
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username, email=email)
    validate_new_password(password, user, person)


@transaction.atomic
def do_create_login(
    username: str, password: str, role: Role, *, person=None, email: str = ""
) -> User:
    """Create or reset a login with a role, optionally linked to a person."""
    check_create_login(username, password, person=person, email=email)
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.is_staff = role is Role.ADMIN
    user.is_superuser = role is Role.ADMIN
    user.save()
    Account.objects.update_or_create(user=user, defaults={"role": role})
    if person is not None:
        type(person).objects.filter(user=user).exclude(pk=person.pk).update(user=None)
        person.user = user
        person.save(update_fields=["user"])
    return user


def do_create_token(user: User, name: str) -> tuple[AccessToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    raw = AccessToken.generate_raw()
    token = AccessToken.objects.create(
        user=user, name=name.strip() or "API token", token_hash=hash_token(raw), hint=raw[:9]
    )
    return token, raw


def check_token_owner(user: User, token: AccessToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied("You can only revoke your own tokens.")


def do_revoke_token(user: User, token: AccessToken) -> None:
    check_token_owner(user, token)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
