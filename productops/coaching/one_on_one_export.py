"""Everything a person's 1:1s hold, as one Markdown document.

Used by `productops export-1on1s`. For each series the person is in (as lead or report,
ended ones too): its cadence health, then every 1:1 in date order with its status,
talking points, shared notes, the actions raised in it (owner, due date, status) and the
goal check-ins recorded in it; actions whose 1:1 was deleted come last.

Private notes are never part of it, whoever asks: the loader does not read them, and the
document says so at the top. They belong to their author alone and stay in productops.

`load_export` reads everything in a fixed number of queries; `render_markdown` is pure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from productops.coaching.cadence import SeriesHealth, load_cadence
from productops.coaching.models import (
    ActionItem,
    CheckIn,
    OneOnOne,
    OneOnOneSeries,
    TalkingPoint,
)
from productops.org.models import Person

PRIVATE_NOTES_LEFT_OUT = (
    "Private notes are never exported, not even their author's own: they stay in "
    "productops, where only their author can read them."
)
ACTION_BOXES: dict[str, str] = {
    ActionItem.Status.OPEN: "[ ]",
    ActionItem.Status.DONE: "[x]",
    ActionItem.Status.DROPPED: "[-]",
}


@dataclass(frozen=True)
class SeriesExport:
    series: OneOnOneSeries  # with lead, report, meetings and actions preloaded
    health: SeriesHealth | None


def load_export(person: Person, *, today: date) -> list[SeriesExport]:
    """The person's series with every 1:1's shared parts, in six queries (+1 for health)."""
    actions = ActionItem.objects.select_related("owner").order_by("created_at", "pk")
    meetings = OneOnOne.objects.order_by("date", "pk").prefetch_related(
        Prefetch(
            "talking_points",
            queryset=TalkingPoint.objects.select_related("author__person").order_by(
                "created_at", "pk"
            ),
        ),
        Prefetch("actions_raised", queryset=actions),
        Prefetch(
            "check_ins", queryset=CheckIn.objects.select_related("goal").order_by("date", "pk")
        ),
    )
    mine = OneOnOneSeries.objects.filter(Q(lead=person) | Q(report=person))
    series = list(
        mine.select_related("lead", "report")
        .prefetch_related(
            Prefetch("meetings", queryset=meetings),
            Prefetch("actions", queryset=actions.filter(raised_in__isnull=True), to_attr="loose"),
        )
        .order_by("-active", "lead__name", "report__name", "pk")
    )
    health = {row.fact.id: row for row in load_cadence(mine, today=today).series}
    return [SeriesExport(series=s, health=health.get(s.pk)) for s in series]


def render_markdown(person: Person, exports: Iterable[SeriesExport], *, today: date) -> str:
    exports = list(exports)
    meetings = sum(len(item.series.meetings.all()) for item in exports)
    lines = [
        f"# 1:1s of {person.name}",
        "",
        f"Exported from productops on {today:%Y-%m-%d} for {person.email}: "
        f"{_count(len(exports), '1:1 series', '1:1 series')}, {_count(meetings, '1:1', '1:1s')}.",
        "",
        f"> {PRIVATE_NOTES_LEFT_OUT}",
    ]
    if not exports:
        lines += ["", f"{person.name} is not in any 1:1 series yet."]
    for item in exports:
        lines += ["", *_series_lines(item)]
    return "\n".join(lines) + "\n"


def _series_lines(item: SeriesExport) -> list[str]:
    series = item.series
    lines = [
        f"## {series.lead.name} & {series.report.name}",
        "",
        f"- Kind: {series.get_kind_display().lower()}",
        f"- Cadence: {series.get_cadence_display().lower()}, {series.duration_minutes} minutes, "
        f"since {series.start_date:%Y-%m-%d}" + ("" if series.active else " (ended)"),
    ]
    if item.health is not None:
        lines.append(f"- Health: {_health(item.health)}")
    meetings = list(series.meetings.all())
    if not meetings:
        lines += ["", "No 1:1 held or planned yet."]
    for meeting in meetings:
        lines += ["", *_meeting_lines(meeting)]
    loose: list[ActionItem] = list(getattr(series, "loose", []))  # Prefetch(to_attr="loose")
    if loose:
        lines += ["", "### Actions from 1:1s since deleted", ""]
        lines += [_action_line(action) for action in loose]
    return lines


def _health(health: SeriesHealth) -> str:
    fact = health.fact
    last = (
        f"last held {fact.last_held:%Y-%m-%d} ({_count(health.days_since_last or 0, 'day', 'days')} ago)"
        if fact.last_held
        else "never held"
    )
    return (
        f"{health.health.label.lower()}; {last}; {health.missed} of {health.expected} "
        f"expected 1:1s missed since {health.period_start:%Y-%m-%d}"
    )


def _meeting_lines(meeting: OneOnOne) -> list[str]:
    lines = [f"### {meeting.date:%Y-%m-%d} · {meeting.get_status_display().lower()}"]
    points = list(meeting.talking_points.all())
    if points:
        lines += ["", "Talking points:", ""]
        lines += [
            f"- {_one_line(point.text)}"
            + (f" ({_author(point)})" if point.author_id else "")
            + (" — discussed" if point.discussed else "")
            for point in points
        ]
    if meeting.shared_notes.strip():
        lines += ["", "Shared notes:", ""]
        lines += [f"> {line}".rstrip() for line in meeting.shared_notes.strip().splitlines()]
    actions = list(meeting.actions_raised.all())
    if actions:
        lines += ["", "Actions:", ""]
        lines += [_action_line(action) for action in actions]
    check_ins = list(meeting.check_ins.all())
    if check_ins:
        lines += ["", "Check-ins:", ""]
        lines += [_check_in_line(check_in) for check_in in check_ins]
    if len(lines) == 1:
        lines += ["", "Nothing recorded."]
    return lines


def _action_line(action: ActionItem) -> str:
    due = f", due {action.due_date:%Y-%m-%d}" if action.due_date else ""
    return (
        f"- {ACTION_BOXES.get(action.status, '[ ]')} {_one_line(action.text)} "
        f"— {action.owner.name}{due}, {action.get_status_display().lower()}"
    )


def _check_in_line(check_in: CheckIn) -> str:
    line = f"- {check_in.goal.competency_name}: {check_in.get_status_display().lower()}"
    if check_in.note:
        line += f" — {_one_line(check_in.note)}"
    if check_in.evidence_url:
        line += f" ({check_in.evidence_url})"
    return line


def _author(point: TalkingPoint) -> str:
    person = getattr(point.author, "person", None)
    if person is not None:
        return f"from {person.name}"
    return f"from {point.author.get_username() if point.author else 'a deleted login'}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"
