"""Priya answers her self-assessment (htmx saves each answer in place) and submits it;
then Marco, her manager, opens her gaps and sees the radar chart with her self scores."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from productops.competencies.models import AssessmentRequest, Rating
from tests.cast import PASSWORD
from tests.competencies.cycle_cast import build_cycle_cast


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_a_pm_saves_answers_in_place_and_submits(live_server, page):
    c = build_cycle_cast()

    log_in(page, live_server.url, "priya")
    expect(page.locator("main")).to_contain_text("Your self-assessment")
    page.get_by_role("link", name="Your self-assessment").click()
    expect(page.locator("h1")).to_have_text("Your self-assessment")

    # A full reload would lose this mark; an htmx swap of one competency keeps it.
    page.evaluate("document.body.dataset.loaded = 'once'")
    discovery = page.locator("#competency-discovery")
    discovery.get_by_label("4 · Step 4").check()
    expect(page.locator("#competency-discovery")).to_contain_text("Saved as a draft.")
    assert page.evaluate("document.body.dataset.loaded") == "once"
    assert Rating.objects.get(request=c.priya_self, competency_key="discovery").score == 4

    page.locator("#competency-delivery").get_by_label("3 · Step 3").check()
    expect(page.locator("#competency-delivery")).to_contain_text("Saved as a draft.")
    page.locator("#competency-strategy textarea").fill("Not part of my role yet")
    page.locator("#competency-strategy").get_by_label("Not observed").check()
    expect(page.locator("#competency-strategy")).to_contain_text("Saved as a draft.")

    with page.expect_navigation():
        page.get_by_role("button", name="Submit").click()
    expect(page.locator("main")).to_contain_text("Submitted your ratings of Priya PM")
    c.priya_self.refresh_from_db()
    assert c.priya_self.status == AssessmentRequest.Status.SUBMITTED
    strategy = Rating.objects.get(request=c.priya_self, competency_key="strategy")
    assert (strategy.not_observed, strategy.evidence) == (True, "Not part of my role yet")

    # Her manager now sees the radar chart of her results, with her self scores drawn.
    page.context.clear_cookies()
    log_in(page, live_server.url, "marco")
    page.goto(f"{live_server.url}/competencies/gaps/people/{c.cast.priya.pk}/")
    expect(page.locator("h1")).to_contain_text("Priya PM")
    radar = page.locator("svg.chart-radar")
    expect(radar).to_be_visible()
    expect(radar.locator("polygon.chart-self")).to_have_count(1)
    expect(page.locator("main")).to_contain_text("Discovery")
