""" "The query count does not grow with the org": measure a page or API route at two sizes
of the organization and compare.

    def build(size):            # makes (or grows) the org to `size` people; may return
        ...                     # something the URLs need (a team's pk)
    assert_cost_does_not_grow(build, sizes=(20, 200), urls=["/org/people/", "/api/org/people"],
                              login=admin)

`urls` is a list, or a function of what `build` returned. Each URL is requested once to
warm what a first request fills (sessions, content types), then once with its queries
counted, as `login` (a session login: API routes take it too, and a token would add a
`last_used_at` write to one call but not the next). Comparing two sizes rather than
pinning a number keeps the test about growth: a page may gain a query for a new
feature, but not one per person.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

Urls = Iterable[str] | Callable[[Any], Iterable[str]]


def queries_of(client: Client, url: str, *, status: int = 200) -> int:
    client.get(url)  # warm: the first request of a session fills caches of its own
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    return len(queries.captured_queries)


def measure_costs(
    build: Callable[[int], Any],
    *,
    urls: Urls,
    login: User | None = None,
    sizes: Sequence[int] = (20, 200),
    client: Client | None = None,
    status: int = 200,
) -> dict[str, list[int]]:
    """URL → its query count at each size, in the order of `sizes`."""
    if client is None:
        client = Client()
        if login is not None:
            client.force_login(login)
    counts: dict[str, list[int]] = {}
    for size in sizes:
        built = build(size)
        for url in urls(built) if callable(urls) else urls:
            counts.setdefault(url, []).append(queries_of(client, url, status=status))
    return counts


def growth(counts: dict[str, list[int]]) -> list[str]:
    """One line per URL whose count is not the same at every size."""
    return [
        f"{url}: {' -> '.join(map(str, seen))} queries"
        for url, seen in counts.items()
        if len(set(seen)) > 1
    ]


def assert_cost_does_not_grow(
    build: Callable[[int], Any],
    *,
    urls: Urls,
    login: User | None = None,
    sizes: Sequence[int] = (20, 200),
    client: Client | None = None,
    status: int = 200,
) -> dict[str, list[int]]:
    """Fail, naming every URL that grew, unless each costs as many queries at every size."""
    counts = measure_costs(build, urls=urls, login=login, sizes=sizes, client=client, status=status)
    grown = growth(counts)
    assert not grown, f"the query count grows with the org (sizes {tuple(sizes)}):\n" + (
        "\n".join(grown)
    )
    return counts
