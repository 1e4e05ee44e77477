"""The 1:1 reminder: the day before a planned 1:1, its agenda to both people of the series.

Each person gets the agenda as they see it on the 1:1's page (`agenda.load_agenda` with
their login: plan goals and assessment changes only when they may see them). What goes
out is the agenda only: carried actions, goals to check in on, changes, talking points.
Private notes are never read here, and the shared notes are written at the meeting.
Registered with notify in `CoachingConfig.ready`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from productops.coaching import visibility
from productops.coaching.agenda import Agenda, load_agenda
from productops.coaching.models import OneOnOne
from productops.notify.kinds import Reminder, absolute_url, register_kind

KIND = "one_on_one_agenda"


def _agenda_lines(agenda: Agenda) -> list[str]:
    lines: list[str] = []
    if agenda.carried_actions:
        lines += ["", "Open actions:"]
        for line in agenda.carried_actions:
            action = line.action
            due = f", due {action.due_date:%Y-%m-%d}" if action.due_date else ""
            late = " (overdue)" if line.overdue else ""
            lines.append(f"- {action.text} ({action.owner_name}{due}){late}")
    if agenda.goals:
        lines += ["", "Goals to check in on:"]
        lines += [f"- {goal.goal.competency_name}" for goal in agenda.goals]
    if agenda.changes:
        lines += ["", "Since the last 1:1:"]
        lines += [f"- {change.text}" for change in agenda.changes]
    if agenda.talking_points:
        lines += ["", "Talking points:"]
        lines += [f"- {point.text} ({point.author_name})" for point in agenda.talking_points]
    if agenda.is_empty:
        lines += ["", "Nothing is on the agenda yet: add a talking point on the 1:1's page."]
    return lines


def due(now: datetime.datetime) -> Iterator[Reminder]:
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    meetings = OneOnOne.objects.filter(
        date=tomorrow, status=OneOnOne.Status.PLANNED, series__active=True
    ).select_related("series__lead__user", "series__report__user")
    for meeting in meetings:
        series = meeting.series
        url = absolute_url(reverse("coaching:one_on_one_detail", args=[meeting.pk]))
        for person, other in ((series.lead, series.report), (series.report, series.lead)):
            user = person.user
            if user is None or not person.active or not visibility.can_see_series(user, series):
                continue
            agenda = load_agenda(meeting, user=user, today=tomorrow)
            lines = [
                f"Your 1:1 with {other.name} is tomorrow, {meeting.date:%A %d %B %Y}.",
                *_agenda_lines(agenda),
                "",
                f"Open it: {url}",
            ]
            yield Reminder(
                f"meeting-{meeting.pk}-{meeting.date:%Y-%m-%d}",
                user,
                f"1:1 with {other.name} tomorrow",
                "\n".join(lines),
            )


def register() -> None:
    register_kind(
        KIND,
        "1:1 agenda",
        "The day before a planned 1:1, its agenda: open actions, goals to check in on, "
        "what changed and the talking points. Never your private notes.",
        due,
    )
