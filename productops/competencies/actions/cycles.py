"""Assessment cycles and who rates in them: opening, closing, peer nominations and their
decision. `check_*` validates and authorizes, `do_*` writes."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from productops.accounts.models import Role
from productops.accounts.roles import Login, person_id_of, role_of
from productops.accounts.roles import author_of as _author
from productops.competencies import visibility
from productops.competencies.models import (
    AssessmentCycle,
    AssessmentRequest,
    ModelVersion,
    RaterKind,
)
from productops.org.models import Person

if TYPE_CHECKING:
    pass


def _only_admins_and_managers(user: Login) -> None:
    if role_of(user) not in (Role.ADMIN, Role.MANAGER):
        raise PermissionDenied(
            "Only admins and managers open assessment cycles. Ask your manager to include "
            "you in one."
        )


def check_open_cycle(
    user: Login,
    *,
    name: str,
    version: ModelVersion,
    subjects: list[Person],
    due_date: datetime.date,
    rater_kinds: list[str],
) -> None:
    """Who may open this cycle, and whether it is complete enough to open."""
    _only_admins_and_managers(user)
    if not visibility.can_open_cycle_for(user, subjects):
        # Counted, not named: the people outside the chain may be people you cannot see.
        chain = visibility.managed_subject_ids(user) or set()
        outside = sum(person.pk not in chain for person in subjects)
        raise PermissionDenied(
            "You can open a cycle only for people in your reporting chain, and "
            f"{outside} of the {len(subjects)} chosen {'is' if outside == 1 else 'are'} not. "
            "Leave them out, or ask an admin to open the cycle."
        )
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "Give the cycle a name people will recognize, such as 'H2 review'."
    if not subjects:
        problems["subjects"] = "Choose at least one person to assess."
    left = [person.name for person in subjects if not person.active]
    if left:
        problems["subjects"] = f"{', '.join(left)} left the organization; leave them out."
    kinds = set(rater_kinds)
    if not kinds or kinds - set(RaterKind.values):
        problems["rater_kinds"] = "Choose at least one rater kind: self, manager or peer."
    if due_date < timezone.localdate():
        problems["due_date"] = (
            f"The due date {due_date:%Y-%m-%d} is in the past; pick a date raters can still meet."
        )
    if not version.competencies.exists():
        problems["version"] = (
            f"{version} has no competencies to rate; import a complete model version first."
        )
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def do_open_cycle(
    user: Login,
    *,
    name: str,
    version: ModelVersion,
    subjects: list[Person],
    due_date: datetime.date,
    rater_kinds: list[str],
) -> AssessmentCycle:
    """Open a cycle and ask each subject for a self rating and their manager for theirs.

    Peers are not asked here: the subject or their manager nominates them afterwards.
    The cycle comes back with `notes`: sentences about the requests that could not be
    made (a subject without a manager), for the page or command to show.
    """
    subjects = list(
        Person.objects.select_related("manager")
        .filter(pk__in={person.pk for person in subjects})
        .order_by("name")
    )
    check_open_cycle(
        user,
        name=name,
        version=version,
        subjects=subjects,
        due_date=due_date,
        rater_kinds=rater_kinds,
    )
    kinds = [kind for kind in RaterKind.values if kind in set(rater_kinds)]
    cycle = AssessmentCycle.objects.create(
        name=name.strip(),
        version=version,
        due_date=due_date,
        rater_kinds=kinds,
        opened_by=_author(user),
    )
    cycle.subjects.set(subjects)
    requests = []
    notes = []
    for subject in subjects:
        if RaterKind.SELF in kinds:
            requests.append(
                AssessmentRequest(cycle=cycle, subject=subject, rater=subject, kind=RaterKind.SELF)
            )
        if RaterKind.MANAGER not in kinds:
            continue
        manager = subject.manager
        if manager is None or not manager.active:
            why = (
                f"{subject.name} has no manager in productops"
                if manager is None
                else f"{subject.name}'s manager {manager.name} has left"
            )
            notes.append(
                f"{why}, so no one was asked for a manager rating. Set their manager with the "
                "people import to ask one in the next cycle."
            )
            continue
        requests.append(
            AssessmentRequest(cycle=cycle, subject=subject, rater=manager, kind=RaterKind.MANAGER)
        )
    AssessmentRequest.objects.bulk_create(requests)
    if RaterKind.PEER in kinds:
        notes.append(
            "Peers are nominated on the cycle page, by each subject or their manager; "
            "the manager approves nominations made by the subject."
        )
    cycle.notes = notes  # type: ignore[attr-defined]
    return cycle


def check_close_cycle(user: Login, cycle: AssessmentCycle) -> None:
    if not visibility.can_close_cycle(user, cycle):
        raise PermissionDenied(
            "Only an admin, or a manager whose reporting chain holds everyone in the cycle, "
            "can close it."
        )
    if not cycle.is_open:
        raise ValidationError("This cycle is already closed.")


@transaction.atomic
def do_close_cycle(user: Login, cycle: AssessmentCycle) -> AssessmentCycle:
    """Close a cycle: nothing more is rated, nominated or reopened in it."""
    check_close_cycle(user, cycle)
    cycle.status = AssessmentCycle.Status.CLOSED
    cycle.closed_at = timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    return cycle


def require_open(cycle: AssessmentCycle, what: str) -> None:
    if not cycle.is_open:
        raise ValidationError(f"The cycle {cycle.name} is closed; {what}.")


def check_nominate_peer(
    user: Login, cycle: AssessmentCycle, subject: Person, peer: Person
) -> AssessmentRequest.Status:
    """Whether this peer may be asked about this subject; returns the status to start in."""
    if not visibility.can_nominate_for(user, subject):
        raise PermissionDenied(
            "You can nominate peers only for yourself, or as a manager for people in your "
            "reporting chain."
        )
    require_open(cycle, "nominations are no longer taken")
    if RaterKind.PEER not in cycle.rater_kinds:
        raise ValidationError("This cycle does not ask for peer ratings.")
    if not cycle.subjects.filter(pk=subject.pk).exists():
        raise ValidationError(f"{subject.name} is not assessed in this cycle.")
    if peer.pk == subject.pk:
        raise ValidationError(
            f"{subject.name} cannot be their own peer: the self-assessment already asks them. "
            "Nominate a colleague who works with them."
        )
    if peer.pk == subject.manager_id:
        raise ValidationError(
            f"{peer.name} is {subject.name}'s manager and gives the manager rating; nominate "
            "a colleague who works with them instead."
        )
    if not peer.active:
        raise ValidationError(f"{peer.name} has left the organization; nominate someone else.")
    existing = AssessmentRequest.objects.filter(
        cycle=cycle, subject=subject, rater=peer, kind=RaterKind.PEER
    ).first()
    if existing is not None and existing.status == AssessmentRequest.Status.DECLINED:
        raise ValidationError(
            f"{peer.name}'s nomination for {subject.name} was declined; nominate someone else."
        )
    if existing is not None:
        raise ValidationError(f"{peer.name} is already nominated as a peer for {subject.name}.")
    if visibility.peer_set_locked(cycle, subject):
        raise ValidationError(
            peers_locked_sentence(subject, "no more peers can be asked; ask them in the next cycle")
        )
    if visibility.can_manage_subject(user, subject):
        return AssessmentRequest.Status.PENDING
    return AssessmentRequest.Status.NOMINATED


@transaction.atomic
def do_nominate_peer(
    user: Login, cycle: AssessmentCycle, subject: Person, peer: Person
) -> AssessmentRequest:
    """Ask a peer to rate a subject. A subject's own nomination waits for their manager."""
    status = check_nominate_peer(user, cycle, subject, peer)
    me = person_id_of(user)
    return AssessmentRequest.objects.create(
        cycle=cycle,
        subject=subject,
        rater=peer,
        kind=RaterKind.PEER,
        status=status,
        nominated_by_id=me,
    )


def peers_locked_sentence(subject: Person, what: str) -> str:
    """Why the peers of a subject whose peer results are out no longer change."""
    return (
        f"Every peer asked about {subject.name} has answered, so their peer results are "
        f"out. Until the cycle closes {what}: any change to the peer mean now would give "
        "away one peer's answers."
    )


def check_decide_nomination(user: Login, request: AssessmentRequest, approve: bool = True) -> None:
    # Authorize first: the status of a peer's request is not the subject's to read.
    if not visibility.can_manage_subject(user, request.subject):
        raise PermissionDenied(
            f"Only {request.subject.name}'s manager or an admin approves or declines their "
            "peer nominations."
        )
    if request.kind != RaterKind.PEER or request.status != AssessmentRequest.Status.NOMINATED:
        raise ValidationError(
            f"There is no nomination to decide here: this request is "
            f"{request.get_status_display().lower()}."
        )
    require_open(request.cycle, "nominations are no longer decided")
    if approve and visibility.peer_set_locked(request.cycle, request.subject):
        raise ValidationError(
            peers_locked_sentence(request.subject, "a nomination can only be declined")
        )


@transaction.atomic
def do_decide_nomination(
    user: Login, request: AssessmentRequest, approve: bool
) -> AssessmentRequest:
    """Approve a peer nomination (the peer is asked) or decline it (nobody is asked)."""
    check_decide_nomination(user, request, approve)
    request.status = (
        AssessmentRequest.Status.PENDING if approve else AssessmentRequest.Status.DECLINED
    )
    request.save(update_fields=["status", "updated_at"])
    return request
