"""Browser tests: Playwright (Python) driving Debian's Chromium against `live_server`.

Every test in this folder is marked `e2e` and runs after the rest of the suite. Without a
Chromium binary they skip, unless PRODUCTOPS_REQUIRE_BROWSER=1 (as in `make test-e2e` and
CI), where a missing browser is a failure. PRODUCTOPS_CHROMIUM points at another binary.

Tests here need `live_server` and `@pytest.mark.django_db(transaction=True)`: the server
runs in another thread and must see the test's committed data.

The `page` fixture fails its test on any console error (a CSP violation, a stylesheet or
script that does not load, an uncaught script error): tests need not collect them
themselves. A page of a second browser context joins with `console_errors.watch(page)`.
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


class ConsoleErrors:
    """What the watched pages reported as errors: CSP violations, failed loads (a 404
    stylesheet or script, a failed htmx request), uncaught script errors.

    Two things are not ours to report: Chromium's own request for /favicon.ico, and the
    status of a document the test navigated to itself (a test that opens a 403 page
    asserts that status; Chromium logs it as "Failed to load resource").
    """

    def __init__(self) -> None:
        self._messages: list[tuple[str, str]] = []  # (text, url it came from)
        self._uncaught: list[str] = []
        self._documents: set[str] = set()

    def watch(self, page) -> None:  # type: ignore[no-untyped-def]
        """Collect errors from `page` too (a second browser context in the same test)."""
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self._uncaught.append(f"uncaught: {exc}"))
        page.on("response", lambda response: self._on_response(page, response))

    def _on_console(self, msg) -> None:  # type: ignore[no-untyped-def]
        if msg.type == "error":
            self._messages.append((msg.text, (msg.location or {}).get("url", "")))

    def _on_response(self, page, response) -> None:  # type: ignore[no-untyped-def]
        request = response.request
        if request.is_navigation_request() and request.frame == page.main_frame:
            self._documents.add(response.url)

    @property
    def problems(self) -> list[str]:
        found = []
        for text, where in self._messages:
            if where.endswith("/favicon.ico"):
                continue
            if where in self._documents and text.startswith("Failed to load resource"):
                continue
            found.append(f"{text} ({where})" if where else text)
        return found + self._uncaught

    def take(self) -> list[str]:
        """The problems so far, forgotten afterwards (for a test that expects one)."""
        found = self.problems
        self._messages.clear()
        self._uncaught.clear()
        return found


@pytest.fixture
def console_errors() -> ConsoleErrors:
    """The console of every page of this test; any error fails the test (see below)."""
    return ConsoleErrors()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # After the test body passed: a console error fails the test itself (a failure, not
    # an error in teardown), with every message listed.
    result = yield
    watched = getattr(item, "funcargs", {}).get("console_errors")
    if isinstance(watched, ConsoleErrors) and watched.problems:
        raise AssertionError(
            "the browser reported errors (CSP violations show up here):\n"
            + "\n".join(watched.problems)
        )
    return result


@pytest.fixture
def page(browser, console_errors: ConsoleErrors) -> Iterator:
    """A page in a fresh browser context (no cookies or storage shared between tests).

    Every console error on it fails the test: a CSP violation, a static file that does
    not load, a script error. `console_errors.watch(other_page)` extends that to a page
    of a second context.
    """
    context = browser.new_context()
    context.set_default_timeout(10_000)
    try:
        new_page = context.new_page()
        console_errors.watch(new_page)
        yield new_page
    finally:
        context.close()
