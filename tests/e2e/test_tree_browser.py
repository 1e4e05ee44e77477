"""Priya grows Checkout's opportunity solution tree: she sets the desired outcome, then,
without leaving the page, refines it, adds an opportunity and a solution below it, and
sees both drawn in the SVG; deleting the opportunity asks what happens to its solution,
and "delete them too" takes both away."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from productops.discovery.models import Opportunity, Outcome, Solution
from tests.cast import PASSWORD, build_cast


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


def still_the_same_page(page) -> bool:
    """True while no navigation happened since `window.treeMarker` was set."""
    return page.evaluate("() => window.treeMarker === 'kept'")


@pytest.mark.django_db(transaction=True)
def test_a_pm_grows_and_prunes_her_teams_tree_in_place(live_server, page):
    cast = build_cast()
    log_in(page, live_server.url, "priya")

    # 1. No outcome yet: the page says so and offers the form (a plain POST: there is
    #    no tree to redraw before the outcome exists).
    page.goto(f"{live_server.url}{reverse('discovery:tree', args=[cast.checkout.pk])}")
    expect(page.locator(".empty").first).to_contain_text("has not set its desired outcome")
    page.get_by_label("Desired outcome").fill("More first-time buyers finish paying")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the outcome").click()
    tree = page.locator("#tree")
    expect(tree.locator(".ost-outcome h2")).to_have_text("More first-time buyers finish paying")
    expect(tree.locator("svg.ost-tree a.ost-link")).to_have_count(1)
    expect(tree).to_contain_text("No opportunities yet")

    # From here on, every step happens in place: the marker survives only without a reload.
    page.evaluate("() => { window.treeMarker = 'kept'; }")
    urls: list[str] = []
    page.on("framenavigated", lambda frame: urls.append(frame.url))

    # 2. Refine the outcome with its measure, through the panel beside the tree.
    tree.get_by_role("link", name="Edit the outcome").click()
    panel = page.locator("#tree-panel")
    expect(panel.locator("h2")).to_have_text("The desired outcome")
    panel.get_by_label("Metric").fill("Checkout completion")
    panel.get_by_label("Baseline").fill("61")
    panel.get_by_label("Target").fill("70")
    panel.get_by_label("Unit").fill("%")
    panel.get_by_role("button", name="Save").click()
    expect(page.locator("#tree .messages")).to_contain_text("The desired outcome is saved.")
    expect(page.locator("section.ost-outcome")).to_contain_text(
        "Checkout completion: from 61% to 70%"
    )
    outcome = Outcome.objects.get(team=cast.checkout)
    assert (outcome.metric, outcome.baseline, outcome.target) == ("Checkout completion", 61, 70)

    # 3. Add an opportunity: it is drawn as a node of the SVG under the outcome.
    page.locator("#tree").get_by_role("link", name="Add an opportunity").first.click()
    panel = page.locator("#tree-panel")
    expect(panel.locator("h2")).to_have_text("Add an opportunity")
    panel.get_by_label("Title").fill("Card payments fail for no clear reason")
    panel.get_by_role("button", name="Save").click()
    expect(page.locator("#tree .messages")).to_contain_text("The opportunity is saved.")
    opportunity = Opportunity.objects.get(outcome=outcome)
    node = page.locator(f'svg.ost-tree a[data-kind="opportunity"][data-id="{opportunity.pk}"]')
    expect(node).to_have_count(1)
    expect(node).to_contain_text("Card payments fail for no")
    expect(page.locator("section.ost-outcome")).to_contain_text("1 opportunity, 0 solutions")
    expect(page.locator("#tree")).not_to_contain_text("No opportunities yet")

    # 4. Open the opportunity from its node in the drawing and add a solution below it.
    node.click()
    panel = page.locator("#tree-panel")
    expect(panel.locator("h2")).to_have_text("Edit the opportunity")
    panel.get_by_role("link", name="Add a solution").click()
    expect(panel.locator("h2")).to_have_text("Add a solution")
    expect(panel.get_by_label("Opportunity")).to_have_value(str(opportunity.pk))
    panel.get_by_label("Title").fill("Retry the card with 3-D Secure")
    panel.get_by_role("button", name="Save").click()
    expect(page.locator("#tree .messages")).to_contain_text("The solution is saved.")
    solution = Solution.objects.get(opportunity=opportunity)
    solution_node = page.locator(f'svg.ost-tree a[data-kind="solution"][data-id="{solution.pk}"]')
    expect(solution_node).to_contain_text("Retry the card with 3-D")
    # An edge joins each child to its parent: outcome → opportunity → solution.
    expect(page.locator("svg.ost-tree path.ost-edge")).to_have_count(2)
    expect(page.locator("section.ost-outcome")).to_contain_text("1 opportunity, 1 solution,")

    # 5. Delete the opportunity: the panel asks what happens to its solution first.
    node = page.locator(f'svg.ost-tree a[data-kind="opportunity"][data-id="{opportunity.pk}"]')
    node.click()
    panel = page.locator("#tree-panel")
    expect(panel.locator("h2")).to_have_text("Edit the opportunity")
    panel.get_by_role("link", name="Delete…").click()
    expect(panel.locator("h2")).to_have_text("Delete the opportunity")
    expect(panel).to_contain_text("It has children: 0 opportunities, 1 solution")
    expect(panel).to_contain_text("nothing is deleted until you do")
    # Deleting without saying what happens to the children is refused, and nothing goes.
    panel.get_by_role("button", name="Delete").click()
    choice = panel.locator("input[name=children]").first
    assert choice.evaluate("input => input.validity.valueMissing")
    expect(panel.locator("h2")).to_have_text("Delete the opportunity")
    assert Solution.objects.filter(pk=solution.pk).exists()
    panel.get_by_label("Delete them too").check()
    panel.get_by_role("button", name="Delete").click()
    expect(page.locator("#tree .messages")).to_contain_text("The opportunity is deleted.")
    expect(page.locator("svg.ost-tree a.ost-link")).to_have_count(1)
    expect(page.locator('svg.ost-tree a[data-kind="outcome"]')).to_have_count(1)
    expect(page.locator("svg.ost-tree")).not_to_contain_text("Card payments fail")
    expect(page.locator("svg.ost-tree")).not_to_contain_text("Retry the card")
    expect(page.locator("#tree")).to_contain_text("No opportunities yet")
    assert not Opportunity.objects.filter(pk=opportunity.pk).exists()
    assert not Solution.objects.filter(pk=solution.pk).exists()

    # Every step above ran in place: no navigation, the marker is still there.
    assert still_the_same_page(page)
    assert urls == [], urls
    assert page.url.endswith(reverse("discovery:tree", args=[cast.checkout.pk]))
