"""Browser tests: Playwright (Python) driving Debian's Chromium against `live_server`.

Every test in this folder is marked `e2e` and runs after the rest of the suite. Without a
Chromium binary they skip, unless PRODUCTOPS_REQUIRE_BROWSER=1 (as in `make test-e2e` and
CI), where a missing browser is a failure. PRODUCTOPS_CHROMIUM points at another binary.

Tests here need `live_server` and `@pytest.mark.django_db(transaction=True)`: the server
runs in another thread and must see the test's committed data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _in_e2e_dir(item: pytest.Item) -> bool:
    return Path(item.path).resolve().is_relative_to(E2E_DIR)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items, not only this folder's.
    e2e, rest = [], []
    for item in items:
        if _in_e2e_dir(item):
            item.add_marker(pytest.mark.e2e)
            e2e.append(item)
        else:
            rest.append(item)
    # Browser tests last: they are the slowest, and while Playwright's sync API is running
    # an event loop sits in the main thread, which Django's ORM would refuse elsewhere.
    items[:] = rest + e2e


def _browser_required() -> bool:
    return os.environ.get("PRODUCTOPS_REQUIRE_BROWSER", "").strip().lower() in {
        "1",
        "true",
        "yes",
        "on",
    }


@pytest.fixture(scope="session")
def browser() -> Iterator:
    executable = os.environ.get("PRODUCTOPS_CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        reason = (
            f"no Chromium at {executable} (install Debian's `chromium` package "
            "or set PRODUCTOPS_CHROMIUM)"
        )
        if _browser_required():
            pytest.fail(f"PRODUCTOPS_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; without this,
    # Django refuses ORM calls from the test (SynchronousOnlyOperation).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser) -> Iterator:
    """A page in a fresh browser context (no cookies or storage shared between tests)."""
    context = browser.new_context()
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()
