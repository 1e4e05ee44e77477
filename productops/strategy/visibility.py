"""Who sees what of strategy: the one place that decides it.

- Objectives, their mapping rules and alignment are seen by every logged-in role; the
  list of unaligned items names tracker items, so viewers see its counts only (as in the
  backlog diagnostics). Admins and managers create objectives, map items and write rules.
- Viewers see no named person (`sees_names`): no objective owner, no check participant
  or creator, on pages and in the API alike (the API answers null there).
- A priority check's rankings are private. A ranking is seen by its author and by admins,
  and by no one (admins included) who takes part in the check and has not submitted their
  own ranking yet: nobody sees another's ranking before submitting.
- The check's public result is its agreement only: how many rankings are in, the mean
  Kendall tau over every pair with its reading, and its change since the last check.
  Every logged-in role sees it, except a participant who has not submitted yet. Nothing
  per priority and nothing per pair is public: with two rankings, a participant's own
  rank plus a priority's range is the other's rank, and even the bare list of the
  priorities ranked furthest apart, together with the agreement, often pins down the
  other's ranks (see `priority_check`). Who sees every ranking (`sees_every_ranking`: an
  admin who is not waiting to rank) also sees the pairs and the priorities ranked least
  alike, since they follow from what they already see. Admins and managers create
  checks; only participants submit, once.
- The delegation board (areas, chosen levels, recommendations, findings) is seen by every
  logged-in role, but a team's competence, and all that follows from it (maturity,
  recommendation, distance, finding), only by who may see the assessment results of
  every PM of the team (`pm_competence_shown`). Admins and managers set levels; admins
  manage decision areas.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.db.models import Exists, OuterRef, QuerySet

from productops.accounts.models import Role
from productops.accounts.roles import Login, role_of
from productops.strategy import priority_check
from productops.strategy.models import PriorityCheck, Ranking


def sees_strategy(user: Login) -> bool:
    return role_of(user) is not None


def sees_item_lists(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def can_manage_objectives(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def sees_names(user: Login) -> bool:
    """Whether strategy pages and the API name people to this user (owners, participants,
    creators): every role but viewers, who see aggregates only."""
    role = role_of(user)
    return role is not None and role is not Role.VIEWER


def can_create_check(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def visible_checks(user: Login) -> QuerySet[PriorityCheck]:
    """The priority checks this user sees (every check, for any role), loaded for a check
    page: with their priorities and participants. None for a login without a role."""
    if not sees_strategy(user):
        return PriorityCheck.objects.none()
    return priority_check.checks_loaded()


def is_participant(user: Login, check: PriorityCheck) -> bool:
    if not user.is_authenticated:
        return False
    return check.participants.filter(pk=user.pk).exists()


def has_submitted(user: Login, check: PriorityCheck) -> bool:
    if not user.is_authenticated:
        return False
    return Ranking.objects.filter(priority_check=check, author=user).exists()


def waiting_to_submit(user: Login, check: PriorityCheck) -> bool:
    """A participant who has not ranked yet: sees nothing of the others."""
    return is_participant(user, check) and not has_submitted(user, check)


def can_submit_ranking(user: Login, check: PriorityCheck) -> bool:
    return not check.closed and waiting_to_submit(user, check)


def can_see_ranking(user: Login, ranking: Ranking) -> bool:
    if not user.is_authenticated:
        return False
    if ranking.author_id == user.pk:
        return True
    if role_of(user) is not Role.ADMIN:
        return False
    return not waiting_to_submit(user, ranking.priority_check)


def sees_check_results(user: Login, check: PriorityCheck) -> bool:
    """The public result (the agreement): any role, once they are not waiting to rank."""
    return role_of(user) is not None and not waiting_to_submit(user, check)


def sees_every_ranking(user: Login, check: PriorityCheck) -> bool:
    """An admin who is not waiting to rank sees every ranking of the check, and so also
    what follows from them per pair and per priority."""
    return role_of(user) is Role.ADMIN and not waiting_to_submit(user, check)


def can_set_delegation(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def can_manage_areas(user: Login) -> bool:
    return role_of(user) is Role.ADMIN


def can_close_check(user: Login, check: PriorityCheck) -> bool:
    """The check's creator or an admin closes it: no more rankings are taken."""
    if not user.is_authenticated:
        return False
    if role_of(user) is Role.ADMIN:
        return True
    return check.created_by_id == user.pk and role_of(user) is not None


def pm_competence_shown(user: Login) -> Callable[[Sequence[int]], bool]:
    """The delegation board shows a team's competence number, and all that follows from it
    (maturity, recommendation, distance, finding), only to who may see the assessment
    results of every PM behind it: admins, the PMs' managers, a PM alone on their team.
    Others see the other two parts and that the recommendation is withheld.
    Returns a test on the team's PM ids, asked once per team at no query."""
    from productops.competencies.visibility import result_subject_ids

    allowed = result_subject_ids(user)

    def shown(pm_ids: Sequence[int]) -> bool:
        return allowed is None or set(pm_ids) <= allowed

    return shown


def checks_awaiting_ranking(user: Login) -> QuerySet[PriorityCheck]:
    """The open checks this user takes part in and has not ranked yet, oldest first: the
    checks for which `can_submit_ranking` holds, in one query."""
    if not user.is_authenticated:
        return PriorityCheck.objects.none()
    return (
        PriorityCheck.objects.filter(participants=user, closed=False)
        .exclude(Exists(Ranking.objects.filter(priority_check=OuterRef("pk"), author=user)))
        .order_by("created_at", "pk")
    )
