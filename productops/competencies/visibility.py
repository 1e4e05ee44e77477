"""Who sees what of competencies and assessments: the one place that decides it.

Views, API routes, exports, reports and commands ask these functions.

- A person's results (their self, manager and aggregated peer scores, their gaps) are
  private records: the person, their management chain and admins
  (`org.visibility.can_see_private_records`). Never peers.
- A peer's individual answers are seen only by the peer who gave them and by admins.
  Everyone else sees peers only as a mean, and only when at least
  `PEER_ANONYMITY_THRESHOLD` peers answered.
- A rater sees and edits their own requests.
- Team and org views (heatmap, who needs support) list the people whose results the user
  may see: admins everyone, managers their chain, members only themselves (no
  leaderboard: a member never sees others ranked). Viewers see distributions only.
- Cycles are opened by admins, and by managers for people in their reporting chain.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from productops.accounts.models import Role
from productops.accounts.roles import person_id_of, role_of
from productops.competencies.models import AssessmentCycle, AssessmentRequest, RaterKind
from productops.org.models import Person
from productops.org.visibility import can_see_private_records, reporting_chain_ids

PEER_ANONYMITY_THRESHOLD = 3


def result_subject_ids(user: Any) -> set[int] | None:
    """Whose assessment results a user may see; None means everyone (admins)."""
    role = role_of(user)
    if role is Role.ADMIN:
        return None
    me = person_id_of(user)
    if me is None or role is Role.VIEWER or role is None:
        return set()
    if role is Role.MANAGER:
        return reporting_chain_ids(me) | {me}
    return {me}


def can_see_results(user: Any, person: Person) -> bool:
    return can_see_private_records(user, person)


def results_people(user: Any) -> QuerySet[Person]:
    ids = result_subject_ids(user)
    people = Person.objects.filter(active=True)
    return people if ids is None else people.filter(pk__in=ids)


def can_see_individual_peer_answers(user: Any, request: AssessmentRequest) -> bool:
    """A peer's own answers: the peer who gave them, and admins. Nobody else."""
    if role_of(user) is Role.ADMIN:
        return True
    return request.rater_id == person_id_of(user)


def can_see_request(user: Any, request: AssessmentRequest) -> bool:
    """The answers inside one request (not the aggregate)."""
    if request.rater_id == person_id_of(user) or role_of(user) is Role.ADMIN:
        return True
    if request.kind == RaterKind.PEER:
        return False
    return can_see_private_records(user, request.subject)


def requests_owed_by(user: Any) -> QuerySet[AssessmentRequest]:
    """The rating requests a user has to answer."""
    me = person_id_of(user)
    if me is None:
        return AssessmentRequest.objects.none()
    return AssessmentRequest.objects.filter(
        rater_id=me,
        status__in=[AssessmentRequest.Status.PENDING, AssessmentRequest.Status.DRAFT],
        cycle__status=AssessmentCycle.Status.OPEN,
    )


def can_open_cycle_for(user: Any, people: list[Person]) -> bool:
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    me = person_id_of(user)
    if role is not Role.MANAGER or me is None:
        return False
    chain = reporting_chain_ids(me)
    return all(person.pk in chain for person in people)


def can_manage_subject(user: Any, subject: Person) -> bool:
    """Approve peer nominations, reopen submitted requests: admins and the subject's managers."""
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    me = person_id_of(user)
    return role is Role.MANAGER and me is not None and subject.pk in reporting_chain_ids(me)


def visible_cycles(user: Any) -> QuerySet[AssessmentCycle]:
    """Cycles an admin runs, a manager's people are in, or a user rates or is rated in."""
    role = role_of(user)
    if role is Role.ADMIN:
        return AssessmentCycle.objects.all()
    me = person_id_of(user)
    if me is None:
        return AssessmentCycle.objects.none()
    people = {me}
    if role is Role.MANAGER:
        people |= reporting_chain_ids(me)
    return AssessmentCycle.objects.filter(
        pk__in=AssessmentRequest.objects.filter(subject_id__in=people).values("cycle_id")
    ) | AssessmentCycle.objects.filter(
        pk__in=AssessmentRequest.objects.filter(rater_id=me).values("cycle_id")
    )


def can_edit_library(user: Any) -> bool:
    """Importing and editing competency models and ladders is for admins."""
    return role_of(user) is Role.ADMIN


def sees_distributions_only(user: Any) -> bool:
    return role_of(user) is Role.VIEWER
