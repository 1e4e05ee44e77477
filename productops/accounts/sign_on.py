"""Single sign-on settings, read from the environment, and who a sign-on is.

This module is imported by `productops/settings.py`, so it imports nothing of Django but
its exceptions. `read_sign_on(os.environ)` gives the OIDC_* settings (or {} when single
sign-on is off); a partial configuration is refused by name. The backend that uses
them is `productops.accounts.oidc`.

A sign-on is matched to a person of the org by e-mail. The org is built on accounts, so
accounts never imports it: the org registers how to find a person by e-mail
(`register_person_by_email`) when the apps load.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

# Needed for single sign-on; setting any of them without the rest is a mistake.
REQUIRED = (
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT",
)
ROLES = ("admin", "manager", "member", "viewer")  # highest first, as accounts.models.Role
NO_PERSON_CHOICES = ("refuse", "viewer")


def _env(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return environ.get(name, default).strip()


def parse_role_groups(raw: str) -> dict[str, str]:
    """`admin=pm-leads,manager=pm-managers` as {group: role}; a role may name several
    groups, one entry each (`admin=leads,admin=heads`)."""
    groups: dict[str, str] = {}
    for entry in (part.strip() for part in raw.split(",")):
        if not entry:
            continue
        role, sep, group = (piece.strip() for piece in entry.partition("="))
        if not sep or not group or role not in ROLES:
            raise ImproperlyConfigured(
                f"PRODUCTOPS_OIDC_ROLE_GROUPS entry {entry!r} is not ROLE=GROUP "
                f"with ROLE one of {', '.join(ROLES)} (e.g. admin=pm-leads,manager=pm-managers)"
            )
        groups[group] = role
    return groups


def read_sign_on(environ: Mapping[str, str]) -> dict[str, Any]:
    """The single sign-on settings from the environment, or {} when it is off."""
    given = {name: _env(environ, name) for name in REQUIRED}
    if not any(given.values()):
        return {}
    missing = [name for name, value in given.items() if not value]
    if missing:
        raise ImproperlyConfigured(
            "Single sign-on is half configured: set "
            + ", ".join(missing)
            + " as well (or unset every OIDC_* variable to turn it off)"
        )
    algo = _env(environ, "OIDC_RP_SIGN_ALGO", "RS256") or "RS256"
    if algo not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256"}:
        raise ImproperlyConfigured(f"OIDC_RP_SIGN_ALGO={algo!r}: use RS256 (or ES256, HS256)")
    default_role = _env(environ, "PRODUCTOPS_OIDC_DEFAULT_ROLE", "member") or "member"
    if default_role not in ROLES:
        raise ImproperlyConfigured(
            f"PRODUCTOPS_OIDC_DEFAULT_ROLE={default_role!r}: use one of {', '.join(ROLES)}"
        )
    no_person = _env(environ, "PRODUCTOPS_OIDC_NO_PERSON", "refuse") or "refuse"
    if no_person not in NO_PERSON_CHOICES:
        raise ImproperlyConfigured(f"PRODUCTOPS_OIDC_NO_PERSON={no_person!r}: use refuse or viewer")
    settings: dict[str, Any] = dict(given)
    settings.update(
        OIDC_RP_SIGN_ALGO=algo,
        OIDC_RP_SCOPES=_env(environ, "OIDC_RP_SCOPES", "openid email profile")
        or "openid email profile",
        OIDC_ROLE_CLAIM=_env(environ, "OIDC_ROLE_CLAIM"),
        OIDC_GROUPS_CLAIM=_env(environ, "OIDC_GROUPS_CLAIM", "groups") or "groups",
        PRODUCTOPS_OIDC_ROLE_GROUPS=parse_role_groups(_env(environ, "PRODUCTOPS_OIDC_ROLE_GROUPS")),
        PRODUCTOPS_OIDC_DEFAULT_ROLE=default_role,
        PRODUCTOPS_OIDC_NO_PERSON=no_person,
        # The name on the login page's button.
        PRODUCTOPS_OIDC_PROVIDER_NAME=_env(environ, "PRODUCTOPS_OIDC_PROVIDER_NAME")
        or "single sign-on",
    )
    return settings


# How to find a person by e-mail (case-insensitive): the person, or None. Registered by
# the org (OrgConfig.ready). The person has `.user` (the linked login, or None) and
# `.pk`; linking is `person.user = login; person.save(update_fields=["user"])`.
PersonByEmail = Callable[[str], Any]

_person_by_email: PersonByEmail | None = None


def register_person_by_email(lookup: PersonByEmail) -> None:
    """How to find the person with an e-mail address (None when there is none)."""
    global _person_by_email
    _person_by_email = lookup


def person_by_email(email: str) -> Any:
    """The person with this e-mail, or None (also when no org registered a lookup)."""
    return _person_by_email(email) if _person_by_email is not None else None
