"""A signed-in user changes their own password on a page of their account."""

from __future__ import annotations

from django.test import Client, TestCase
from django.urls import reverse

from tests.cast import PASSWORD, build_cast

NEW_PASSWORD = "a-much-longer-secret-7"


class ChangingYourOwnPassword(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def setUp(self) -> None:
        self.client.force_login(self.cast.priya_user)
        self.url = reverse("accounts:password_change")

    def change(self, old: str, new: str, again: str | None = None):
        return self.client.post(
            self.url,
            {"old_password": old, "new_password1": new, "new_password2": again or new},
        )

    def test_the_account_page_links_to_it(self) -> None:
        page = self.client.get(reverse("accounts:detail"))
        self.assertContains(page, f'href="{self.url}"')
        form = self.client.get(self.url)
        self.assertContains(form, "Change your password")
        self.assertContains(form, "at least 12 characters")

    def test_the_new_password_works_and_the_old_one_no_longer_does(self) -> None:
        other_session = Client()
        other_session.force_login(self.cast.priya_user)
        response = self.change(PASSWORD, NEW_PASSWORD)
        self.assertRedirects(response, reverse("accounts:detail"), fetch_redirect_response=False)
        page = self.client.get(reverse("accounts:detail"))
        self.assertContains(page, "Your password is changed")  # and still signed in here
        # Signed in elsewhere with the old password: that session has ended.
        self.assertEqual(other_session.get(reverse("accounts:detail")).status_code, 302)
        self.cast.priya_user.refresh_from_db()
        self.assertTrue(self.cast.priya_user.check_password(NEW_PASSWORD))
        self.assertFalse(self.cast.priya_user.check_password(PASSWORD))

    def test_the_current_password_is_asked_for(self) -> None:
        response = self.change("not-my-password", NEW_PASSWORD)
        self.assertContains(response, "Your old password was entered incorrectly")
        self.cast.priya_user.refresh_from_db()
        self.assertTrue(self.cast.priya_user.check_password(PASSWORD))

    def test_a_weak_new_password_is_refused_with_the_rules_it_breaks(self) -> None:
        response = self.change(PASSWORD, "12345")
        self.assertContains(response, "This password is too short.")
        self.assertContains(response, "This password is entirely numeric.")
        response = self.change(PASSWORD, "Priya PM 2026!")
        self.assertContains(response, "too similar to the")
        response = self.change(PASSWORD, NEW_PASSWORD, "something-else-entirely")
        self.assertContains(response, "The two password fields didn’t match.")
        self.cast.priya_user.refresh_from_db()
        self.assertTrue(self.cast.priya_user.check_password(PASSWORD))

    def test_anonymous_visitors_are_sent_to_the_login_page(self) -> None:
        response = Client().get(self.url)
        self.assertRedirects(response, f"{reverse('login')}?next={self.url}")
