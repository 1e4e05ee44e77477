"""Who sees what of competencies and assessments: the one place that decides it.

Views, API routes, exports, reports and commands ask these functions.

- A person's results (their self, manager and aggregated peer scores, their gaps) are
  private records: the person, their management chain and admins
  (`org.visibility.can_see_private_records`). Never peers.
- A peer's individual answers are seen only by the peer who gave them and by admins.
  Everyone else sees peers only as a mean, and only when at least
  `PEER_ANONYMITY_THRESHOLD` peers answered.
- Peer results are released at a fixed point, and only then count anywhere (pages, API,
  the `gaps` command, team and org views, coaching plans, reports): `peer_releases`. The
  point is reached when the cycle is closed, or when every requested peer of the person
  (approved, not declined) has submitted and there are at least
  `PEER_ANONYMITY_THRESHOLD` of them. Released results never change afterwards: a closed
  cycle cannot be reopened, and once "everyone answered" released them in an open cycle
  the person's peers are locked until it closes (no peer reopened, added or approved;
  `peer_set_locked`). So no two moments can be compared to work out one peer's answers.
  Admins (`sees_peer_results_live`) see peer answers as they come in and exact counts;
  everyone else reads the count as "3 or more". The subject never sees which peer has
  answered: only those who manage the subject see peers named with their status
  (`can_see_peer_progress`).
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
  team or org. Unless the user may see every one of them by name, a competency's
  distribution is withheld when fewer than `min_group_size()` people in it are people
  whose results the user does not know (the user themselves and the people they see by
  name do not count), and its exact median is withheld whenever the user knows anyone's
  value in it: the median of a small group is one person's own value
  (`visible_group_gaps`). Which cycles a team or org page may pick is not private:
  only a cycle's name and aggregates are shown to someone outside it.
- Cycles are opened by admins, and by managers for people in their reporting chain; they
  are closed by admins and by managers whose chain holds every subject. A cycle page is
  seen by whoever `visible_cycles` lists it for, and shows the subjects whose results
  the user may see (`result_subject_ids`) plus the user's own requests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.competencies import gaps
from productops.competencies.models import AssessmentCycle, AssessmentRequest, RaterKind
from productops.org.models import Person
from productops.org.visibility import can_see_private_records, reporting_chain_ids

PEER_ANONYMITY_THRESHOLD = 3
# The smallest group whose distribution is shown, counting only the people whose results
# the viewer does not know. Settable as PRODUCTOPS_MIN_GROUP_SIZE.
MIN_GROUP_SIZE_SETTING = "PRODUCTOPS_MIN_GROUP_SIZE"
DEFAULT_MIN_GROUP_SIZE = 5


def min_group_size() -> int:
    """k: a distribution needs at least this many people the viewer cannot name."""
    return max(int(getattr(settings, MIN_GROUP_SIZE_SETTING, DEFAULT_MIN_GROUP_SIZE)), 1)


# -- the release of peer results ----------------------------------------------------------

RELEASED_CLOSED = "closed"
RELEASED_ALL_ANSWERED = "all_answered"
_NOT_OWED = (AssessmentRequest.Status.NOMINATED, AssessmentRequest.Status.DECLINED)


@dataclass(frozen=True)
class PeerRelease:
    """Whether one person's peer results in one cycle are released, and why."""

    released: bool
    why: str = ""  # RELEASED_CLOSED, RELEASED_ALL_ANSWERED, or "" while pending
    asks_peers: bool = True  # the cycle asks for peer ratings at all

    @property
    def locked(self) -> bool:
        """Released in an open cycle: the person's peers may not change until it closes."""
        return self.why == RELEASED_ALL_ANSWERED


def peer_releases(
    pairs: Iterable[tuple[AssessmentCycle, int]],
) -> dict[tuple[int, int], PeerRelease]:
    """(cycle id, subject id) -> the release of that subject's peer results: the one rule.

    Released when the cycle is closed, or when every requested peer of the subject
    (nominations awaiting approval and declined ones are not requested) has submitted and
    there are at least `PEER_ANONYMITY_THRESHOLD` of them. One query for all the pairs
    in open cycles; none when every cycle is closed.
    """
    wanted = {(cycle.pk, subject_id): cycle for cycle, subject_id in pairs}
    open_pairs = {pair for pair, cycle in wanted.items() if cycle.is_open}
    owed: dict[tuple[int, int], int] = defaultdict(int)
    submitted: dict[tuple[int, int], int] = defaultdict(int)
    if open_pairs:
        rows = (
            AssessmentRequest.objects.filter(
                cycle_id__in={cycle_id for cycle_id, _ in open_pairs},
                subject_id__in={subject_id for _, subject_id in open_pairs},
                kind=RaterKind.PEER,
            )
            .exclude(status__in=_NOT_OWED)
            .order_by()
            .values_list("cycle_id", "subject_id", "status")
        )
        for cycle_id, subject_id, status in rows:
            pair = (cycle_id, subject_id)
            owed[pair] += 1
            if status == AssessmentRequest.Status.SUBMITTED:
                submitted[pair] += 1
    result = {}
    for pair, cycle in wanted.items():
        asks = RaterKind.PEER in (cycle.rater_kinds or []) or owed[pair] > 0
        if not cycle.is_open:
            result[pair] = PeerRelease(True, RELEASED_CLOSED, asks)
        elif owed[pair] >= PEER_ANONYMITY_THRESHOLD and submitted[pair] == owed[pair]:
            result[pair] = PeerRelease(True, RELEASED_ALL_ANSWERED, asks)
        else:
            result[pair] = PeerRelease(False, "", asks)
    return result


def peer_release(cycle: AssessmentCycle, subject: Person | int) -> PeerRelease:
    subject_id = subject if isinstance(subject, int) else subject.pk
    return peer_releases([(cycle, subject_id)])[(cycle.pk, subject_id)]


def peer_set_locked(cycle: AssessmentCycle, subject: Person | int) -> bool:
    """Whether the subject's peers are frozen in this cycle: released while it is open.

    No peer request of theirs may then be reopened, and no peer added or approved, until
    the cycle closes; the released peer results can never change.
    """
    return cycle.is_open and peer_release(cycle, subject).locked


def sees_peer_results_live(user: Login) -> bool:
    """Peer results before their release, and exact peer counts: those who may read each
    peer's answers anyway (`can_see_individual_peer_answers`), that is admins."""
    return role_of(user) is Role.ADMIN


def can_see_peer_progress(user: Login, subject: Person | int) -> bool:
    """Which peers of a subject were asked and where each one stands, by name.

    Those who decide the subject's nominations and reopenings (their managers and admins).
    Never the subject: naming peers with their status lets anyone who sees a result
    change tell whose answer changed it.
    """
    subject_id = subject if isinstance(subject, int) else subject.pk
    return peer_progress_filter(user)(subject_id)


def peer_progress_filter(user: Login) -> Callable[[int], bool]:
    """`can_see_peer_progress` for many subjects (by id): one lookup, then no query."""
    ids = managed_subject_ids(user)
    return lambda subject_id: ids is None or subject_id in ids


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

    Submitted ratings, in an open cycle, reopened by an admin or the subject's manager;
    never a peer request of a subject whose peer results are already released
    (`peer_set_locked`). One call works out whom the user manages; the returned test
    costs at most one query per cycle (the locked subjects), the first time it is asked
    about a peer request there.
    """
    managed = managed_subject_ids(user)
    locked: dict[int, set[int]] = {}

    def is_locked(request: AssessmentRequest) -> bool:
        cycle = request.cycle
        if cycle.pk not in locked:
            subjects = set(
                AssessmentRequest.objects.filter(cycle=cycle, kind=RaterKind.PEER)
                .order_by()
                .values_list("subject_id", flat=True)
                .distinct()
            )
            releases = peer_releases((cycle, subject_id) for subject_id in subjects)
            locked[cycle.pk] = {s for (_, s), release in releases.items() if release.locked}
        return request.subject_id in locked[cycle.pk]

    def can_reopen(request: AssessmentRequest) -> bool:
        return (
            request.status == AssessmentRequest.Status.SUBMITTED
            and request.cycle.is_open
            and (managed is None or request.subject_id in managed)
            and not (request.kind == RaterKind.PEER and is_locked(request))
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

    Unless the user sees every person in the group by name, per competency: the people
    whose value the user knows (themselves, and those in `rows`) do not count towards
    `min_group_size()`; below it the distribution is withheld, and whenever the user knows
    any value in it the exact median is withheld (it would be one person's own value).
    """
    role = role_of(user)
    allowed = result_subject_ids(user)
    if allowed is None:
        rows = list(group.results)
    else:
        rows = [result for result in group.results if result.person.id in allowed]
    sees_everyone = len(rows) == len(group.results)
    distribution = list(group.distribution)
    if not sees_everyone:
        me = person_id_of(user)
        known_ids = {result.person.id for result in rows} | ({me} if me is not None else set())
        known: dict[str, int] = defaultdict(int)
        for result in group.results:
            if result.person.id in known_ids:
                for row in result.rows:
                    if row.consensus is not None:
                        known[row.key] += 1
        k = min_group_size()
        distribution = [
            replace(d, counts=tuple(0 for _ in d.counts), median=None, people=0, hidden=True)
            if d.people - known[d.key] < k
            else (replace(d, median=None, median_withheld=True) if known[d.key] else d)
            for d in distribution
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
