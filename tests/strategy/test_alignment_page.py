"""The alignment page as each role sees it, with its period picker."""

from __future__ import annotations

import pytest
from django.urls import reverse

from productops.backlog.models import Item
from tests.cast import build_cast
from tests.strategy.alignment_story import build_story

pytestmark = pytest.mark.django_db

URL = "/strategy/alignment/"
Q1 = {"start": "2026-01-01", "end": "2026-03-31"}


@pytest.fixture
def cast():
    cast = build_cast()
    build_story(cast)
    return cast


def page(client, user, **query) -> str:
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_url_has_its_name() -> None:
    assert reverse("strategy:alignment") == URL


def test_anonymous_visitors_are_sent_to_log_in(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("who", ["hana_user", "marco_user", "priya_user"])
def test_admins_managers_and_members_see_shares_chart_and_unaligned_items(
    client, cast, who
) -> None:
    html = page(client, getattr(cast, who), **Q1)
    assert 'id="aln-in-progress-share">50%<' in html
    assert 'id="aln-done-share">75%<' in html
    assert "(3 of 6 items)" in html and "(3 of 4 items)" in html
    assert "<svg" in html and "Faster checkout" in html
    assert "2 in progress, 2 done" in html  # the bar of Faster checkout
    assert 'id="aln-without-work"' in html and "Loyalty programme" in html
    assert 'id="aln-unaligned"' in html
    for key in ("SHOP-7", "SHOP-30", "SRCH-3"):
        assert f"<td>{key}</td>" in html
    assert "Work on SRCH-3" in html


def test_a_viewer_sees_counts_and_shares_but_no_item_keys_or_titles(client, cast) -> None:
    html = page(client, cast.vera_user, **Q1)
    assert 'id="aln-done-share">75%<' in html
    assert "4 items in progress or done in the period trace to no objective" in html
    assert 'id="aln-unaligned"' not in html
    for key in ("SHOP-7", "SHOP-30", "SRCH-3"):
        assert key not in html
    assert "Work on" not in html


def test_the_period_picker_changes_the_done_work(client, cast) -> None:
    html = page(client, cast.hana_user, start="2026-04-01", end="2026-04-30")
    assert "(0 of 1 item)" in html  # SHOP-5, done on April 1st
    assert "No objective covers this period" in html
    assert 'value="2026-04-01"' in html


def test_a_bad_date_says_so_and_shows_the_current_quarter(client, cast) -> None:
    html = page(client, cast.hana_user, start="not-a-date")
    assert "The start “not-a-date” is not a date: write it as YYYY-MM-DD" in html
    assert "The current quarter is shown instead." in html


def test_unaligned_items_are_paginated_by_fifty(client, cast) -> None:
    Item.objects.bulk_create(
        Item(source="jira", key=f"ZZ-{n:03}", title="more", status_category="in_progress")
        for n in range(60)
    )
    first = page(client, cast.priya_user, **Q1)
    assert first.count("<tr><td>") - 4 == 50  # 4 rows of the per-objective table
    assert "Page 1 of 2" in first
    second = page(client, cast.priya_user, page=2, **Q1)
    assert second.count("<tr><td>") - 4 == 64 - 50  # the 4 of the story and 60 more


def test_the_page_costs_the_same_queries_for_more_items(
    client, cast, django_assert_max_num_queries
) -> None:
    client.force_login(cast.hana_user)
    client.get(URL, Q1)
    with django_assert_max_num_queries(8):
        client.get(URL, Q1)
    Item.objects.bulk_create(
        Item(source="jira", key=f"ZZ-{n}", title="more", status_category="in_progress")
        for n in range(200)
    )
    with django_assert_max_num_queries(8):
        response = client.get(URL, Q1)
    assert response.status_code == 200


def test_with_no_items_the_page_says_to_import_the_tracker(client) -> None:
    cast = build_cast()
    html = page(client, cast.hana_user)
    assert "productops import-tracker" in html
    assert "No objective covers this period" in html
