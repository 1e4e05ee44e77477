"""The page where a signed-in user changes their own password."""

from __future__ import annotations

from django.contrib.auth.views import PasswordChangeView
from django.contrib.messages.views import SuccessMessageMixin
from django.urls import reverse_lazy


class ChangePasswordView(SuccessMessageMixin, PasswordChangeView):
    """Django's password change: the old password, then the new one twice.

    The new one passes every rule of settings (productops/accounts/passwords.py). The
    user stays signed in here; their other sessions end, as Django does on a change.
    """

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:detail")
    success_message = "Your password is changed. Use the new one the next time you log in."


change_password = ChangePasswordView.as_view()
