"""What the overview page shows each user about discovery: which teams meet customers.

- **Teams that met customers**: of the teams with members, those with a customer
  touchpoint by the team itself in the `SILENT_DAYS` days up to today (not `silent` in
  `discovery.cadence`). Groups that only hold other teams are left out, as on the cadence
  pages.
- **Average weekly share**: the mean of those teams' `weekly_share` over the cadence
  pages' default period (the last `DEFAULT_WEEKS_BACK` full ISO weeks and this one).
- **Silent teams**, by name, each linking to its cadence page: cadence is an aggregate,
  every role sees every team's (`visibility.sees_cadence`).
- **A nudge** for a user whose own team is silent and who may log its touchpoints
  (`visibility.can_log_touchpoint`).
- **Nothing to show yet** when no touchpoint was ever logged: an empty state.

Seven queries at most, plus one per silent team the user belongs to; the number of teams
and touchpoints in the org does not change it.

`team_cadences` gives a person's own teams their cadence over the same default period
(four queries), for the overview's "your team" block.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from productops.accounts.roles import Login, person_id_of
from productops.discovery import visibility
from productops.discovery.cadence import SILENT_DAYS, TeamCadence, default_period, load_cadence
from productops.discovery.models import Touchpoint
from productops.org.models import Team, builds_product

SHOWN = 8


def building_team_ids() -> list[int]:
    """The ids of the teams that build (`org.models.builds_product`; one query)."""
    return list(Team.objects.filter(builds_product()).order_by().values_list("pk", flat=True))


def own_teams_to_nudge(user: Login, silent_ids: list[int]) -> list[Team]:
    """The user's own silent teams whose touchpoints they may log, by name."""
    me = person_id_of(user)
    if me is None or not silent_ids:
        return []
    mine = Team.objects.filter(pk__in=silent_ids, memberships__person_id=me).order_by("name", "pk")
    return [team for team in mine if visibility.can_log_touchpoint(user, team)]


def dashboard_context(user: Login) -> dict[str, Any]:
    if not visibility.sees_cadence(user):
        return {}
    team_ids = building_team_ids()
    if not team_ids:
        return {}
    if not Touchpoint.objects.exists():
        return {"discovery_not_started": True}
    start, end = default_period(timezone.localdate())
    cadences = load_cadence(team_ids, start=start, end=end)
    silent = [cadence for cadence in cadences if cadence.silent]
    shares = [cadence.weekly_share for cadence in cadences]
    return {
        "discovery_shown": True,
        "discovery_team_total": len(cadences),
        "discovery_teams_meeting": len(cadences) - len(silent),
        "discovery_average_share": round(100 * sum(shares) / len(shares)) if shares else 0,
        "discovery_week_count": cadences[0].week_count if cadences else 0,
        "discovery_silent": silent[:SHOWN],
        "discovery_silent_total": len(silent),
        "discovery_silent_days": SILENT_DAYS,
        "discovery_nudge": own_teams_to_nudge(user, [cadence.team_id for cadence in silent]),
    }


def team_cadences(user: Login, team_ids: list[int]) -> list[TeamCadence]:
    """The cadence of the given teams over the default period, by team name."""
    if not team_ids or not visibility.sees_cadence(user):
        return []
    start, end = default_period(timezone.localdate())
    return load_cadence(team_ids, start=start, end=end)
