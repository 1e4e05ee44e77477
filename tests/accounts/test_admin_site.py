"""What the admin site may do with logins' tokens: look, never make, change or delete.

A token acts as its owner. If an admin could add one on the admin site for someone
else's login, they would call the API as that person (their private notes included),
without any password change for the person to notice.
"""

from __future__ import annotations

from django.contrib import admin
from django.test import TestCase
from django.urls import reverse

from productops.accounts.actions import do_create_token
from productops.accounts.models import AccessToken, SecurityNotice
from productops.coaching.models import PrivateNote
from tests.cast import build_cast


class TokensOnTheAdminSite(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.token, _ = do_create_token(cls.cast.marco_user, "Marco's script")

    def setUp(self) -> None:
        self.client.force_login(self.cast.hana_user)

    def test_an_admin_sees_the_tokens(self) -> None:
        answer = self.client.get(reverse("admin:accounts_accesstoken_changelist"))
        self.assertContains(answer, "Marco&#x27;s script")
        self.assertNotContains(answer, self.token.token_hash)

    def test_an_admin_cannot_make_a_token(self) -> None:
        url = reverse("admin:accounts_accesstoken_add")
        self.assertEqual(self.client.get(url).status_code, 403)
        answer = self.client.post(
            url,
            {
                "user": self.cast.marco_user.pk,
                "name": "mine now",
                "token_hash": "0" * 64,
                "hint": "pops_x",
            },
        )
        self.assertEqual(answer.status_code, 403)
        self.assertEqual(AccessToken.objects.count(), 1)

    def test_an_admin_cannot_change_or_delete_a_token(self) -> None:
        change = reverse("admin:accounts_accesstoken_change", args=[self.token.pk])
        self.assertEqual(self.client.get(change).status_code, 200)  # read only
        answer = self.client.post(change, {"user": self.cast.hana_user.pk, "name": "taken"})
        self.assertEqual(answer.status_code, 403)
        delete = reverse("admin:accounts_accesstoken_delete", args=[self.token.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.token.refresh_from_db()
        self.assertEqual(
            (self.token.user, self.token.name), (self.cast.marco_user, "Marco's script")
        )

    def test_private_notes_are_not_on_the_admin_site(self) -> None:
        self.assertNotIn(PrivateNote, admin.site._registry)
        self.assertNotIn(SecurityNotice, admin.site._registry)
