"""Priya turns the 1:1 agenda off on her account's reminders page and back on through the
API; an anonymous visitor is sent to sign in; a kind that does not exist is refused."""

from __future__ import annotations

import json

from django.test import TestCase
from django.urls import reverse

from productops.notify.models import NotificationPreference
from productops.notify.preferences import turned_off
from tests.cast import PASSWORD, build_cast

KINDS = {
    "assessment_due_soon",
    "assessment_overdue",
    "one_on_one_agenda",
    "status_digest",
    "import_failed",
}


class PreferencesPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cast()

    def setUp(self) -> None:
        self.client.login(username="priya", password=PASSWORD)

    def test_the_page_lists_every_kind_on_by_default(self) -> None:
        page = self.client.get(reverse("notify:preferences"))
        self.assertEqual(page.status_code, 200)
        for kind in KINDS:
            self.assertContains(page, f'value="{kind}" checked')
        self.assertContains(page, "priya@example.com")
        self.assertContains(page, "Never your private notes")

    def test_unticking_a_kind_turns_it_off_for_this_login_only(self) -> None:
        kept = sorted(KINDS - {"one_on_one_agenda"})
        page = self.client.post(reverse("notify:preferences"), {"kind": kept}, follow=True)
        self.assertRedirects(page, reverse("notify:preferences"))
        self.assertEqual(turned_off(), {(self.c.priya_user.pk, "one_on_one_agenda")})
        self.assertContains(page, 'value="one_on_one_agenda">')
        self.assertContains(page, "Your reminder choices are saved.")

    def test_the_account_page_links_to_it(self) -> None:
        page = self.client.get(reverse("accounts:detail"))
        self.assertContains(page, f'href="{reverse("notify:preferences")}"')

    def test_anonymous_visitors_sign_in_first(self) -> None:
        self.client.logout()
        answer = self.client.get(reverse("notify:preferences"))
        self.assertEqual(answer.status_code, 302)
        self.assertIn("login", answer["Location"])


class PreferencesApi(TestCase):
    URL = "/api/notifications/preferences"

    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cast()

    def setUp(self) -> None:
        self.client.login(username="priya", password=PASSWORD)

    def put(self, body: object):  # type: ignore[no-untyped-def]
        return self.client.put(self.URL, json.dumps(body), content_type="application/json")

    def test_read_and_change(self) -> None:
        read = self.client.get(self.URL).json()
        self.assertEqual(read["address"], "priya@example.com")
        self.assertEqual({k["kind"] for k in read["kinds"] if k["enabled"]}, KINDS)

        changed = self.put({"kinds": {"status_digest": False}}).json()
        off = {k["kind"] for k in changed["kinds"] if not k["enabled"]}
        self.assertEqual(off, {"status_digest"})
        self.put({"kinds": {"status_digest": True}})
        self.assertEqual(turned_off(), set())

    def test_an_unknown_kind_is_refused_with_what_to_use(self) -> None:
        answer = self.put({"kinds": {"birthday": False}})
        self.assertEqual(answer.status_code, 422)
        self.assertIn("No reminder kind is called birthday", answer.json()["detail"])
        self.assertFalse(NotificationPreference.objects.exists())

    def test_signed_out_is_401(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get(self.URL).status_code, 401)
