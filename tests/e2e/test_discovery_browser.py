"""Priya logs a customer interview from her team's page, and Checkout's cadence shows it:
weeks with a customer touchpoint go from 0 to 1, and the current streak starts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from productops.discovery.models import Touchpoint
from tests.cast import PASSWORD, build_cast


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_a_pm_logs_a_touchpoint_and_the_cadence_changes(live_server, page):
    cast = build_cast()
    log_in(page, live_server.url, "priya")

    # 1. Checkout's page: no week with a customer touchpoint yet, the team is silent.
    page.goto(f"{live_server.url}{cast.checkout.get_absolute_url()}")
    box = page.locator("#discovery-cadence")
    expect(box.locator(".cad-weeks")).to_have_text("0 of 13")
    expect(box).to_contain_text("silent")

    # 2. Log an interview: today and Priya are preset; Dana took part too.
    with page.expect_navigation():
        box.get_by_role("link", name="Log a touchpoint").click()
    expect(page.locator("h1")).to_have_text("Log a touchpoint for Checkout")
    expect(page.get_by_label("Priya PM")).to_be_checked()
    page.get_by_label("Dana Designer").check()
    page.get_by_label("Kind").select_option(label="Customer interview")
    page.get_by_label("Customer segment").fill("Small shops")
    page.get_by_label("Notes").fill("Card declined twice before paying by invoice")
    with page.expect_navigation():
        page.get_by_role("button", name="Log the touchpoint").click()

    # 3. Back on the team page, the cadence counts this week.
    expect(page.locator("main")).to_contain_text("Logged the customer interview")
    box = page.locator("#discovery-cadence")
    expect(box.locator(".cad-weeks")).to_have_text("1 of 13")
    expect(box).not_to_contain_text("silent")
    expect(box).to_contain_text("1 week")
    touchpoint = Touchpoint.objects.get()
    assert set(touchpoint.participants.all()) == {cast.priya, cast.dana}

    # 4. The org view shows Checkout's week as counted, and Search still silent.
    page.goto(f"{live_server.url}/discovery/cadence/")
    expect(page.locator(".cad-chart svg rect.cad-counted")).to_have_count(1)
    expect(page.locator(".cad-silent")).to_contain_text("Search")
    expect(page.locator(".cad-silent")).not_to_contain_text("Checkout")
