"""The head of product imports a Jira export, reads where the work comes from, corrects
one item's origin with one click, and sees the backlog's mix change."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.cast import PASSWORD, build_cast

EXPORT = Path(__file__).resolve().parents[1] / "fixtures/backlog/e2e/jira-small.json"


@pytest.mark.django_db(transaction=True)
def test_a_correction_moves_the_origin_mix(live_server, page):
    build_cast()

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "hana")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()

    # Before any import the report says what to do next.
    page.goto(f"{live_server.url}/backlog/")
    expect(page.locator(".bkr-empty")).to_contain_text("No tracker data yet")
    page.locator(".bkr-empty").get_by_role("link", name="import one now").click()
    expect(page).to_have_url(re.compile(r"/backlog/import/"))

    page.select_option("#id_format", "jira-json")
    page.set_input_files("#id_files", str(EXPORT))
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()
    # The import ran as a job: its page says it is done and leads to the outcome.
    expect(page).to_have_url(re.compile(r"/jobs/\d+/"))
    page.get_by_role("link", name="See the result").click()
    expect(page.locator(".timp-report")).to_contain_text("4 created")

    # Two of the four open items come from sales.
    page.goto(f"{live_server.url}/backlog/")
    open_mix = page.locator('tr[data-mix="0"]')
    expect(open_mix).to_contain_text("Sales 50%")
    expect(open_mix).to_contain_text("Customer need 25%")
    expect(page.locator("svg.chart-shares")).to_be_visible()

    # One of them was really a customer need: one pick in the item list corrects it.
    page.get_by_role("link", name=re.compile("Browse the items")).click()
    row = page.locator("tr", has_text="SHOP-102")
    expect(row.locator('[data-dimension="origin"] .bki-badge')).to_have_text("Sales")
    row.get_by_label("Correct the origin of SHOP-102").select_option("customer")
    swapped = page.locator("tr", has_text="SHOP-102")
    expect(swapped.locator('[data-dimension="origin"] .bki-badge')).to_have_text("Customer need")
    expect(swapped.locator('[data-dimension="origin"] .bki-set-by')).to_have_text("correction")

    page.get_by_role("link", name="← Backlog health").click()
    open_mix = page.locator('tr[data-mix="0"]')
    expect(open_mix).to_contain_text("Sales 25%")
    expect(open_mix).to_contain_text("Customer need 50%")
