"""The head of product logs in, opens the org audit and finds the over-extended manager."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.demo.org import build_demo_org

PASSWORD = "audit-password-1"


@pytest.mark.django_db(transaction=True)
def test_head_of_product_sees_the_over_extended_manager_in_the_audit(live_server, page):
    demo = build_demo_org()
    do_create_login("hana", PASSWORD, Role.ADMIN)
    support_head = demo.support_head_name

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "hana")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("Organization").click()  # the menu opens without JavaScript
    nav.get_by_role("link", name="Org audit").click()
    expect(page).to_have_url(re.compile(r"/org/audit/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Org audit")

    span_finding = page.locator("tr.finding.critical", has_text=support_head).filter(
        has_text="Span of control"
    )
    expect(span_finding).to_have_count(1)
    expect(span_finding).to_contain_text(f"Manages {demo.support_head_reports} people directly")

    # The subject links to the person page, where the same finding is shown.
    span_finding.get_by_role("link", name=support_head).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(support_head)
    expect(page.locator("tr.finding.critical").filter(has_text="Span of control")).to_have_count(1)
