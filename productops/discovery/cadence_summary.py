"""One team's cadence in a box: the default period's weeks with a touchpoint, drawn.

The org team page shows it (registered in `DiscoveryConfig.ready`), and so does the
discovery team cadence page's header; the role decides, as everywhere, in `visibility`.
The org cadence page's download rows (`cadence_rows`) live here too, so that the page and
the diagnosis workbook write the same table.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from productops.accounts.roles import Login
from productops.discovery import visibility
from productops.discovery.cadence import TeamCadence, default_period, load_cadence
from productops.discovery.cadence_chart import cadence_grid
from productops.org.models import Team


def percent(share: float | None) -> int | None:
    """A share (0..1) as a whole percent, or None when there is no share."""
    return None if share is None else round(share * 100)


# The org cadence page's download columns, in the order of its table.
CADENCE_COLUMNS = (
    "Team",
    "Weeks with one",
    "Weeks in period",
    "Share (%)",
    "Current streak",
    "Longest streak",
    "Trio participation (%)",
    "Shadowing",
    "Shadowing-only weeks",
    "Touchpoints",
    "Customers",
    "Last touchpoint",
    "Silent",
)


def cadence_rows(cadences: list[TeamCadence]) -> list[list[Any]]:
    """The cadence page's table as a download, one team a row, the numbers the page shows."""
    return [
        [
            c.team_name,
            c.counted_weeks,
            c.week_count,
            percent(c.weekly_share),
            c.current_streak,
            c.longest_streak,
            percent(c.trio_share),
            c.shadowing,
            c.shadowing_only_weeks,
            c.touchpoints,
            c.customers,
            c.last_date,
            "yes" if c.silent else "no",
        ]
        for c in cadences
    ]


def team_cadence_summary(user: Login, team: Team) -> dict[str, Any] | None:
    """The org team page's box: the default period's cadence, or None for no role."""
    if not visibility.sees_cadence(user):
        return None
    start, end = default_period(timezone.localdate())
    cadence = load_cadence([team.pk], start=start, end=end)[0]
    return {
        "team": team,
        "cadence": cadence,
        "share": percent(cadence.weekly_share),
        "trio": percent(cadence.trio_share),
        "grid": cadence_grid([cadence], title=f"{team.name}: weeks with a customer touchpoint"),
        "can_log": visibility.can_log_touchpoint(user, team),
        "sees_touchpoints": visibility.sees_touchpoints_of(user, team),
    }
