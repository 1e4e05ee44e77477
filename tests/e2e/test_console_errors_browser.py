"""The `page` fixture's console watch: what it reports and what it leaves to the test."""

from __future__ import annotations

import pytest

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from tests.cast import PASSWORD


@pytest.mark.django_db(transaction=True)
def test_errors_a_page_reports_are_collected_but_a_document_status_is_the_tests(
    live_server, page, console_errors
):
    do_create_login("vera", PASSWORD, Role.VIEWER)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "vera")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()

    # A 403 document the test opened itself: its status is the test's to assert.
    response = page.goto(f"{live_server.url}/org/people/")
    assert response is not None and response.status == 403
    assert console_errors.problems == []

    # A stylesheet that does not load, an inline script the CSP blocks, a script error.
    page.evaluate(
        """() => {
            const link = document.createElement('link');
            link.rel = 'stylesheet';
            link.href = '/static/productops/missing.css';
            document.head.appendChild(link);
            const inline = document.createElement('script');
            inline.textContent = 'window.ranInline = true';
            document.body.appendChild(inline);
            console.error('boom');
        }"""
    )
    page.wait_for_timeout(500)
    problems = console_errors.take()
    assert any("boom" in problem for problem in problems), problems
    assert any("missing.css" in problem for problem in problems), problems
    assert any("Content Security Policy" in problem for problem in problems), problems
    assert page.evaluate("() => window.ranInline === undefined")
    assert console_errors.problems == []
