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
