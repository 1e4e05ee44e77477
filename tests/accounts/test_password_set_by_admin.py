"""An admin who sets someone's password cannot read their private notes with it (review M1).

The attack: Hana (admin) sets Marco's password on the admin site, signs in as Marco with
it and asks for Marco's private note on his 1:1 with Priya, on the page and on the API.
What holds instead: Marco is told (a notice, and a line in the `productops.security`
log), his sessions end, and the password Hana set opens nothing until a password of
Marco's own replaces it; his private notes answer no one in the meantime, not even a
token. Choosing that new password (which Hana could do too) is recorded on the notice
that Marco finds when he next gets in.

settings.MIDDLEWARE lists the middleware; `WithoutTheMiddleware` takes it out and shows
the notes stay closed even then.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import Client, TestCase, modify_settings
from django.urls import reverse

from productops.accounts.models import SecurityNotice
from productops.accounts.password_notices import do_note_password_set_by_other
from productops.coaching.actions import do_save_private_note, do_schedule_one_on_one
from tests.api import ApiClient
from tests.cast import PASSWORD
from tests.coaching.one_on_one_cast import build_one_on_one_cast, days

MIDDLEWARE = "productops.accounts.password_notices.OwnPasswordRequired"
SECRET = "MARCO-ONLY thinking of leaving in spring"
HANAS_PASSWORD = "temporary-from-hana-42"
MARCOS_OWN = "marco-chose-this-one-7"


def sign_in(username: str, password: str) -> Client:
    """A browser that signs in through the real login form."""
    browser = Client()
    answer = browser.post(reverse("login"), {"username": username, "password": password})
    assert answer.status_code == 302, answer.content.decode()[:500]
    return browser


class AttackSetup(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_one_on_one_cast()
        cls.marco = cls.c.cast.marco_user
        cls.hana = cls.c.cast.hana_user
        cls.meeting = do_schedule_one_on_one(cls.marco, cls.c.marco_priya, date=days(0))
        do_save_private_note(cls.marco, cls.meeting, text=SECRET)

    def page(self) -> str:
        return reverse("coaching:one_on_one_detail", args=[self.meeting.pk])

    def api_path(self) -> str:
        return f"/api/coaching/one-on-ones/{self.meeting.pk}/private-note"

    def admin_sets_marcos_password(self) -> Client:
        admin = Client()
        admin.force_login(self.hana)
        url = reverse("admin:auth_user_password_change", args=[self.marco.pk])
        with self.assertLogs("productops.security", "WARNING") as logged:
            answer = admin.post(
                url,
                {
                    "password1": HANAS_PASSWORD,
                    "password2": HANAS_PASSWORD,
                    "usable_password": "true",
                },
            )
        self.assertEqual(answer.status_code, 302, answer.content.decode()[:800])
        self.assertIn("Password of login marco", logged.output[0])
        self.assertIn("hana (Hana Head)", logged.output[0])
        return admin


class AdminSetsAPassword(AttackSetup):
    def test_the_admin_signed_in_as_marco_reads_no_private_note(self) -> None:
        self.admin_sets_marcos_password()
        as_marco = sign_in("marco", HANAS_PASSWORD)

        page = as_marco.get(self.page())
        self.assertRedirects(
            page,
            f"{reverse('accounts:set_own_password')}?next={self.page().replace('/', '%2F')}",
            fetch_redirect_response=False,
        )
        self.assertNotContains(page, SECRET, status_code=302)
        self.assertNotContains(as_marco.get(self.page(), follow=True), SECRET)

        api = as_marco.get(self.api_path())
        self.assertEqual(api.status_code, 403)
        self.assertNotIn(SECRET, api.content.decode())
        self.assertIn("password of your own", api.json()["detail"])

        # Nothing else either: not the account page, where a token would be made.
        self.assertEqual(as_marco.get(reverse("accounts:detail")).status_code, 302)
        self.assertEqual(as_marco.post(reverse("accounts:create_token")).status_code, 302)

    def test_the_page_names_who_set_the_password_and_when(self) -> None:
        self.admin_sets_marcos_password()
        notice = SecurityNotice.objects.get(user=self.marco)
        self.assertEqual(
            (notice.by, notice.how, notice.resolved_at), (self.hana, "the admin site", None)
        )
        page = sign_in("marco", HANAS_PASSWORD).get(reverse("accounts:set_own_password"))
        self.assertContains(page, "Your password was set by hana (Hana Head) on")
        self.assertContains(page, notice.created_at.strftime("%Y-%m-%d"))
        self.assertContains(page, "If you did not ask for this")

    def test_every_session_of_marco_ends_and_hanas_stays(self) -> None:
        marcos_laptop = sign_in("marco", PASSWORD)
        self.assertEqual(marcos_laptop.get(reverse("home")).status_code, 200)
        admin = self.admin_sets_marcos_password()
        marcos_sessions = [
            s
            for s in Session.objects.all()
            if s.get_decoded().get("_auth_user_id") == str(self.marco.pk)
        ]
        self.assertEqual(marcos_sessions, [])
        self.assertRedirects(
            marcos_laptop.get(reverse("home")),
            f"{reverse('login')}?next=/",
            fetch_redirect_response=False,
        )
        self.assertEqual(admin.get(reverse("admin:index")).status_code, 200)

    def test_the_password_hana_set_cannot_be_kept(self) -> None:
        self.admin_sets_marcos_password()
        as_marco = sign_in("marco", HANAS_PASSWORD)
        answer = as_marco.post(
            reverse("accounts:set_own_password"),
            {"new_password1": HANAS_PASSWORD, "new_password2": HANAS_PASSWORD},
        )
        self.assertContains(answer, "this is the one that was set for you", status_code=422)
        self.assertTrue(SecurityNotice.objects.get(user=self.marco).resolved_at is None)

    def test_marcos_own_password_opens_his_notes_and_is_recorded(self) -> None:
        self.admin_sets_marcos_password()
        as_marco = sign_in("marco", HANAS_PASSWORD)
        with self.assertLogs("productops.security", "WARNING"):
            answer = as_marco.post(
                reverse("accounts:set_own_password") + f"?next={self.page()}",
                {"new_password1": MARCOS_OWN, "new_password2": MARCOS_OWN},
            )
        self.assertRedirects(answer, self.page(), fetch_redirect_response=False)
        self.assertContains(as_marco.get(self.page()), SECRET)
        self.assertEqual(as_marco.get(self.api_path()).json()["text"], SECRET)
        # The password Hana set no longer works; the notice stays, closed.
        self.assertFalse(Client().login(username="marco", password=HANAS_PASSWORD))
        notice = SecurityNotice.objects.get(user=self.marco)
        self.assertIsNotNone(notice.resolved_at)

    def test_a_later_reset_shows_marco_the_earlier_one(self) -> None:
        # Hana sets the password, signs in and picks a new one herself: Marco is locked
        # out, asks for a reset, and the page then tells him what happened before.
        self.admin_sets_marcos_password()
        sign_in("marco", HANAS_PASSWORD).post(
            reverse("accounts:set_own_password"),
            {"new_password1": MARCOS_OWN, "new_password2": MARCOS_OWN},
        )
        self.admin_sets_marcos_password()
        page = sign_in("marco", HANAS_PASSWORD).get(reverse("accounts:set_own_password"))
        self.assertContains(page, "Earlier passwords set by someone else")
        self.assertContains(page, "someone signed in as you with the password that was set")

    def test_an_admin_setting_their_own_password_is_not_a_notice(self) -> None:
        admin = Client()
        admin.force_login(self.hana)
        url = reverse("admin:auth_user_password_change", args=[self.hana.pk])
        new = "hana-new-own-password-9"
        answer = admin.post(url, {"password1": new, "password2": new, "usable_password": "true"})
        self.assertEqual(answer.status_code, 302)
        self.assertFalse(SecurityNotice.objects.exists())
        self.assertEqual(admin.get(reverse("home")).status_code, 200)

    def test_a_refused_password_form_records_nothing(self) -> None:
        admin = Client()
        admin.force_login(self.hana)
        url = reverse("admin:auth_user_password_change", args=[self.marco.pk])
        answer = admin.post(url, {"password1": "a", "password2": "b", "usable_password": "true"})
        self.assertEqual(answer.status_code, 200)
        self.assertFalse(SecurityNotice.objects.exists())
        self.assertTrue(User.objects.get(pk=self.marco.pk).check_password(PASSWORD))


@modify_settings(MIDDLEWARE={"remove": MIDDLEWARE})
class WithoutTheMiddleware(AttackSetup):
    """Even with `OwnPasswordRequired` taken out of settings.MIDDLEWARE, the notes stay
    closed: the rule is in `coaching.visibility.own_private_notes`, not only at the door."""

    def test_no_path_returns_the_note_while_the_password_is_hanas(self) -> None:
        self.admin_sets_marcos_password()
        as_marco = sign_in("marco", HANAS_PASSWORD)
        page = as_marco.get(self.page())
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, SECRET)
        self.assertContains(page, "choose a password of your own")
        self.assertNotIn(SECRET, as_marco.get(self.api_path()).content.decode())
        self.assertEqual(as_marco.get(self.api_path()).status_code, 403)
        # A token made in that session (or any token of Marco's) reads nothing either.
        api = ApiClient()
        answer = api.get(self.marco, self.api_path())
        self.assertEqual(answer.status_code, 403)
        self.assertNotIn(SECRET, answer.content.decode())
        # Nor can the note be overwritten.
        put = api.put(self.marco, self.api_path(), json={"text": "gone"})
        self.assertEqual(put.status_code, 403)

    def test_the_notice_function_ignores_ones_own_change(self) -> None:
        self.assertIsNone(do_note_password_set_by_other(self.marco, by=self.marco, how="x"))
        self.assertFalse(SecurityNotice.objects.exists())
