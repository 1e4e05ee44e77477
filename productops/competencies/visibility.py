"""Who sees what of competencies and assessments: the one place that decides it.

Views, API routes, exports, reports and commands ask these functions.

- A person's results (their self, manager and aggregated peer scores, their gaps) are
  private records: the person, their management chain and admins
  (`org.visibility.can_see_private_records`). Never peers.
- A peer's individual answers are seen only by the peer who gave them and by admins.
  Everyone else sees peers only as a mean, and only when at least
  `PEER_ANONYMITY_THRESHOLD` peers answered.
- A rater sees and edits their own requests. Anyone else who may read a request's
  answers (above) reads them only once they are submitted: a draft is the rater's own.
- Peers are nominated by the subject, or by the subject's managers and admins; the
  nominations of a subject are decided by their managers and admins
  (`can_manage_subject`), who also reopen submitted requests.
- Team and org views (heatmap, who needs support) list the people whose results the user
  may see: admins everyone, managers their chain, members only themselves (no
  leaderboard: a member never sees others ranked). Viewers see distributions only.
  "Who most needs support" is for admins (every manager) and managers (themselves and
  the managers in their chain). The distribution of consensus covers everyone in the
  team or org; a competency's distribution is withheld unless at least
  `MIN_PEOPLE_IN_AGGREGATE` people are in it or the user may see every one of them by
  name (`visible_group_gaps`). Which cycles a team or org page may pick is not private:
  only a cycle's name and aggregates are shown to someone outside it.
- Cycles are opened by admins, and by managers for people in their reporting chain; they
  are closed by admins and by managers whose chain holds every subject. A cycle page is
  seen by whoever `visible_cycles` lists it for, and shows the subjects whose results
  the user may see (`result_subject_ids`) plus the user's own requests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.db.models import Q, QuerySet

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.competencies import gaps
from productops.competencies.models import AssessmentCycle, AssessmentRequest, RaterKind
from productops.org.models import Person
from productops.org.visibility import can_see_private_records, reporting_chain_ids

PEER_ANONYMITY_THRESHOLD = 3
MIN_PEOPLE_IN_AGGREGATE = 3


def result_subject_ids(user: Login) -> set[int] | None:
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


def can_see_results(user: Login, person: Person) -> bool:
    return can_see_private_records(user, person)


def results_people(user: Login) -> QuerySet[Person]:
    ids = result_subject_ids(user)
    people = Person.objects.filter(active=True)
    return people if ids is None else people.filter(pk__in=ids)


def can_see_individual_peer_answers(user: Login, request: AssessmentRequest) -> bool:
    """A peer's own answers: the peer who gave them, and admins. Nobody else."""
    if role_of(user) is Role.ADMIN:
        return True
    return request.rater_id == person_id_of(user)


def can_see_request(user: Login, request: AssessmentRequest) -> bool:
    """The answers inside one request (not the aggregate).

    The rater always; others only once it is submitted: admins any request, the subject
    and their managers self and manager requests, never a peer's.
    """
    return request_answers_filter(user)(request)


def request_answers_filter(user: Login) -> Callable[[AssessmentRequest], bool]:
    """`can_see_request` for many requests at once: one query, then a test per request."""
    me = person_id_of(user)
    readers_of: set[int] | None  # subjects whose self and manager answers the user reads
    if role_of(user) is Role.ADMIN:
        readers_of = None
    else:
        readers_of = reporting_chain_ids(me) | {me} if me is not None else set()

    def visible(request: AssessmentRequest) -> bool:
        if me is not None and request.rater_id == me:
            return True
        if request.status != AssessmentRequest.Status.SUBMITTED:
            return False
        if readers_of is None:
            return True
        return request.kind != RaterKind.PEER and request.subject_id in readers_of

    return visible


def can_rate(user: Login, request: AssessmentRequest) -> bool:
    """Only the rater writes the answers of a request, whatever their role."""
    me = person_id_of(user)
    return me is not None and request.rater_id == me


def requests_owed_by(user: Login) -> QuerySet[AssessmentRequest]:
    """The rating requests a user has to answer."""
    me = person_id_of(user)
    if me is None:
        return AssessmentRequest.objects.none()
    return AssessmentRequest.objects.filter(
        rater_id=me,
        status__in=[AssessmentRequest.Status.PENDING, AssessmentRequest.Status.DRAFT],
        cycle__status=AssessmentCycle.Status.OPEN,
    )


def can_open_cycle_for(user: Login, people: list[Person]) -> bool:
    role = role_of(user)
    if role is Role.ADMIN:
        return True
    me = person_id_of(user)
    if role is not Role.MANAGER or me is None:
        return False
    chain = reporting_chain_ids(me)
    return all(person.pk in chain for person in people)


def can_manage_subject(user: Login, subject: Person) -> bool:
    """Approve peer nominations, reopen submitted requests: admins and the subject's managers."""
    ids = managed_subject_ids(user)
    return ids is None or subject.pk in ids


def reopen_filter(user: Login) -> Callable[[AssessmentRequest], bool]:
    """Whether this user may reopen each request now: the one reopen rule, asked by the
    cycle page's links, the request page's form and `check_reopen_request`.

    Submitted ratings, in an open cycle, reopened by an admin or the subject's manager.
    One call works out whom the user manages; the returned test costs no query.
    """
    managed = managed_subject_ids(user)

    def can_reopen(request: AssessmentRequest) -> bool:
        return (
            request.status == AssessmentRequest.Status.SUBMITTED
            and request.cycle.is_open
            and (managed is None or request.subject_id in managed)
        )

    return can_reopen


def can_reopen(user: Login, request: AssessmentRequest) -> bool:
    return reopen_filter(user)(request)


def managed_subject_ids(user: Login) -> set[int] | None:
    """The people whose nominations and reopenings a user decides; None means everyone."""
    role = role_of(user)
    if role is Role.ADMIN:
        return None
    me = person_id_of(user)
    if role is not Role.MANAGER or me is None:
        return set()
    return reporting_chain_ids(me)


def visible_cycles(user: Login) -> QuerySet[AssessmentCycle]:
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


def can_edit_library(user: Login) -> bool:
    """Importing and editing competency models and ladders is for admins."""
    return role_of(user) is Role.ADMIN


def sees_distributions_only(user: Login) -> bool:
    return role_of(user) is Role.VIEWER


def can_see_cycle(user: Login, cycle: AssessmentCycle) -> bool:
    return visible_cycles(user).filter(pk=cycle.pk).exists()


def can_close_cycle(user: Login, cycle: AssessmentCycle) -> bool:
    """Admins, and managers whose reporting chain holds every subject of the cycle."""
    if role_of(user) is Role.ADMIN:
        return True
    return role_of(user) is Role.MANAGER and can_open_cycle_for(user, list(cycle.subjects.all()))


def can_nominate_for(user: Login, subject: Person) -> bool:
    """Peers of a subject are nominated by the subject, their managers and admins."""
    return person_id_of(user) == subject.pk or can_manage_subject(user, subject)


def nominations_awaiting(user: Login) -> QuerySet[AssessmentRequest]:
    """Peer nominations in open cycles this user is the one expected to decide.

    A subject's own manager decides; admins also decide for subjects without a manager.
    Managers higher up may decide too (`can_manage_subject`), from the cycle page.
    """
    nominated = AssessmentRequest.objects.filter(
        kind=RaterKind.PEER,
        status=AssessmentRequest.Status.NOMINATED,
        cycle__status=AssessmentCycle.Status.OPEN,
    )
    role = role_of(user)
    me = person_id_of(user)
    if role is Role.ADMIN:
        mine = Q(subject__manager__isnull=True)
        if me is not None:
            mine |= Q(subject__manager_id=me)
        return nominated.filter(mine)
    if role is not Role.MANAGER or me is None:
        return AssessmentRequest.objects.none()
    return nominated.filter(subject__manager_id=me)


def visible_group_gaps(user: Login, group: Any) -> dict[str, Any]:
    """The part of a team's or the org's gap analysis (`gap_data.GroupGaps`) a user may read.

    Returns {"scope", "rows", "distribution", "support"}: scope "all" (admins), "chain"
    (managers), "own" (members) or "aggregates" (viewers); rows are the people's
    `PersonGaps` in name order; support is empty for members and viewers.
    """
    role = role_of(user)
    allowed = result_subject_ids(user)
    if allowed is None:
        rows = list(group.results)
    else:
        rows = [result for result in group.results if result.person.id in allowed]
    sees_everyone = len(rows) == len(group.results)
    distribution = [
        d
        if sees_everyone or d.people >= MIN_PEOPLE_IN_AGGREGATE
        else replace(d, counts=tuple(0 for _ in d.counts), median=None, people=0, hidden=True)
        for d in group.distribution
    ]
    if role is Role.ADMIN:
        scope, support = "all", gaps.needs_support(rows)
    elif role is Role.MANAGER:
        # a manager's allowed people are their chain and themselves: the same managers
        scope, support = "chain", gaps.needs_support(rows, managers=allowed or set())
    elif role is Role.MEMBER:
        scope, support = "own", []
    else:
        scope, rows, support = "aggregates", [], []
    return {"scope": scope, "rows": rows, "distribution": distribution, "support": support}
