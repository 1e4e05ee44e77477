"""Hana fills in the delegation board: she adds the suggested decision areas in one click,
sets Checkout's level in Pricing from the cell's select (saved on change, in place), sees
the cell take the colour of its distance from the recommendation, and, once she picks a
level far below it, a micromanagement finding appears without a reload; the level is
stored, as the board shows after a reload."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from productops.strategy.delegation import SUGGESTED_AREAS
from productops.strategy.models import DecisionArea, Delegation
from tests.cast import PASSWORD, build_cast


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_admin_sets_a_level_in_place_and_a_finding_appears(live_server, page):
    cast = build_cast()
    log_in(page, live_server.url, "hana")
    board_url = f"{live_server.url}{reverse('strategy:delegation')}"

    # 1. An empty board offers the suggested areas; one click adds them all.
    page.goto(board_url)
    expect(page.locator("table.dlg-grid")).to_have_count(0)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Add these {len(SUGGESTED_AREAS)} decision areas").click()
    expect(page.locator(".messages")).to_contain_text(
        f"Added {len(SUGGESTED_AREAS)} suggested decision areas"
    )
    assert DecisionArea.objects.count() == len(SUGGESTED_AREAS)
    grid = page.locator("table.dlg-grid")
    expect(grid.locator("thead th")).to_have_count(1 + len(SUGGESTED_AREAS))
    expect(grid.locator("tbody tr")).to_have_count(2)  # Checkout and Search
    expect(page.locator("#delegation-findings")).to_contain_text("No level is set yet")

    # Checkout has its full trio and nothing else known: maturity 1, so Pricing (a hard
    # area) is recommended 6 · Inquire.
    pricing = DecisionArea.objects.get(name="Pricing")
    cell_id = f"#cell-{cast.checkout.pk}-{pricing.pk}"
    cell = page.locator(cell_id)
    expect(cell).to_have_class("dlg-cell dlg-unset")
    expect(cell.locator("summary")).to_contain_text("Recommended 6 · Inquire")
    # With JavaScript on, the no-JS Save button is not there: the select saves on change.
    expect(cell.get_by_role("button", name="Save")).to_have_count(0)

    page.evaluate("() => { window.boardMarker = 'kept'; }")
    urls: list[str] = []
    page.on("framenavigated", lambda frame: urls.append(frame.url))
    select = cell.get_by_label("Level of Checkout in Pricing")

    # 2. As recommended: the cell turns "match", no finding.
    with page.expect_response(lambda r: "/delegation/teams/" in r.url) as answer:
        select.select_option("6")
    assert answer.value.status == 200
    cell = page.locator(cell_id)
    expect(cell).to_have_class("dlg-cell dlg-match")
    expect(cell.get_by_label("Level of Checkout in Pricing")).to_have_value("6")
    assert Delegation.objects.get(team=cast.checkout, area=pricing).level == 6
    expect(page.locator("#delegation-findings")).to_contain_text("No finding")

    # 3. One step below: near, still no finding.
    page.locator(cell_id).get_by_label("Level of Checkout in Pricing").select_option("5")
    expect(page.locator(cell_id)).to_have_class("dlg-cell dlg-near-under")
    expect(page.locator("#delegation-findings .dlg-finding")).to_have_count(0)

    # 4. Four steps below (2 · Sell): micromanagement, in the cell and in the findings.
    page.locator(cell_id).get_by_label("Level of Checkout in Pricing").select_option("2")
    cell = page.locator(cell_id)
    expect(cell).to_have_class("dlg-cell dlg-under")
    expect(cell.locator("summary")).to_contain_text("micromanagement")
    findings = page.locator("#delegation-findings .dlg-finding")
    expect(findings).to_have_count(1)
    expect(findings).to_contain_text("Checkout — Pricing")
    expect(findings).to_contain_text("chosen 2 · Sell, recommended 6 · Inquire")
    expect(findings).to_contain_text("micromanagement")
    expect(findings).to_have_class("dlg-finding dlg-under")
    assert Delegation.objects.get(team=cast.checkout, area=pricing).level == 2

    # All of it in place: no navigation, the marker survived, other cells untouched.
    assert page.evaluate("() => window.boardMarker") == "kept"
    assert urls == [], urls
    assert Delegation.objects.count() == 1

    # 5. After a reload the board shows the stored level and the finding.
    page.reload()
    cell = page.locator(cell_id)
    expect(cell.get_by_label("Level of Checkout in Pricing")).to_have_value("2")
    expect(cell).to_have_class("dlg-cell dlg-under")
    expect(page.locator("#delegation-findings .dlg-finding")).to_have_count(1)
    search_cell = page.locator(f"#cell-{cast.search.pk}-{pricing.pk}")
    expect(search_cell.get_by_label("Level of Search in Pricing")).to_have_value("")

    # 6. Back to "Not set": the level is cleared and the finding goes, again in place.
    page.locator(cell_id).get_by_label("Level of Checkout in Pricing").select_option("")
    expect(page.locator(cell_id)).to_have_class("dlg-cell dlg-unset")
    expect(page.locator("#delegation-findings .dlg-finding")).to_have_count(0)
    assert not Delegation.objects.filter(team=cast.checkout, area=pricing).exists()
