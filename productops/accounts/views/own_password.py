"""The page where a login replaces a password someone else set (accounts.password_notices).

It names who set the password, where and when, lists the login's earlier notices, and
takes a new password of the login's own. Until that is done, `OwnPasswordRequired` sends
every other page here.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from productops.accounts.password_notices import (
    SESSION_FLAG,
    check_own_password,
    do_set_own_password,
    notices_of,
    pending_notices,
)
from productops.accounts.roles import SignedInRequest


def _next(request: SignedInRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return "/"


@login_required
def set_own_password(request: SignedInRequest) -> HttpResponse:
    user = request.user
    pending = list(pending_notices(user).select_related("by"))
    if not pending:
        request.session.pop(SESSION_FLAG, None)
        return redirect(_next(request))
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check_own_password(user, form.cleaned_data["new_password1"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field, problems)
        else:
            do_set_own_password(request, user, form.save)
            messages.success(
                request,
                "Your password is now your own; the one that was set for you no longer works.",
            )
            return redirect(_next(request))
    return render(
        request,
        "accounts/set_own_password.html",
        {
            "form": form,
            "pending": pending,
            "earlier": [n for n in notices_of(user) if n.resolved_at is not None][:20],
            "next": _next(request),
        },
        status=422 if form.errors else 200,
    )
