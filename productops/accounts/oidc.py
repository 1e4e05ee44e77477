"""Single sign-on with OpenID Connect (mozilla-django-oidc), on when OIDC_* is set.

`SignOnBackend` turns the provider's claims into a productops login:

- the login is the one linked to the person with the claim's e-mail (case-insensitive);
  a person with no login yet gets a new one, linked to them;
- with no such person the sign-on is refused, unless PRODUCTOPS_OIDC_NO_PERSON=viewer,
  which gives a viewer login of its own (aggregates only);
- its role is re-read at each sign-on: from the claim named by OIDC_ROLE_CLAIM, else from
  the groups in OIDC_GROUPS_CLAIM mapped by PRODUCTOPS_OIDC_ROLE_GROUPS (the highest role
  wins), else PRODUCTOPS_OIDC_DEFAULT_ROLE. With neither configured, an existing login
  keeps the role set in productops.

An e-mail the provider says is not verified (`email_verified: false`) is refused: it could
be anybody's.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from productops.accounts.models import Account, Role
from productops.accounts.sign_on import ROLES, person_by_email

logger = logging.getLogger(__name__)


def sign_on_enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def role_from_claims(claims: dict[str, Any]) -> Role | None:
    """The role the provider gives, or None when it gives none we know."""
    claim = getattr(settings, "OIDC_ROLE_CLAIM", "")
    if claim:
        value = claims.get(claim)
        if isinstance(value, str) and value.strip().lower() in ROLES:
            return Role(value.strip().lower())
    mapping: dict[str, str] = getattr(settings, "PRODUCTOPS_OIDC_ROLE_GROUPS", {})
    if mapping:
        groups = claims.get(getattr(settings, "OIDC_GROUPS_CLAIM", "groups")) or []
        if isinstance(groups, str):
            groups = [groups]
        found = {mapping[group] for group in groups if isinstance(group, str) and group in mapping}
        for role in ROLES:  # highest first
            if role in found:
                return Role(role)
    return None


def _free_username(email: str) -> str:
    base = re.sub(r"[^\w.@+-]", "", email.split("@")[0])[:140] or "login"
    UserModel = get_user_model()
    candidate, n = base, 1
    while UserModel.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


class SignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, matching logins to people by e-mail."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds every backend for every authenticate(); unconfigured, this one
        # simply answers None instead of refusing to be built.
        self.enabled = sign_on_enabled()
        if self.enabled:
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not self.enabled or request is None:
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            logger.warning("single sign-on refused: the provider sent no e-mail address")
            return False
        if claims.get("email_verified") is False:
            logger.warning("single sign-on refused: %s is not verified at the provider", email)
            return False
        return True

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        # Claims the user-info endpoint leaves out (some providers put groups only in
        # the ID token) are taken from the verified ID token.
        claims = {**payload, **claims}
        if not self.verify_claims(claims):
            return None
        email = claims["email"].strip().lower()
        person = person_by_email(email)
        role = role_from_claims(claims)
        if person is not None:
            user = person.user
            if user is None:
                user = self._new_login(email)
                person.user = user
                person.save(update_fields=["user"])
                logger.info("single sign-on: new login %s for %s", user.username, email)
        elif getattr(settings, "PRODUCTOPS_OIDC_NO_PERSON", "refuse") == "viewer":
            user = self._viewer_login(email)
            role = Role.VIEWER
        else:
            logger.warning("single sign-on refused: no person has the e-mail %s", email)
            return None
        if not user.is_active:
            logger.warning("single sign-on refused: the login %s is deactivated", user.username)
            return None
        self._set_role(user, role)
        return user

    def _new_login(self, email: str) -> User:
        user = self.UserModel.objects.create_user(_free_username(email), email=email)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        return user

    def _viewer_login(self, email: str) -> User:
        # A login of this e-mail that no person holds is reused; never one a person holds.
        unlinked = self.UserModel.objects.filter(email__iexact=email, person__isnull=True)
        existing = list(unlinked[:2])
        return existing[0] if len(existing) == 1 else self._new_login(email)

    def _set_role(self, user: User, role: Role | None) -> None:
        account = Account.objects.filter(user=user).first()
        if role is None:
            if account is not None:
                return  # no role from the provider: the one set in productops stays
            role = Role(getattr(settings, "PRODUCTOPS_OIDC_DEFAULT_ROLE", "member"))
        Account.objects.update_or_create(user=user, defaults={"role": role})
        admin = role is Role.ADMIN
        if (user.is_staff, user.is_superuser) != (admin, admin):
            user.is_staff = user.is_superuser = admin
            user.save(update_fields=["is_staff", "is_superuser"])


class SignOnStart(OIDCAuthenticationRequestView):
    """/oidc/authenticate/: off (404) unless single sign-on is configured."""

    def __init__(self, **kwargs: Any) -> None:
        if sign_on_enabled():
            super().__init__(**kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sign_on_enabled():
            raise Http404("Single sign-on is not configured on this site.")
        response: HttpResponse = super().get(request)
        return response


def not_a_password_attempt(request: HttpRequest | None, credentials: Any) -> bool:
    """django-axes' AXES_WHITELIST_CALLABLE: the sign-on callback is never counted.

    The callback carries no username, so axes would count every refused sign-on (no
    person with that e-mail, say) against one "no username" key per address, and soon
    refuse everybody's sign-on from that address, an office behind one NAT included.
    Nothing can be guessed there: the code comes from the provider, which checks the
    password (and keeps its own lockout). Password logins are counted as before.
    """
    if request is None:
        return False
    username = credentials.get("username") if isinstance(credentials, dict) else None
    return not username and request.path == reverse("oidc_authentication_callback")
