"""Which reminders a login receives: one checkbox per kind, saved for that login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from productops.accounts.roles import SignedInRequest
from productops.notify.actions import do_set_preferences
from productops.notify.preferences import choices_of
from productops.notify.sending import address_of


@login_required
def preferences(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        wanted = set(request.POST.getlist("kind"))
        do_set_preferences(
            request.user,
            {choice.kind: choice.kind in wanted for choice in choices_of(request.user)},
        )
        messages.success(request, "Your reminder choices are saved.")
        return redirect("notify:preferences")
    return render(
        request,
        "notify/preferences.html",
        {"choices": choices_of(request.user), "address": address_of(request.user)},
    )
