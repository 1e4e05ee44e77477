"""Who may reopen which health report snapshot.

A snapshot holds what its reader could see, so it reopens for that login and for admins
only: a viewer never opens an admin's named report through its id.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.backlog import visibility as backlog_visibility
from productops.org import visibility as org_visibility
from productops.org.models import Team, TeamMembership, TeamRole
from productops.reports.models import ReportSnapshot, StatusState, StatusUpdate
from productops.strategy import visibility as strategy_visibility
from productops.strategy.models import Objective


def visible_snapshots(user: Login) -> QuerySet[ReportSnapshot]:
    role = role_of(user)
    if role is None:
        return ReportSnapshot.objects.none()
    if role is Role.ADMIN:
        return ReportSnapshot.objects.all()
    return ReportSnapshot.objects.filter(generated_by=user.get_username())


# -- team status updates (issue 13) ---------------------------------------------------------
# Every logged-in role sees every team's shared updates: the health, its reasons and the
# counts. Item keys and titles follow the backlog's rule (`backlog.visibility.sees_items`):
# viewers get the counts without them. Drafts are seen by who may edit the team's update:
# admins, managers who see the team in the org, and the team's own product manager.


def sees_status(user: Login) -> bool:
    return role_of(user) is not None


def can_edit_status(user: Login, team: Team) -> bool:
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    if role is Role.MANAGER:
        return org_visibility.can_see_team(user, team)
    if role is Role.MEMBER:
        me = person_id_of(user)
        return (
            me is not None
            and TeamMembership.objects.filter(
                team=team, person_id=me, role=TeamRole.PRODUCT_MANAGER
            ).exists()
        )
    return False


def visible_status_updates(user: Login) -> QuerySet[StatusUpdate]:
    """Shared updates for every role; drafts only of teams the user may edit."""
    role = role_of(user)
    if role is None:
        return StatusUpdate.objects.none()
    if role is Role.ADMIN:
        return StatusUpdate.objects.all()
    shared = Q(state=StatusState.SHARED)
    if role is Role.VIEWER:
        return StatusUpdate.objects.filter(shared)
    return StatusUpdate.objects.filter(shared | Q(team_id__in=editable_team_ids(user)))


def editable_team_ids(user: Login) -> set[int]:
    """The teams whose updates the user may generate, edit and share (all for admins)."""
    role = role_of(user)
    if role is Role.ADMIN:
        return set(Team.objects.values_list("pk", flat=True))
    if role is Role.MANAGER:
        return set(org_visibility.visible_teams(user).values_list("pk", flat=True))
    me = person_id_of(user)
    if role is not Role.MEMBER or me is None:
        return set()
    return set(
        TeamMembership.objects.filter(person_id=me, role=TeamRole.PRODUCT_MANAGER).values_list(
            "team_id", flat=True
        )
    )


def sees_items_in_status(user: Login) -> bool:
    return backlog_visibility.sees_items(user)


# -- who may write an objective's update ----------------------------------------------------
# `reports.visibility` decides for teams; for objectives, reading follows strategy's
# visibility (`sees_strategy`: shared updates for every logged-in role) and writing is for
# admins and the objective's owner, or admins and managers when it has no owner.


def can_edit_objective_status(user: Login, objective: Objective) -> bool:
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    if objective.owner_id is None:
        return role is Role.MANAGER
    return role is not None and person_id_of(user) == objective.owner_id


def visible_objective_updates(user: Login) -> QuerySet[StatusUpdate]:
    """Objectives' shared updates for who sees strategy; drafts for who may edit them."""
    role = role_of(user)
    if role is None or not strategy_visibility.sees_strategy(user):
        return StatusUpdate.objects.none()
    objectives = StatusUpdate.objects.filter(objective__isnull=False)
    if role is Role.ADMIN:
        return objectives
    shared = Q(state=StatusState.SHARED)
    if role is Role.VIEWER:
        return objectives.filter(shared)
    me = person_id_of(user)
    mine = Q(objective__owner_id=me) if me is not None else Q(pk__in=[])
    if role is Role.MANAGER:
        mine |= Q(objective__owner__isnull=True)
    return objectives.filter(shared | mine)


def can_edit_update(user: Login, update: StatusUpdate) -> bool:
    """Whether the user may write the update (a team's or an objective's)."""
    if update.objective is not None:
        return can_edit_objective_status(user, update.objective)
    assert update.team is not None
    return can_edit_status(user, update.team)
