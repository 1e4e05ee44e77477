"""How far an assessment cycle has come: completion per subject and rater kind, overdue.

Completion counts the requests a rater is expected to answer: declined nominations and
nominations still awaiting the manager's approval are not owed by anyone, so they count
neither as done nor as missing. The arithmetic is pure functions over `RequestFacts`; the
loaders read what a page needs in a fixed number of queries, whatever the cycle's size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Count
from django.utils import timezone

from productops.competencies.models import AssessmentCycle, AssessmentRequest, RaterKind
from productops.org.models import Person

Status = AssessmentRequest.Status
NOT_OWED = frozenset({Status.NOMINATED, Status.DECLINED})
OPEN_STATUSES = frozenset({Status.PENDING, Status.DRAFT})
KIND_ORDER = [RaterKind.SELF, RaterKind.MANAGER, RaterKind.PEER]

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class RequestFacts:
    """What the arithmetic needs of one request, detached from the ORM."""

    subject_id: int
    kind: str
    status: str


@dataclass(frozen=True)
class Completion:
    submitted: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0

    @property
    def is_complete(self) -> bool:
        return self.total > 0 and self.submitted == self.total

    def __str__(self) -> str:
        return f"{self.submitted} / {self.total}"


def is_owed(status: str) -> bool:
    """Whether a request counts towards completion: someone is expected to answer it."""
    return status not in NOT_OWED


def completion(requests: Iterable[RequestFacts]) -> Completion:
    owed = [request for request in requests if is_owed(request.status)]
    done = sum(request.status == Status.SUBMITTED for request in owed)
    return Completion(submitted=done, total=len(owed))


def completion_by(
    requests: Iterable[RequestFacts], key: Callable[[RequestFacts], Key]
) -> dict[Key, Completion]:
    groups: dict[Key, list[RequestFacts]] = defaultdict(list)
    for request in requests:
        groups[key(request)].append(request)
    return {group: completion(members) for group, members in groups.items()}


def completion_by_subject(requests: Iterable[RequestFacts]) -> dict[int, Completion]:
    return completion_by(requests, lambda request: request.subject_id)


def completion_by_kind(requests: Iterable[RequestFacts]) -> dict[str, Completion]:
    return completion_by(requests, lambda request: request.kind)


def completion_from_counts(counts: Mapping[str, int]) -> Completion:
    """Completion from the number of requests in each status (an aggregate query's rows)."""
    total = sum(n for status, n in counts.items() if is_owed(status))
    return Completion(submitted=counts.get(Status.SUBMITTED, 0), total=total)


def is_overdue(
    status: str, *, due_date: datetime.date, today: datetime.date, cycle_open: bool
) -> bool:
    """Past the due date, in an open cycle, and not yet submitted (nor awaiting approval)."""
    return cycle_open and status in OPEN_STATUSES and due_date < today


def kinds_of(cycle: AssessmentCycle) -> list[str]:
    """The cycle's rater kinds in the order pages show them."""
    return [kind.value for kind in KIND_ORDER if kind.value in cycle.rater_kinds]


# -- loading ------------------------------------------------------------------------------


@dataclass
class SubjectProgress:
    subject: Person
    overall: Completion
    by_kind: dict[str, Completion]
    requests: list[AssessmentRequest]
    # The cycle asks for a manager rating but no one was asked: the subject had no manager
    # in productops (or their manager had left) when the cycle was opened.
    missing_manager: bool = False

    def kind_cells(self, kinds: list[str]) -> list[Completion | None]:
        return [self.by_kind.get(kind) for kind in kinds]


@dataclass
class CycleProgress:
    cycle: AssessmentCycle
    kinds: list[str]
    subjects: list[SubjectProgress]
    overall: Completion
    by_kind: dict[str, Completion]
    overdue: list[AssessmentRequest] = field(default_factory=list)
    nominations: list[AssessmentRequest] = field(default_factory=list)

    @property
    def kind_totals(self) -> list[tuple[str, Completion]]:
        return [(kind, self.by_kind.get(kind, Completion())) for kind in self.kinds]


def facts_of(request: AssessmentRequest) -> RequestFacts:
    return RequestFacts(subject_id=request.subject_id, kind=request.kind, status=request.status)


def load_cycle_progress(
    cycle: AssessmentCycle,
    *,
    subject_ids: set[int] | None = None,
    today: datetime.date | None = None,
) -> CycleProgress:
    """The progress of one cycle for the subjects given (None: every subject).

    Two queries: the subjects, and their requests with subject and rater.
    """
    today = today or timezone.localdate()
    subjects = cycle.subjects.order_by("name", "pk")
    requests = cycle.requests.select_related("subject", "rater").order_by(
        "subject__name", "kind", "rater__name", "pk"
    )
    if subject_ids is not None:
        subjects = subjects.filter(pk__in=subject_ids)
        requests = requests.filter(subject_id__in=subject_ids)
    people = list(subjects)
    loaded = list(requests)
    by_subject: dict[int, list[AssessmentRequest]] = defaultdict(list)
    for request in loaded:
        request.cycle = cycle  # is_overdue reads the cycle: no query per request
        by_subject[request.subject_id].append(request)
    kinds = kinds_of(cycle)
    wants_manager = RaterKind.MANAGER in kinds
    rows = []
    for person in people:
        own = by_subject.get(person.pk, [])
        facts = [facts_of(request) for request in own]
        rows.append(
            SubjectProgress(
                subject=person,
                overall=completion(facts),
                by_kind=completion_by_kind(facts),
                requests=own,
                missing_manager=wants_manager
                and not any(request.kind == RaterKind.MANAGER for request in own),
            )
        )
    all_facts = [facts_of(request) for request in loaded]
    return CycleProgress(
        cycle=cycle,
        kinds=kinds,
        subjects=rows,
        overall=completion(all_facts),
        by_kind=completion_by_kind(all_facts),
        overdue=[
            request
            for request in loaded
            if is_overdue(
                request.status, due_date=cycle.due_date, today=today, cycle_open=cycle.is_open
            )
        ],
        nominations=[request for request in loaded if request.status == Status.NOMINATED],
    )


def cycle_completions(
    cycle_ids: Iterable[int], *, subject_ids: set[int] | None = None
) -> dict[int, Completion]:
    """Overall completion of many cycles in one aggregate query (the cycles list)."""
    rows = AssessmentRequest.objects.filter(cycle_id__in=list(cycle_ids))
    if subject_ids is not None:
        rows = rows.filter(subject_id__in=subject_ids)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for cycle_id, status, n in rows.values_list("cycle_id", "status").annotate(n=Count("pk")):
        counts[cycle_id][status] = n
    return {cycle_id: completion_from_counts(by_status) for cycle_id, by_status in counts.items()}


def overdue_first(requests: Iterable[AssessmentRequest], today: datetime.date) -> list:
    """Requests a rater owes, overdue ones first, then by due date and subject.

    The requests must come with their cycle loaded (select_related), or this queries.
    """

    def order(request: AssessmentRequest) -> tuple:
        late = is_overdue(
            request.status,
            due_date=request.cycle.due_date,
            today=today,
            cycle_open=request.cycle.is_open,
        )
        return (not late, request.cycle.due_date, request.subject.name, request.pk)

    return sorted(requests, key=order)
