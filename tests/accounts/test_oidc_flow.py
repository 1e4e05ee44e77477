"""Single sign-on end to end: a real OpenID provider (tests/oidc_provider) on loopback,
productops on a live server, and the whole code flow over real HTTP with cookies."""

from __future__ import annotations

from typing import Any, ClassVar

import requests
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.test import LiveServerTestCase, override_settings

from productops.accounts.models import Account, Role
from productops.org.models import Discipline, Person
from tests.oidc_provider.run import (
    Provider,
    set_claims,
    sign_in,
    start_provider,
    wire_person_lookup,
)

USERS: list[dict[str, Any]] = [
    {"username": "ines", "email": "Ines@Example.com", "password": "ines-pw", "role": "manager"},
    {"username": "gus", "email": "gus@example.com", "password": "gus-pw", "groups": ["pm-leads"]},
    {"username": "nobody", "email": "nobody@example.com", "password": "nobody-pw"},
    {
        "username": "shady",
        "email": "shady@example.com",
        "password": "shady-pw",
        "email_verified": False,
    },
]


class SignOnFlowTests(LiveServerTestCase):
    provider: ClassVar[Provider]
    overrides: ClassVar[Any]

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        wire_person_lookup()
        cls.provider = start_provider([f"{cls.live_server_url}/oidc/callback/"], USERS)
        cls.overrides = override_settings(
            **cls.provider.settings(
                OIDC_ROLE_CLAIM="productops_role",
                PRODUCTOPS_OIDC_ROLE_GROUPS="admin=pm-leads,manager=pm-managers",
            )
        )
        cls.overrides.enable()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.overrides.disable()
        cls.provider.stop()
        super().tearDownClass()

    def setUp(self) -> None:
        self.http = requests.Session()
        self.start = f"{self.live_server_url}/oidc/authenticate/?next=/account/"

    def tearDown(self) -> None:
        self.http.close()

    def person(self, name: str, email: str, user: User | None = None) -> Person:
        return Person.objects.create(
            name=name, email=email, discipline=Discipline.PRODUCT, user=user
        )

    def signed_in_user(self) -> User | None:
        key = self.http.cookies.get("sessionid", domain="localhost.local") or next(
            (c.value for c in self.http.cookies if c.name == "sessionid"), None
        )
        if key is None:
            return None
        session = Session.objects.filter(session_key=key).first()
        if session is None or "_auth_user_id" not in session.get_decoded():
            return None
        return User.objects.get(pk=session.get_decoded()["_auth_user_id"])

    def test_a_person_signs_in_and_gets_a_login_with_the_role_of_the_claim(self) -> None:
        ines = self.person("Ines", "ines@example.com")
        landed = sign_in(self.http, self.start, "ines", "ines-pw")
        self.assertEqual(landed.status_code, 200)
        self.assertTrue(landed.url.endswith("/account/"), landed.url)
        user = self.signed_in_user()
        assert user is not None
        ines.refresh_from_db()
        self.assertEqual(ines.user, user)  # matched by e-mail, whatever its case
        self.assertEqual(Account.objects.get(user=user).role, Role.MANAGER)
        self.assertFalse(user.has_usable_password())

        # The role is read again at the next sign-on: the provider now says member.
        set_claims(self.provider, "ines", role="member")
        self.http.cookies.clear()
        sign_in(self.http, self.start, "ines", "ines-pw")
        self.assertEqual(self.signed_in_user(), user)  # the same login, not a new one
        self.assertEqual(Account.objects.get(user=user).role, Role.MEMBER)
        self.assertEqual(User.objects.filter(email__iexact="ines@example.com").count(), 1)

    def test_a_person_who_has_a_login_already_signs_in_to_it(self) -> None:
        login = User.objects.create_user("gustav", email="other@example.com", password="x" * 14)
        Account.objects.create(user=login, role=Role.VIEWER)
        self.person("Gus", "gus@example.com", user=login)
        sign_in(self.http, self.start, "gus", "gus-pw")
        self.assertEqual(self.signed_in_user(), login)
        # Role from the groups claim: pm-leads maps to admin, with the admin site.
        self.assertEqual(Account.objects.get(user=login).role, Role.ADMIN)
        login.refresh_from_db()
        self.assertTrue(login.is_staff and login.is_superuser)

    def test_no_person_with_that_email_is_refused_with_a_reason(self) -> None:
        landed = sign_in(self.http, self.start, "nobody", "nobody-pw")
        self.assertIsNone(self.signed_in_user())
        self.assertIn("/login/?sso=refused", landed.url)
        self.assertIn("ask your admin to add you as a person", landed.text)
        self.assertFalse(User.objects.filter(email__iexact="nobody@example.com").exists())

    def test_no_person_gets_a_viewer_login_when_configured(self) -> None:
        with override_settings(PRODUCTOPS_OIDC_NO_PERSON="viewer"):
            sign_in(self.http, self.start, "nobody", "nobody-pw")
            user = self.signed_in_user()
        assert user is not None
        self.assertEqual(user.email, "nobody@example.com")
        self.assertEqual(Account.objects.get(user=user).role, Role.VIEWER)

    def test_an_unverified_email_is_refused(self) -> None:
        self.person("Shady", "shady@example.com")
        landed = sign_in(self.http, self.start, "shady", "shady-pw")
        self.assertIsNone(self.signed_in_user())
        self.assertIn("sso=refused", landed.url)

    def test_a_deactivated_login_is_refused(self) -> None:
        login = User.objects.create_user("ines2", email="ines@example.com", is_active=False)
        self.person("Ines", "ines@example.com", user=login)
        sign_in(self.http, self.start, "ines", "ines-pw")
        self.assertIsNone(self.signed_in_user())

    def test_password_logins_switched_off(self) -> None:
        User.objects.create_user("local", password="local-password-1")
        backends = [
            b
            for b in self.provider.settings()["AUTHENTICATION_BACKENDS"]
            if not b.endswith("ModelBackend")
        ]
        base = self.live_server_url
        with override_settings(PRODUCTOPS_PASSWORD_LOGIN=False, AUTHENTICATION_BACKENDS=backends):
            page = self.http.get(f"{base}/login/", timeout=30)
            self.assertIn("Sign in with Test provider", page.text)
            self.assertNotIn('name="password"', page.text)
            self.http.get(f"{base}/admin/login/", timeout=30)  # for a CSRF cookie
            answers = {}
            for url in ("/login/", "/admin/login/"):
                answers[url] = self.http.post(
                    f"{base}{url}",
                    data={
                        "username": "local",
                        "password": "local-password-1",
                        "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""),
                    },
                    headers={"Referer": f"{base}{url}"},
                    timeout=30,
                )
                self.assertEqual(answers[url].status_code, 200, url)  # the form again
                self.assertIsNone(self.signed_in_user(), url)
            self.assertIn("Password logins are switched off", answers["/login/"].text)
            # Single sign-on still works.
            self.person("Ines", "ines@example.com")
            sign_in(self.http, self.start, "ines", "ines-pw")
            self.assertIsNotNone(self.signed_in_user())
        # The same password logs in when password logins are on (the test can fail).
        self.http.cookies.clear()
        self.http.get(f"{base}/login/", timeout=30)
        self.http.post(
            f"{base}/login/",
            data={
                "username": "local",
                "password": "local-password-1",
                "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", ""),
            },
            headers={"Referer": f"{base}/login/"},
            timeout=30,
        )
        self.assertEqual(self.signed_in_user(), User.objects.get(username="local"))

    def test_refused_sign_ons_do_not_lock_out_the_next_person(self) -> None:
        # django-axes checks every authenticate() with its request, the sign-on's too.
        # Refused sign-ons carry no username, so they must not add up to a lock on the
        # address that then refuses everybody's sign-on from it.
        self.person("Ines", "ines@example.com")
        for _ in range(7):
            sign_in(self.http, self.start, "nobody", "nobody-pw")
            self.http.cookies.clear()
        sign_in(self.http, self.start, "ines", "ines-pw")
        self.assertIsNotNone(self.signed_in_user())
