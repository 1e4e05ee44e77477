"""Marco coaches Priya: he drafts a plan from her gaps, holds a 1:1 with her, records a
check-in and an action there, and the action is waiting on the next 1:1's agenda."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from productops.coaching.models import ActionItem, CheckIn, CoachingPlan
from tests.cast import PASSWORD
from tests.competencies.gap_story import build_gap_story


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


@pytest.mark.django_db(transaction=True)
def test_manager_coaches_from_gaps_to_the_next_agenda(live_server, page):
    story = build_gap_story()
    priya = story.cast.priya
    log_in(page, live_server.url, "marco")

    # 1. From Priya's gaps, draft a plan: her largest gap (discovery) becomes a goal.
    page.goto(f"{live_server.url}/competencies/gaps/people/{priya.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name="Draft a coaching plan from these gaps").click()
    expect(page.locator("main")).to_contain_text("Drafted a plan for Priya PM")
    expect(page.locator("main")).to_contain_text("Discovery")
    with page.expect_navigation():
        page.get_by_role("button", name="Activate the plan").click()
    plan = CoachingPlan.objects.get(person=priya)
    assert plan.status == CoachingPlan.Status.ACTIVE
    goal = plan.goals.get()
    assert goal.competency_key == "discovery"

    # 2. Start a weekly series with her and hold today's 1:1.
    page.goto(f"{live_server.url}/coaching/series/new/")
    page.locator("select[name=report]").select_option(label="Priya PM")
    with page.expect_navigation():
        page.get_by_role("button", name="Start the series").click()
    today = dt.date.today()
    page.locator("input[name=date]").fill(today.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule").click()
    expect(page.locator("h1")).to_contain_text(f"1:1 of {today:%Y-%m-%d}")

    # 3. The new goal is due for a check-in: record it from the 1:1 page (htmx).
    goal_item = page.locator(f"#goal-{goal.pk}")
    goal_item.get_by_label("Status").select_option("at_risk")
    goal_item.get_by_label("Note").fill("Two interviews this month, want one a week")
    goal_item.get_by_role("button", name="Check in").click()
    expect(page.locator(f"#goal-{goal.pk}")).to_contain_text("Checked in here")
    check_in = CheckIn.objects.get(goal=goal)
    assert check_in.status == "at_risk" and check_in.one_on_one is not None

    # 4. Agree an action for Priya, then mark the 1:1 as held.
    actions = page.locator("#oo-actions")
    actions.locator("[name=text]").fill("Book three customer interviews with Dana and Tariq")
    actions.locator("select[name=owner]").select_option(label="Priya PM")
    actions.get_by_role("button", name="Add the action").click()
    expect(page.locator("#oo-actions")).to_contain_text("Book three customer interviews")
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as held").click()
    action = ActionItem.objects.get()
    assert action.owner == priya and action.is_open

    # 5. The next 1:1, a week later: the open action is carried onto its agenda.
    page.goto(f"{live_server.url}/coaching/series/{action.series_id}/")
    page.locator("input[name=date]").fill((today + dt.timedelta(days=7)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Schedule").click()
    carried = page.locator(".oo-agenda")
    expect(carried).to_contain_text("Open actions from earlier 1:1s")
    expect(carried).to_contain_text("Book three customer interviews with Dana and Tariq")
