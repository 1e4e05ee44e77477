"""Who sees what of discovery: the one place that decides it.

- Touchpoints are team records. Their details (notes, insights, who took part, customer
  segment) are seen by those who see the team in the org (`org.visibility.visible_teams`:
  admins every team, managers the teams of their reporting chain, members their own
  teams); viewers see none.
- Cadence is an aggregate: every logged-in role, viewers included, sees every team's
  cadence (weeks with a touchpoint, streaks, trio participation) on the org view.
- Touchpoints are logged, edited and imported by admins, managers (for any team) and the
  members of the team itself (`can_log_touchpoint`). Only admins and managers import CSV.
- Opportunity solution trees are the team's working material: every logged-in role except
  viewers reads every team's tree (trees are how teams learn from each other); viewers
  see none. The team's members, managers and admins edit it (`can_edit_tree`), link
  backlog items to its solutions and cite touchpoints from it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.discovery.models import Touchpoint
from productops.org.models import Team, TeamMembership
from productops.org.visibility import visible_teams


def sees_cadence(user: Login) -> bool:
    return role_of(user) is not None


def visible_touchpoints(user: Login) -> QuerySet[Touchpoint]:
    role = role_of(user)
    if role is Role.ADMIN:
        return Touchpoint.objects.all()
    if role is None or role is Role.VIEWER:
        return Touchpoint.objects.none()
    return Touchpoint.objects.filter(team__in=visible_teams(user))


def sees_touchpoints_of(user: Login, team: Team) -> bool:
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    if role is None or role is Role.VIEWER:
        return False
    return visible_teams(user).filter(pk=team.pk).exists()


def _in_team(user: Login, team: Team) -> bool:
    me = person_id_of(user)
    return me is not None and TeamMembership.objects.filter(team=team, person_id=me).exists()


def can_log_touchpoint(user: Login, team: Team) -> bool:
    role = role_of(user)
    if role in (Role.ADMIN, Role.MANAGER):
        return True
    return role is Role.MEMBER and _in_team(user, team)


def can_import_touchpoints(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def sees_trees(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def can_edit_tree(user: Login, team: Team) -> bool:
    return can_log_touchpoint(user, team)
