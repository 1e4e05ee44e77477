"""Assessment reminders: to each rater, the requests of a cycle due in 3 days, and again
once the cycle is overdue. Registered with notify in `CompetenciesConfig.ready`.

One e-mail per rater and cycle (not per request): a manager asked for eight ratings gets
one reminder listing them. The key holds the cycle and its due date, so a cycle whose date
moves is reminded again, and "due soon" and "overdue" are separate kinds, hence separate
events. The list is the rater's own requests (`visibility.requests_owed_by`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from productops.competencies import visibility
from productops.competencies.models import AssessmentCycle, AssessmentRequest, RaterKind
from productops.notify.kinds import Reminder, absolute_url, register_kind

DUE_SOON_DAYS = 3
DUE_SOON = "assessment_due_soon"
OVERDUE = "assessment_overdue"


def _what(request: AssessmentRequest) -> str:
    if request.kind == RaterKind.SELF:
        return "your self-assessment"
    if request.kind == RaterKind.MANAGER:
        return f"your manager rating of {request.subject.name}"
    return f"a peer rating of {request.subject.name}"


def _raters_with_requests(cycles: list[AssessmentCycle]) -> Iterator[tuple[User, AssessmentCycle]]:
    owed = (
        AssessmentRequest.objects.filter(
            cycle__in=cycles,
            status__in=[AssessmentRequest.Status.PENDING, AssessmentRequest.Status.DRAFT],
            rater__active=True,
            rater__user__isnull=False,
        )
        .values_list("rater__user_id", "cycle_id")
        .distinct()
    )
    pairs = sorted(set(owed))
    users = User.objects.in_bulk({user_id for user_id, _ in pairs})
    by_id = {cycle.pk: cycle for cycle in cycles}
    for user_id, cycle_id in pairs:
        yield users[user_id], by_id[cycle_id]


def _reminder(
    user: User, cycle: AssessmentCycle, today: datetime.date, kind: str
) -> Reminder | None:
    requests = list(visibility.requests_owed_by(user).filter(cycle=cycle).select_related("subject"))
    if not requests:
        return None
    days = (cycle.due_date - today).days
    if kind == OVERDUE:
        late = -days
        subject = (
            f"Overdue: {len(requests)} rating{'s' if len(requests) != 1 else ''} in {cycle.name}"
        )
        opening = (
            f"The cycle {cycle.name} was due on {cycle.due_date:%A %d %B %Y} "
            f"({late} day{'s' if late != 1 else ''} ago), and these are still open:"
        )
    else:
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        subject = (
            f"Due {when}: {len(requests)} rating{'s' if len(requests) != 1 else ''} in {cycle.name}"
        )
        opening = f"The cycle {cycle.name} is due {when}, on {cycle.due_date:%A %d %B %Y}:"
    lines = [opening, ""]
    for request in requests:
        state = " (draft saved)" if request.status == AssessmentRequest.Status.DRAFT else ""
        url = absolute_url(reverse("competencies:request_rate", args=[request.pk]))
        lines.append(f"- {_what(request)}{state}: {url}")
    lines += ["", f"All your requests: {absolute_url(reverse('competencies:my_requests'))}"]
    return Reminder(
        f"cycle-{cycle.pk}-due-{cycle.due_date:%Y-%m-%d}", user, subject, "\n".join(lines)
    )


def _open_cycles(**due: datetime.date) -> list[AssessmentCycle]:
    return list(AssessmentCycle.objects.filter(status=AssessmentCycle.Status.OPEN, **due))


def due_soon(now: datetime.datetime) -> Iterator[Reminder]:
    """Cycles due today up to DUE_SOON_DAYS ahead: a worker that was down on the third day
    before still reminds on the second."""
    today = timezone.localdate(now)
    cycles = _open_cycles(
        due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
    )
    for user, cycle in _raters_with_requests(cycles):
        reminder = _reminder(user, cycle, today, DUE_SOON)
        if reminder is not None:
            yield reminder


def overdue(now: datetime.datetime) -> Iterator[Reminder]:
    today = timezone.localdate(now)
    for user, cycle in _raters_with_requests(_open_cycles(due_date__lt=today)):
        reminder = _reminder(user, cycle, today, OVERDUE)
        if reminder is not None:
            yield reminder


def register() -> None:
    register_kind(
        DUE_SOON,
        "Assessment due soon",
        f"When a cycle you were asked to rate in is due within {DUE_SOON_DAYS} days and "
        "your ratings are not submitted: once per cycle.",
        due_soon,
    )
    register_kind(
        OVERDUE,
        "Assessment overdue",
        "When a cycle you were asked to rate in is past its due date and your ratings are "
        "still open: once per cycle.",
        overdue,
    )
