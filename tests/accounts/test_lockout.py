"""Guessing a password is stopped: after 5 failed logins a login is locked from that
address, on the site's login page and the admin site's alike, until the cool-off ends
or an operator lifts the lock.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F
from django.test import Client, TestCase
from django.urls import reverse

from tests.api import ApiClient
from tests.cast import PASSWORD, build_cast

GUESSER = "203.0.113.7"
COLLEAGUE = "198.51.100.20"


def guess(client: Client, url: str, username: str, password: str, address: str = GUESSER):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


class LockoutAfterFailedLogins(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def move_back(self, delta: dt.timedelta) -> None:
        """What waiting does: the recorded failures are `delta` older."""
        AccessAttempt.objects.update(attempt_time=F("attempt_time") - delta)

    def end_the_cooloff(self) -> None:
        self.move_back(settings.AXES_COOLOFF_TIME + dt.timedelta(seconds=1))

    def test_fifty_wrong_passwords_then_the_right_one_is_refused_until_the_cooloff_ends(
        self,
    ) -> None:
        login = reverse("login")
        answers = [guess(self.client, login, "priya", f"wrong-{i}").status_code for i in range(50)]
        limit = settings.AXES_FAILURE_LIMIT
        self.assertEqual(limit, 5)
        self.assertEqual(answers[: limit - 1], [200] * (limit - 1))
        self.assertEqual(set(answers[limit - 1 :]), {429})

        refused = guess(self.client, login, "priya", PASSWORD)
        self.assertEqual(refused.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertContains(refused, "Too many failed logins", status_code=429)
        self.assertContains(refused, "Wait 15 minutes", status_code=429)
        self.assertContains(refused, "productops axes-reset-username priya", status_code=429)

        self.end_the_cooloff()
        let_in = guess(self.client, login, "priya", PASSWORD)
        self.assertEqual(let_in.status_code, 302)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.cast.priya_user.pk)
        # A successful login clears the failures of that login from that address.
        self.assertFalse(AccessAttempt.objects.filter(username="priya").exists())

    def test_the_admin_sites_login_is_locked_the_same_way(self) -> None:
        admin_login = reverse("admin:login")
        for i in range(50):
            guess(self.client, admin_login, "hana", f"wrong-{i}")
        refused = guess(self.client, admin_login, "hana", PASSWORD)
        self.assertContains(refused, "Too many failed logins", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.end_the_cooloff()
        let_in = guess(self.client, admin_login, "hana", PASSWORD)
        self.assertEqual(let_in.status_code, 302)
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)

    def test_a_failure_during_the_lock_starts_the_cooloff_again(self) -> None:
        login = reverse("login")
        for i in range(5):
            guess(self.client, login, "priya", f"wrong-{i}")
        self.move_back(dt.timedelta(minutes=10))
        guess(self.client, login, "priya", "wrong-again")  # still locked: the wait restarts
        self.move_back(dt.timedelta(minutes=10))  # 20 minutes after the lock, 10 after the try
        self.assertEqual(guess(self.client, login, "priya", PASSWORD).status_code, 429)
        self.end_the_cooloff()
        self.assertEqual(guess(self.client, login, "priya", PASSWORD).status_code, 302)

    def test_the_lock_is_per_login_and_address_so_the_person_still_gets_in(self) -> None:
        login = reverse("login")
        for i in range(50):
            guess(self.client, login, "priya", f"wrong-{i}")
        # Another login from the guesser's address is not locked ...
        self.assertEqual(guess(Client(), login, "paul", PASSWORD).status_code, 302)
        # ... and Priya from her own address is not locked out by the guesser.
        self.assertEqual(guess(Client(), login, "priya", PASSWORD, COLLEAGUE).status_code, 302)
        self.assertEqual(guess(Client(), login, "priya", PASSWORD).status_code, 429)

    def test_an_operator_lifts_the_lock_with_the_command(self) -> None:
        login = reverse("login")
        for i in range(5):
            guess(self.client, login, "priya", f"wrong-{i}")
        self.assertEqual(guess(self.client, login, "priya", PASSWORD).status_code, 429)
        call_command("axes_reset_username", "priya", stdout=StringIO())
        self.assertEqual(guess(self.client, login, "priya", PASSWORD).status_code, 302)

    def test_behind_a_proxy_the_client_address_comes_from_x_forwarded_for(self) -> None:
        login = reverse("login")
        with self.settings(PRODUCTOPS_PROXY_COUNT=1):
            for i in range(5):
                self.client.post(
                    login,
                    {"username": "priya", "password": f"wrong-{i}"},
                    REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, {GUESSER}",  # the left part is forged
                )
            attempt = AccessAttempt.objects.get(username="priya")
            self.assertEqual(attempt.ip_address, GUESSER)
            self.assertEqual(attempt.failures_since_start, 5)
            colleague = Client().post(
                login,
                {"username": "priya", "password": PASSWORD},
                REMOTE_ADDR="10.0.0.1",
                HTTP_X_FORWARDED_FOR=COLLEAGUE,
            )
            self.assertEqual(colleague.status_code, 302)

    def test_tokens_force_login_and_logins_without_a_request_keep_working(self) -> None:
        for i in range(50):
            guess(self.client, reverse("login"), "priya", f"wrong-{i}")
        # The API authenticates by token, not by password: no lockout applies.
        self.assertEqual(ApiClient().get("priya", "/org/people").status_code, 200)
        client = Client()
        client.force_login(self.cast.priya_user)
        self.assertEqual(client.get(reverse("accounts:detail")).status_code, 200)
        # authenticate() without a request is a script on the server, not a login over
        # the network: it checks the password and nothing else.
        self.assertEqual(authenticate(username="priya", password=PASSWORD), self.cast.priya_user)
        self.assertIsNone(authenticate(username="priya", password="wrong"))

    def test_the_password_is_never_recorded(self) -> None:
        for i in range(5):
            guess(self.client, reverse("login"), "priya", f"secret-guess-{i}")
        for attempt in AccessAttempt.objects.values():
            self.assertNotIn("secret-guess", str(attempt))


def test_the_limit_and_the_cooloff_come_from_the_environment(tmp_path) -> None:
    env = {
        **os.environ,
        "PRODUCTOPS_DATA_DIR": str(tmp_path),
        "PRODUCTOPS_LOGIN_FAILURE_LIMIT": "10",
        "PRODUCTOPS_LOGIN_COOLOFF_MINUTES": "60",
    }
    env.pop("DATABASE_URL", None)
    code = "from productops import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["10", "1:00:00"]
