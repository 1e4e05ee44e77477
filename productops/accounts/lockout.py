"""Lockout after repeated failed logins, with django-axes.

Every password login of the site (`/login/` and the admin site's `/admin/login/`) goes
through Django's `authenticate(request, ...)`, and so through `LockoutBackend` first: once
a username has failed `AXES_FAILURE_LIMIT` times from one address, that username is
refused from that address, even with the right password, until `AXES_COOLOFF_TIME` has
passed since the last failure, or an operator runs `productops axes-reset-username NAME`.

The lock is per username *and* address (`AXES_LOCKOUT_PARAMETERS` in settings): a guesser
is stopped at one login from one address, while the person themselves, from their own
address, can still sign in, so nobody can lock a colleague out on purpose.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """axes' check for a locked-out login, for logins that come with an HTTP request.

    `authenticate()` without a request is no login over the network: a script on the
    server, or the test client's `login()`. axes would refuse it with an error; we let it
    through to the next backend (ModelBackend), which checks the password as usual.
    Every login form of the site passes its request (tests/accounts/test_lockout.py).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address a login attempt comes from, as the lock counts it.

    Without proxies (`PRODUCTOPS_PROXY_COUNT=0`) it is the connection's address. Each of
    N proxies appends the address it was reached from to X-Forwarded-For, so the client
    is the N-th entry from the right; entries left of it are the client's own claims.
    """
    remote: str | None = request.META.get("REMOTE_ADDR")
    proxies: int = settings.PRODUCTOPS_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:  # not an address: the proxies are not what the setting says
        return remote


def cooloff_minutes() -> int:
    """How long a lockout lasts after the last failed attempt, in whole minutes."""
    cooloff = settings.AXES_COOLOFF_TIME
    return max(1, round(cooloff.total_seconds() / 60)) if cooloff else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """The page a locked-out login gets (HTTP 429), saying what to do next."""
    username = ""
    if isinstance(credentials, dict):
        username = str(credentials.get("username") or "")
    if not username:
        username = request.POST.get("username", "")
    context = {
        "username": username[:80],
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": cooloff_minutes(),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=429,  # Too Many Requests
    )
