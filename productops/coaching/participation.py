"""The participation report: is product practice spreading beyond product?

Over a period, for every discipline of the organization: how many distinct people took
part in a community or book club session (in any of them, and in each), how many of the
period's sessions they attended, and the share of all participants who come from outside
product. A person counts once per discipline however many sessions they attended; their
discipline is the one they have today.

`participation_report` is pure: plain rows in (sessions, attendance, communities), a
report out, no database and no clock. `load_participation` reads those rows in three
queries whatever the size of the organization or the length of the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from productops.coaching.models import Attendance, Community, CommunitySession
from productops.org.models import Discipline

DEFAULT_DAYS = 90
MAX_DAYS = 3660  # ten years: longer asks are a typo, not a question
PRODUCT = Discipline.PRODUCT.value


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(
                f"The period starts on {self.start} after it ends on {self.end}: "
                "choose a start date on or before the end date."
            )
        if self.days > MAX_DAYS:
            raise ValueError(f"The period covers {self.days} days; choose at most {MAX_DAYS} days.")

    @classmethod
    def last(cls, days: int, today: date) -> Period:
        """The `days` days that end today, today included."""
        if days < 1:
            raise ValueError("A period covers at least one day.")
        return cls(start=today - timedelta(days=days - 1), end=today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"


def choose_period(
    today: date,
    *,
    days: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Period:
    """The period a picker asked for: dates win over `days`; the last 90 days by default.

    Only a start runs to today; only an end covers the `days` (or 90) days up to it.
    A ValueError says in a sentence what is wrong.
    """
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValueError(f"Choose between 1 and {MAX_DAYS} days, not {days}.")
    length = days or DEFAULT_DAYS
    if start is None and end is None:
        return Period.last(length, today)
    if start is None:
        assert end is not None
        return Period.last(length, end)
    return Period(start=start, end=end or max(today, start))


@dataclass(frozen=True)
class CommunityFact:
    id: int
    name: str
    kind: str


@dataclass(frozen=True)
class SessionFact:
    id: int
    community_id: int
    date: date


@dataclass(frozen=True)
class AttendanceFact:
    session_id: int
    person_id: int
    discipline: str


@dataclass(frozen=True)
class DisciplineParticipation:
    discipline: str
    label: str
    people: int  # distinct people of this discipline in any session of the period
    sessions: int  # sessions of the period with at least one of them
    attendances: int  # person-sessions
    share: float | None  # of all participants; None when nobody took part
    by_community: dict[int, int] = field(default_factory=dict)  # community id -> people

    @property
    def percent(self) -> int:
        return round(100 * self.share) if self.share is not None else 0

    def people_in(self, community_id: int) -> int:
        return self.by_community.get(community_id, 0)


@dataclass(frozen=True)
class CommunityParticipation:
    id: int
    name: str
    kind: str
    sessions: int
    people: int
    outside_product: int
    attendances: int
    by_discipline: dict[str, int] = field(default_factory=dict)  # discipline -> people

    @property
    def outside_product_share(self) -> float | None:
        return self.outside_product / self.people if self.people else None


@dataclass(frozen=True)
class ParticipationReport:
    period: Period | None  # None: all time
    sessions: int
    participants: int
    outside_product: int
    attendances: int
    disciplines: tuple[DisciplineParticipation, ...]  # every discipline, in the org's order
    communities: tuple[CommunityParticipation, ...]  # those with a session in the period

    @property
    def outside_product_share(self) -> float | None:
        return self.outside_product / self.participants if self.participants else None

    @property
    def outside_product_percent(self) -> int | None:
        share = self.outside_product_share
        return None if share is None else round(100 * share)

    @property
    def disciplines_taking_part(self) -> int:
        return sum(1 for row in self.disciplines if row.people)

    @property
    def largest(self) -> int:
        """The most people any discipline sent: the scale of the bars."""
        return max((row.people for row in self.disciplines), default=0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.period.start if self.period else None,
            "end": self.period.end if self.period else None,
            "sessions": self.sessions,
            "participants": self.participants,
            "attendances": self.attendances,
            "outside_product": self.outside_product,
            "outside_product_share": _rounded(self.outside_product_share),
            "disciplines": [
                {
                    "discipline": row.discipline,
                    "label": row.label,
                    "people": row.people,
                    "sessions": row.sessions,
                    "attendances": row.attendances,
                    "share": _rounded(row.share),
                    "by_community": dict(row.by_community),
                }
                for row in self.disciplines
            ],
            "communities": [
                {
                    "id": row.id,
                    "name": row.name,
                    "kind": row.kind,
                    "sessions": row.sessions,
                    "people": row.people,
                    "attendances": row.attendances,
                    "outside_product": row.outside_product,
                    "outside_product_share": _rounded(row.outside_product_share),
                    "by_discipline": dict(row.by_discipline),
                }
                for row in self.communities
            ],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def participation_report(
    sessions: Iterable[SessionFact],
    attendance: Iterable[AttendanceFact],
    communities: Iterable[CommunityFact],
    period: Period | None = None,
    disciplines: Sequence[tuple[str, str]] = tuple(Discipline.choices),
) -> ParticipationReport:
    """Who took part, by discipline and community, in the sessions held within `period`.

    Sessions outside the period, and attendance at them, are left out. Attendance at a
    session not in `sessions` is ignored. A discipline not in `disciplines` (an old
    value) still counts towards the totals and appears at the end under its own name.
    """
    held = {s.id: s for s in sessions if period is None or s.date in period}
    community_of = {s.id: s.community_id for s in held.values()}
    seen: set[tuple[int, int]] = set()
    discipline_of: dict[int, str] = {}
    people_by_discipline: dict[str, set[int]] = defaultdict(set)
    sessions_by_discipline: dict[str, set[int]] = defaultdict(set)
    attendances_by_discipline: dict[str, int] = defaultdict(int)
    people_by_pair: dict[tuple[str, int], set[int]] = defaultdict(set)
    people_by_community: dict[int, set[int]] = defaultdict(set)
    attendances_by_community: dict[int, int] = defaultdict(int)
    for row in attendance:
        if row.session_id not in held or (row.session_id, row.person_id) in seen:
            continue
        seen.add((row.session_id, row.person_id))
        community_id = community_of[row.session_id]
        discipline_of[row.person_id] = row.discipline
        people_by_discipline[row.discipline].add(row.person_id)
        sessions_by_discipline[row.discipline].add(row.session_id)
        attendances_by_discipline[row.discipline] += 1
        people_by_pair[(row.discipline, community_id)].add(row.person_id)
        people_by_community[community_id].add(row.person_id)
        attendances_by_community[community_id] += 1

    participants = len(discipline_of)
    outside = sum(1 for discipline in discipline_of.values() if discipline != PRODUCT)
    known = dict(disciplines)
    order = [value for value, _ in disciplines] + sorted(
        value for value in people_by_discipline if value not in known
    )

    def discipline_row(value: str) -> DisciplineParticipation:
        people = len(people_by_discipline.get(value, ()))
        return DisciplineParticipation(
            discipline=value,
            label=known.get(value, value.replace("_", " ").capitalize()),
            people=people,
            sessions=len(sessions_by_discipline.get(value, ())),
            attendances=attendances_by_discipline.get(value, 0),
            share=people / participants if participants else None,
            by_community={
                community_id: len(ids)
                for (discipline, community_id), ids in sorted(people_by_pair.items())
                if discipline == value
            },
        )

    sessions_by_community: dict[int, int] = defaultdict(int)
    for session in held.values():
        sessions_by_community[session.community_id] += 1
    community_rows = []
    for community in sorted(communities, key=lambda c: (c.name.casefold(), c.id)):
        if community.id not in sessions_by_community:
            continue
        members = people_by_community.get(community.id, set())
        by_discipline: dict[str, int] = defaultdict(int)
        for person_id in members:
            by_discipline[discipline_of[person_id]] += 1
        community_rows.append(
            CommunityParticipation(
                id=community.id,
                name=community.name,
                kind=community.kind,
                sessions=sessions_by_community[community.id],
                people=len(members),
                outside_product=sum(
                    count for value, count in by_discipline.items() if value != PRODUCT
                ),
                attendances=attendances_by_community.get(community.id, 0),
                by_discipline={
                    value: by_discipline[value] for value in order if value in by_discipline
                },
            )
        )

    return ParticipationReport(
        period=period,
        sessions=len(held),
        participants=participants,
        outside_product=outside,
        attendances=len(seen),
        disciplines=tuple(discipline_row(value) for value in order),
        communities=tuple(community_rows),
    )


def load_participation(
    period: Period | None = None, community_ids: Iterable[int] | None = None
) -> ParticipationReport:
    """The report from the database, in three queries: communities, sessions, attendance.

    `community_ids` narrows it to some communities (a community's own page); None means
    every community.
    """
    communities = Community.objects.all()
    sessions = CommunitySession.objects.all()
    attendance = Attendance.objects.all()
    if community_ids is not None:
        ids = list(community_ids)
        communities = communities.filter(pk__in=ids)
        sessions = sessions.filter(community_id__in=ids)
        attendance = attendance.filter(session__community_id__in=ids)
    if period is not None:
        sessions = sessions.filter(date__gte=period.start, date__lte=period.end)
        attendance = attendance.filter(
            session__date__gte=period.start, session__date__lte=period.end
        )
    return participation_report(
        sessions=[
            SessionFact(id=pk, community_id=community_id, date=day)
            for pk, community_id, day in sessions.values_list("pk", "community_id", "date")
        ],
        attendance=[
            AttendanceFact(session_id=session_id, person_id=person_id, discipline=discipline)
            for session_id, person_id, discipline in attendance.values_list(
                "session_id", "person_id", "person__discipline"
            )
        ],
        communities=[
            CommunityFact(id=pk, name=name, kind=kind)
            for pk, name, kind in communities.values_list("pk", "name", "kind")
        ],
        period=period,
    )
