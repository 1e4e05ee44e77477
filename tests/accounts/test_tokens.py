"""Personal access tokens: created on the account page, stored hashed, revocable."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse

from productops.accounts.actions import do_revoke_token
from productops.accounts.models import AccessToken, hash_token
from tests.cast import build_cast


class TokensOnTheAccountPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.post(
            reverse("accounts:create_token"), {"name": "my script"}, follow=True
        )
        raw = response.context["new_token"]["raw"]
        self.assertTrue(raw.startswith("pops_"))
        self.assertContains(response, raw)
        token = AccessToken.objects.get(user=self.cast.priya_user)
        self.assertEqual(token.token_hash, hash_token(raw))
        self.assertNotIn(raw, str(AccessToken.objects.values().get(pk=token.pk)))
        again = self.client.get(reverse("accounts:detail"))
        self.assertNotContains(again, raw)
        self.assertContains(again, token.hint)

    def test_the_raw_token_is_shown_in_the_answer_and_kept_in_no_session(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.post(reverse("accounts:create_token"), {"name": "cron"})
        self.assertEqual(response.status_code, 200)  # the page itself, no redirect
        raw = response.context["new_token"]["raw"]
        self.assertContains(response, raw)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotIn(raw, "".join(response.cookies[name].value for name in response.cookies))
        sessions = [str(s.get_decoded()) for s in Session.objects.all()]
        self.assertTrue(sessions)  # Priya's session is there ...
        for decoded in sessions:
            self.assertNotIn(raw, decoded)  # ... without the token
            self.assertNotIn(raw[5:], decoded)

    def test_revoking_from_the_page(self) -> None:
        self.client.force_login(self.cast.priya_user)
        self.client.post(reverse("accounts:create_token"), {"name": "old"})
        token = AccessToken.objects.get(user=self.cast.priya_user)
        response = self.client.post(reverse("accounts:revoke_token", args=[token.pk]), follow=True)
        self.assertContains(response, "revoked")
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)

    def test_nobody_revokes_someone_elses_token(self) -> None:
        self.client.force_login(self.cast.priya_user)
        self.client.post(reverse("accounts:create_token"), {"name": "mine"})
        token = AccessToken.objects.get(user=self.cast.priya_user)
        self.client.force_login(self.cast.paul_user)
        response = self.client.post(reverse("accounts:revoke_token", args=[token.pk]))
        self.assertEqual(response.status_code, 404)
        with self.assertRaises(PermissionDenied):
            do_revoke_token(self.cast.paul_user, token)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)

    def test_login_page_logs_in_and_rejects_a_wrong_password(self) -> None:
        bad = self.client.post(reverse("login"), {"username": "priya", "password": "nope"})
        self.assertContains(bad, "do not match")
        good = self.client.post(
            reverse("login"), {"username": "priya", "password": "cast-password-1"}
        )
        self.assertEqual(good.status_code, 302)
