"""The account page: who you are, your role, your personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from productops.accounts.actions import do_create_token, do_revoke_token
from productops.accounts.models import AccessToken
from productops.accounts.roles import SignedInRequest


def _render_account(
    request: SignedInRequest, new_token: dict[str, Any] | None = None
) -> HttpResponse:
    tokens = AccessToken.objects.filter(user=request.user)
    return render(request, "accounts/detail.html", {"tokens": tokens, "new_token": new_token})


@login_required
def account_detail(request: SignedInRequest) -> HttpResponse:
    return _render_account(request)


@login_required
@require_POST
@never_cache
def create_token(request: SignedInRequest) -> HttpResponse:
    name = request.POST.get("name", "")[:100]
    token, raw = do_create_token(request.user, name)
    # Shown once, in the answer to this POST, and kept nowhere (not in the session
    # either): only its hash is stored. `never_cache` keeps it out of caches too.
    return _render_account(request, {"name": token.name, "raw": raw})


@login_required
@require_POST
def revoke_token(request: SignedInRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    do_revoke_token(request.user, token)
    messages.success(request, f"Token “{token.name}” revoked; scripts using it will get 401.")
    return redirect("accounts:detail")
