"""Which touchpoint kinds count as discovery: the kinds that make a week count in cadence.

By default a customer interview, a usability test and a prototype test count: the team
talks to customers about its own questions. Sales-call and support-call shadowing
(`models.SHADOWING_KINDS`) are shown apart and do not count on their own; survey and
data reviews never meet a customer and do not count either.

A head of product who wants another choice sets `PRODUCTOPS_DISCOVERY_KINDS` in the
server's environment: a comma-separated list of kind values, e.g.
`PRODUCTOPS_DISCOVERY_KINDS=interview,usability_test,prototype_test,support_call`.
`productops check` refuses an unknown kind (`check_discovery_kinds`, registered in
`DiscoveryConfig.ready`), and the pages, the API and the `cadence` command all read the
choice here, so they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from productops.discovery.models import DEFAULT_DISCOVERY_KINDS, SHADOWING_KINDS, TouchpointKind

SETTING = "PRODUCTOPS_DISCOVERY_KINDS"
KIND_VALUES = tuple(str(kind) for kind in TouchpointKind)
SHADOWING_VALUES = frozenset(str(kind) for kind in SHADOWING_KINDS)


def parse_kinds(raw: str | Iterable[str], *, source: str = SETTING) -> frozenset[str]:
    """Kind values from a comma-separated text or a list; ValueError names what is wrong."""
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    kinds = [str(part).strip().lower() for part in parts if str(part).strip()]
    if not kinds:
        raise ValueError(f"{source} names no kind; name at least one of {', '.join(KIND_VALUES)}")
    unknown = sorted(set(kinds) - set(KIND_VALUES))
    if unknown:
        raise ValueError(
            f"{source} names {', '.join(repr(kind) for kind in unknown)}, which "
            f"{'is not a touchpoint kind' if len(unknown) == 1 else 'are not touchpoint kinds'}; "
            f"the kinds are {', '.join(KIND_VALUES)}"
        )
    return frozenset(kinds)


def discovery_kinds() -> frozenset[str]:
    """The kinds that count as discovery: the server setting, or `DEFAULT_DISCOVERY_KINDS`.

    Not yet wired to the org's choice (`kinds_and_source`, unfinished: see issue 12)."""
    return server_kinds()


def kinds_and_source() -> tuple[frozenset[str], str]:
    """The kinds that count and where they come from: "org" or "server"."""
    from productops.discovery.models import DiscoverySettings

    row = DiscoverySettings.objects.order_by("pk").values_list("kinds", flat=True).first()
    if row:
        chosen = frozenset(str(kind) for kind in row) & frozenset(KIND_VALUES)
        if chosen:
            return chosen, "org"
    return server_kinds(), "server"


def server_kinds() -> frozenset[str]:
    """The server setting, or `DEFAULT_DISCOVERY_KINDS`: the default when the org chose none."""
    raw: Any = getattr(settings, SETTING, None)
    if raw is None:
        return frozenset(str(kind) for kind in DEFAULT_DISCOVERY_KINDS)
    try:
        return parse_kinds(raw)
    except ValueError as problem:
        raise ImproperlyConfigured(str(problem)) from None


def kind_label(value: str) -> str:
    """'Sales-call shadowing' for 'sales_call'; the value itself for an unknown one."""
    try:
        return str(TouchpointKind(value).label)
    except ValueError:
        return value


def labels(kinds: Iterable[str]) -> list[str]:
    """The kinds' labels, in the order the model declares the kinds."""
    chosen = set(kinds)
    return [kind_label(value) for value in KIND_VALUES if value in chosen]


def phrase(kinds: Iterable[str]) -> str:
    """'Sales-call shadowing and support-call shadowing': the labels as a sentence's list."""
    words = labels(kinds)
    words = words[:1] + [word[:1].lower() + word[1:] for word in words[1:]]
    return f"{', '.join(words[:-1])} and {words[-1]}" if len(words) > 1 else "".join(words)


def check_discovery_kinds(**_: Any) -> list[CheckMessage]:
    """`productops check`: the setting names only known kinds."""
    try:
        server_kinds()
    except ImproperlyConfigured as problem:
        return [
            Error(
                str(problem),
                hint=f"Fix {SETTING} in the environment, or unset it for the default.",
                id="discovery.E001",
            )
        ]
    return []
