"""Hana starts a priority check with Marco and ranks it; Marco, in his own browser, sees
the ranking form and nothing of the results until he ranks too; then he sees how far they
agree (Kendall's tau), but neither Hana's ranking nor where they differ, from which his
own ranks would give hers away; Hana, an admin, sees both."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from productops.strategy.models import PriorityCheck
from tests.cast import PASSWORD, build_cast

PRIORITIES = [
    "Faster checkout",
    "Self-serve refunds",
    "Search in every language",
    "Retire the legacy admin",
]
# Hana: in the order listed. Marco: self-serve refunds first, faster checkout third.
# Of the 6 pairs 2 are discordant (checkout/refunds, checkout/search): tau = (4 - 2) / 6.
HANA = {"Faster checkout": 1, "Self-serve refunds": 2, "Search in every language": 3}
MARCO = {"Faster checkout": 3, "Self-serve refunds": 1, "Search in every language": 2}
LAST = "Retire the legacy admin"


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


def rank(page, ranks: dict[str, int]) -> None:
    form = page.locator("form.pc-rank-form")
    for title, number in {**ranks, LAST: 4}.items():
        form.get_by_label(title, exact=True).fill(str(number))
    with page.expect_navigation():
        form.get_by_role("button", name="Submit my ranking").click()
    expect(page.locator(".messages")).to_contain_text("Your ranking is in.")


@pytest.mark.django_db(transaction=True)
def test_results_show_only_once_both_have_ranked(live_server, browser, page, console_errors):
    build_cast()

    # 1. Hana starts the check with Marco and herself as the participants.
    log_in(page, live_server.url, "hana")
    page.goto(f"{live_server.url}{reverse('strategy:check_new')}")
    page.get_by_label("Title").fill("Q3 priorities")
    page.get_by_label("Priorities").fill("\n".join(PRIORITIES))
    page.get_by_label("Hana Head (hana)").check()
    page.get_by_label("Marco Manager (marco)").check()
    page.get_by_label("Compare with").select_option("none")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the check").click()
    expect(page.locator("h1")).to_have_text("Q3 priorities")
    check = PriorityCheck.objects.get()
    assert {user.username for user in check.participants.all()} == {"hana", "marco"}
    detail_path = reverse("strategy:check_detail", args=[check.pk])
    assert page.url.endswith(detail_path)
    expect(page.locator(".pc-status")).to_contain_text("waiting for 2 of 2")

    # 2. She ranks: one ranking is not enough for results.
    rank(page, HANA)
    expect(page.locator("ol.pc-mine li")).to_have_count(4)
    expect(page.locator("ol.pc-mine li").first).to_contain_text("Faster checkout")
    expect(page.locator("main")).to_contain_text("Results appear once at least two people")
    expect(page.get_by_role("heading", name="Agreement")).to_have_count(0)

    # 3. Marco, in his own browser: it is his turn, and nothing of Hana's shows.
    marco_context = browser.new_context()
    marco_context.set_default_timeout(10_000)
    try:
        marco = marco_context.new_page()
        console_errors.watch(marco)
        log_in(marco, live_server.url, "marco")
        marco.goto(f"{live_server.url}{reverse('strategy:checks')}")
        row = marco.locator("table.pc-list tbody tr", has_text="Q3 priorities")
        expect(row).to_contain_text("your ranking is due")
        with marco.expect_navigation():
            row.get_by_role("link", name="Q3 priorities").click()
        main = marco.locator("main")
        expect(main).to_contain_text("Hana Head (ranked)")
        expect(main).to_contain_text("Marco Manager (not ranked yet)")
        expect(marco.get_by_role("heading", name="Your ranking")).to_be_visible()
        expect(marco.locator(".pc-agreement")).to_have_count(0)
        expect(marco.get_by_role("heading", name="Agreement")).to_have_count(0)
        expect(marco.locator("table.pc-disagreements")).to_have_count(0)
        expect(marco.locator("table.pc-side-by-side")).to_have_count(0)
        expect(main).not_to_contain_text("Kendall")

        # 4. He ranks, and the results appear: tau 0.33, weak agreement.
        rank(marco, MARCO)
        expect(marco.locator(".pc-status")).to_contain_text("complete")
        agreement = marco.locator(".pc-agreement")
        expect(agreement.locator(".stat")).to_have_text("0.33")
        expect(agreement).to_contain_text("weak agreement")
        expect(agreement).to_contain_text("Kendall's tau-b over 2 rankings")
        # No priority-by-priority table: with two rankings, his own rank and a range
        # ("1 and 3") would be Hana's rank (security review H1).
        expect(marco.locator("table.pc-disagreements")).to_have_count(0)
        # His own ranking, in his order; never Hana's (only admins see every ranking).
        expect(marco.locator("ol.pc-mine li").first).to_contain_text("Self-serve refunds")
        expect(marco.locator("table.pc-side-by-side")).to_have_count(0)
    finally:
        marco_context.close()

    # 5. Hana, an admin, now sees the same figure, where they differ and both rankings.
    page.goto(f"{live_server.url}{detail_path}")
    expect(page.locator(".pc-agreement .stat")).to_have_text("0.33")
    rows = page.locator("table.pc-disagreements tbody tr")
    expect(rows).to_have_count(3)  # the legacy admin got 4 from both: no disagreement
    expect(rows.nth(0)).to_contain_text("Faster checkout")
    expect(page.locator("table.pc-disagreements")).not_to_contain_text(LAST)
    side = page.locator("table.pc-side-by-side")
    expect(side.locator("thead th")).to_have_count(3)
    checkout_ranks = side.locator("tbody tr", has_text="Faster checkout").locator("td.num")
    assert sorted(checkout_ranks.all_inner_texts()) == ["1", "3"]
