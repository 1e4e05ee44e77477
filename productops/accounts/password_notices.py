"""A password someone else set is a temporary one: the owner is told, and must replace it.

An admin can set any login's password on the admin site. Without more, they could then
sign in as that person and read what only that person may read (their private 1:1 notes),
and the person would never know (security review M1). So when a login's password is set
by someone other than the login itself:

1. a `SecurityNotice` is recorded for the login (who, when, where), and the logger
   `productops.security` writes a warning;
2. every session of that login ends at once: no one stays signed in as them, and the
   sessions of the one who set it are not touched;
3. until the login sets a password of its own, it reaches nothing but the page where it
   does (`OwnPasswordRequired`, a middleware), the API answers its session 403, and its
   private notes are not readable or writable by any path, tokens included
   (`must_set_own_password`, which `coaching.visibility.own_private_notes` asks);
4. the page names who set the password, where and when, and lists the login's earlier
   notices. Setting one's own password closes the notice (`resolved_at`, the time the
   password was replaced) but never deletes it.

So whoever set the password cannot read the notes with it: they would first have to
choose a new password on that page, which locks the person out of their own login and
leaves the notice, with the time its password was replaced, for the person to find at
their next sign-in. docs/privacy.md says what this guarantees and what it does not.

Setting one's own password (the admin site's own password page, or any page a login uses
on itself) records nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from productops.accounts.models import SecurityNotice
from productops.accounts.roles import Login

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger("productops.security")

# Set in the session at sign-in when the login must set its own password first, so the
# middleware decides without a query on every request.
SESSION_FLAG = "productops_must_set_own_password"
# The page, and the two ways out of it, a login with a pending notice may still reach.
SET_OWN_PASSWORD = "accounts:set_own_password"
ALWAYS_REACHABLE = {SET_OWN_PASSWORD, "logout", "admin:logout"}

SET_OWN_FIRST = (
    "Your password was set by someone else. Choose a password of your own at "
    "/account/password/own/ before you use productops; until then this login reaches "
    "nothing else."
)
NOTES_LOCKED = (
    "Your password was set by someone else: choose a password of your own first "
    "(/account/password/own/), then your private notes open again."
)


def name_of(user: Any) -> str:
    """How a login is named to others: its username, and its person's name when linked."""
    person = getattr(user, "person", None) if user is not None else None
    username = user.get_username() if user is not None else "someone"
    return f"{username} ({person.name})" if person is not None else username


def pending_notices(user: Login) -> QuerySet[SecurityNotice]:
    if user.pk is None:
        return SecurityNotice.objects.none()
    return SecurityNotice.objects.filter(
        user_id=user.pk, kind=SecurityNotice.Kind.PASSWORD_SET, resolved_at__isnull=True
    )


def must_set_own_password(user: Login) -> bool:
    """True while the login's password is one someone else set (one query)."""
    return pending_notices(user).exists()


def notices_of(user: Login) -> QuerySet[SecurityNotice]:
    """Every notice of a login, newest first: what its owner is shown."""
    if user.pk is None:
        return SecurityNotice.objects.none()
    return SecurityNotice.objects.filter(user_id=user.pk).select_related("by")


def end_sessions_of(user: User) -> int:
    """End every session of a login; returns how many were ended.

    With database sessions (Django's default, and productops'), the rows are deleted.
    With any other session engine, each session still ends at its next request, because
    Django checks a session against a hash of the login's password.
    """
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0
    from django.contrib.sessions.models import Session

    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


@transaction.atomic
def do_note_password_set_by_other(user: User, *, by: Any, how: str) -> SecurityNotice | None:
    """Record that `by` set `user`'s password (through `how`), and act on it.

    Returns the notice, or None when `by` is the login itself (one's own change).
    """
    if by is not None and getattr(by, "pk", None) == user.pk:
        return None
    notice = SecurityNotice.objects.create(
        user=user,
        by=by if getattr(by, "pk", None) is not None else None,
        by_name=name_of(by) if by is not None else "someone on the server",
        how=how,
    )
    ended = end_sessions_of(user)
    logger.warning(
        "Password of login %s (id %s) set by %s on %s; %d session(s) of it ended; it must "
        "set a password of its own at its next sign-in (security notice %s).",
        user.get_username(),
        user.pk,
        notice.by_name,
        how,
        ended,
        notice.pk,
    )
    return notice


def check_own_password(user: User, raw: str) -> None:
    """A password of one's own is not the one someone else set."""
    if user.check_password(raw):
        raise ValidationError(
            {
                "new_password1": "Choose a new password: this is the one that was set for you, "
                "and whoever set it knows it."
            }
        )


@transaction.atomic
def do_set_own_password(request: HttpRequest, user: User, save: Callable[[], Any]) -> int:
    """The login replaces a password someone else set: `save()` stores the new one.

    Closes the login's pending notices, keeps this session signed in and ends every other
    one. Returns how many notices were closed.
    """
    save()
    closed = pending_notices(user).update(resolved_at=timezone.now())
    end_sessions_of(user)
    update_session_auth_hash(request, user)
    request.session.pop(SESSION_FLAG, None)
    logger.warning(
        "Login %s (id %s) set a password of its own, closing %d security notice(s).",
        user.get_username(),
        user.pk,
        closed,
    )
    return closed


def flag_session_at_sign_in(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    """At each sign-in, remember in the session whether the login must set its own password."""
    if request is not None and hasattr(request, "session") and must_set_own_password(user):
        request.session[SESSION_FLAG] = True


def connect() -> None:
    """Called once from `AccountsConfig.ready`."""
    user_logged_in.connect(flag_session_at_sign_in, dispatch_uid="productops-own-password")


class OwnPasswordRequired:
    """A login whose password someone else set reaches only the page to set its own.

    Pages redirect there (with `next`); the API answers a session 403 with a sentence.
    Goes after AuthenticationMiddleware and MessageMiddleware in settings.MIDDLEWARE.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        session = getattr(request, "session", None)
        if session is None or not session.get(SESSION_FLAG):
            return None
        if not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALWAYS_REACHABLE:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": SET_OWN_FIRST}, status=403)
        target = reverse(SET_OWN_PASSWORD)
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
