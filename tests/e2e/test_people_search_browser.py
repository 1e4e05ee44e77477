"""A manager searches the people list; htmx swaps in the results without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.org.models import Person
from tests.cast import PASSWORD, build_cast


@pytest.mark.django_db(transaction=True)
def test_manager_searches_their_chain_as_they_type(live_server, page):
    build_cast()

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "marco")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    page.goto(f"{live_server.url}/org/people/")
    expect(page.locator("#people-results")).to_contain_text("Paul PM")
    expect(page.locator("#people-results")).not_to_contain_text("Otto Outsider")

    # Mark the document: a full reload would lose this attribute, an htmx swap keeps it.
    page.evaluate("document.body.dataset.loaded = 'once'")
    page.fill("#id_q", "priya")
    expect(page.locator("#people-results tbody tr")).to_have_count(1)
    expect(page.locator("#people-results")).to_contain_text("Priya PM")
    assert page.evaluate("document.body.dataset.loaded") == "once"
    assert "q=priya" in page.url  # the search is in the address bar, so it can be shared

    # Searching for someone outside the chain finds no one, with a helpful empty state.
    page.fill("#id_q", "otto")
    expect(page.locator("#people-results")).to_contain_text("No one matches these filters")
    assert Person.objects.filter(name="Otto Outsider").exists()


@pytest.mark.django_db(transaction=True)
def test_viewer_is_told_why_the_people_list_is_closed(live_server, page):
    do_create_login("vera", PASSWORD, Role.VIEWER)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "vera")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    response = page.goto(f"{live_server.url}/org/people/")
    assert response is not None and response.status == 403
    expect(page.locator("main")).to_contain_text("aggregates only")
