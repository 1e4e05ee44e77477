"""The admin site's view of logins, roles and tokens.

- `User`: Django's own admin, except that a password set here for *another* login is a
  temporary one (`accounts.password_notices`): the login's sessions end, the owner is
  told at their next sign-in and must choose their own before reaching anything, their
  private notes included, and the logger `productops.security` records it. An admin who
  sets their own password here is not affected.
- `Account`: the role of a login, which admins manage.
- `AccessToken`: read only, to see which tokens exist and when they were last used. No
  one adds, edits or deletes a token here: a token is created on its owner's account
  page and shown to them once, so an admin cannot make a token that acts as someone
  else; a token is revoked by its owner (or its login deactivated).

Never registered: `SecurityNotice`, the record of what someone else did to a login: an
admin must not be able to read it before its owner or erase the record of their action.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse

from productops.accounts.models import AccessToken, Account
from productops.accounts.password_notices import do_note_password_set_by_other


class NotifyingUserAdmin(UserAdmin):
    """Django's user admin; a password set for someone else is noticed and temporary."""

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        before = User.objects.filter(pk=id).values_list("password", flat=True).first()
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and before is not None:
            user = User.objects.filter(pk=id).first()
            if user is not None and user.password != before and user.has_usable_password():
                do_note_password_set_by_other(user, by=request.user, how="the admin site")
        return response


admin.site.unregister(User)
admin.site.register(User, NotifyingUserAdmin)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    fields = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
