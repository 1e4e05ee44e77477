"""Ines signs in through her company's OpenID provider: she presses "Sign in with Test
provider" on productops' login page, logs in and allows access on the provider's own
pages, and lands in productops as the manager the provider says she is."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from productops.accounts.models import Account, Role
from productops.org.models import Discipline, Person
from tests.oidc_provider.run import start_provider, wire_person_lookup


@pytest.mark.django_db(transaction=True)
def test_a_person_signs_in_through_the_provider(live_server, page, settings):
    wire_person_lookup()
    ines = Person.objects.create(
        name="Ines", email="ines@example.com", discipline=Discipline.PRODUCT
    )
    provider = start_provider(
        [f"{live_server.url}/oidc/callback/"],
        [
            {
                "username": "ines",
                "email": "ines@example.com",
                "password": "ines-pw",
                "groups": ["pm-managers"],
            }
        ],
    )
    try:
        for name, value in provider.settings(
            PRODUCTOPS_OIDC_ROLE_GROUPS="admin=pm-leads,manager=pm-managers",
        ).items():
            setattr(settings, name, value)
        settings.PRODUCTOPS_PASSWORD_LOGIN = False

        page.goto(f"{live_server.url}/login/")
        expect(page.locator("#id_password")).to_have_count(0)  # password logins are off
        with page.expect_navigation():
            page.get_by_role("link", name="Sign in with Test provider").click()
        assert page.url.startswith(provider.base)

        page.fill("#provider-username", "ines")
        page.fill("#provider-password", "ines-pw")
        with page.expect_navigation():
            page.click("#provider-submit")
        with page.expect_navigation():
            page.get_by_role("button", name="Authorize").click()

        page.wait_for_url(f"{live_server.url}/**")
        expect(page.locator("body")).not_to_contain_text("Log in to productops")
        ines.refresh_from_db()
        assert ines.user is not None
        assert Account.objects.get(user=ines.user).role == Role.MANAGER
        assert User.objects.filter(email="ines@example.com").count() == 1
    finally:
        provider.stop()
