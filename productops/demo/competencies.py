"""The competency side of the demo organization: models, ladders and two review cycles.

Built on top of `org.demo`: the same PMs, shaped so the gap analysis tells stories a
head of product recognizes:

- the PM managed from sales is far below the level expected in their discovery work;
- the PM spread over three teams rates themselves well above what others see (blind spots);
- the member login's PM rated themselves below what others saw (hidden strengths) and
  has their self-assessment to do in the open cycle;
- one group's PMs are a strong team, at or above expectations almost everywhere;
- one PM has only two peer answers, so their peer mean stays hidden;
- the open cycle is running late: some requests are overdue, some are drafts.

Deterministic for a given seed. Writes in bulk: this is demo data, not user input.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from productops.competencies.actions import do_load_builtin_ladders, do_load_builtin_models
from productops.competencies.gap_data import expectations_for_people
from productops.competencies.models import (
    AssessmentCycle,
    AssessmentRequest,
    CompetencyModel,
    RaterKind,
    Rating,
)
from productops.demo.org import DemoOrg
from productops.org.models import Discipline, Person, TeamMembership, TeamRole

MODEL_SLUG = "pm-toolkit"
CLOSED_CYCLE = "H1 2026 PM review"
OPEN_CYCLE = "H2 2026 PM review"

EVIDENCE = {
    "high": [
        "Ran the pricing discovery end to end and shared what we learned with sales.",
        "Her opportunity tree is the one other teams now copy.",
        "Turned a vague ask from leadership into a measurable outcome the team owns.",
        "Kept the roadmap honest when the big deal came in; explained the trade-off well.",
    ],
    "mid": [
        "Solid this half; the weekly customer calls happened most weeks.",
        "Good at running the rituals, less visible in the strategy conversations.",
        "Writes clear problem statements; could involve engineering earlier.",
        "Delivered what was planned; fewer experiments than I hoped.",
    ],
    "low": [
        "Most backlog items arrive as solutions from sales; little discovery behind them.",
        "No customer interviews logged this half.",
        "Decisions are often escalated rather than made with the trio.",
        "Struggles to say no to stakeholder requests.",
    ],
}


@dataclass
class CompetencyDemo:
    models: int
    ladders: int
    subjects: int
    closed_cycle: str
    open_cycle: str
    requests: int
    ratings: int
    stories: list[str] = field(default_factory=list)


def build_competency_demo(org: DemoOrg, seed: int = 7, today: date | None = None) -> CompetencyDemo:
    rng = random.Random(seed * 7919 + 13)
    today = today or timezone.localdate()
    with transaction.atomic():
        versions = do_load_builtin_models()
        ladders = do_load_builtin_ladders()
        model = CompetencyModel.objects.get(slug=MODEL_SLUG)
        version = model.latest
        assert version is not None
        keys = list(
            version.competencies.order_by("area__position", "position").values_list(
                "key", flat=True
            )
        )
        discovery_key = _discovery_key(keys)
        subjects = _subjects(org)
        expected = expectations_for_people(subjects, model)
        top = version.top_step
        peers = _peers(subjects, org, rng)

        ability = {
            person.pk: {
                key: _clamp(
                    expected.get(person.pk, {}).get(key, 3) + rng.choice([-1, -1, 0, 0, 0, 1]), top
                )
                for key in keys
            }
            for person in subjects
        }
        strong = _strong_team(subjects, org)
        for pk in strong:
            for key in keys:
                ability[pk][key] = _clamp(
                    expected.get(pk, {}).get(key, 3) + rng.choice([0, 0, 1]), top
                )
        if org.member_pm_id in ability:
            # good at the job, modest about it: others see more than they claim
            for key in keys:
                ability[org.member_pm_id][key] = max(
                    3, _clamp(expected.get(org.member_pm_id, {}).get(key, 3) + 1, top)
                )
        if org.sales_led_pm_id in ability:
            gap_pm = ability[org.sales_led_pm_id]
            gap_pm[discovery_key] = _clamp(
                expected.get(org.sales_led_pm_id, {}).get(discovery_key, 4) - 3, top
            )

        # Direct: `do_open_cycle`/`do_close_cycle` stamp now; these opened and closed months ago.
        closed = AssessmentCycle.objects.create(
            name=CLOSED_CYCLE,
            version=version,
            due_date=today - timedelta(days=150),
            rater_kinds=[RaterKind.SELF, RaterKind.MANAGER, RaterKind.PEER],
            status=AssessmentCycle.Status.CLOSED,
            opened_at=_moment(today - timedelta(days=180)),
            closed_at=_moment(today - timedelta(days=140)),
        )
        open_ = AssessmentCycle.objects.create(
            name=OPEN_CYCLE,
            version=version,
            due_date=today - timedelta(days=2),
            rater_kinds=[RaterKind.SELF, RaterKind.MANAGER, RaterKind.PEER],
            opened_at=_moment(today - timedelta(days=24)),
        )
        closed.subjects.set(subjects)
        open_.subjects.set(subjects)

        previous = {
            pk: {key: _clamp(score - rng.choice([0, 0, 1]), top) for key, score in scores.items()}
            for pk, scores in ability.items()
        }
        writer = _RatingWriter(keys, top, rng, org)
        for person in subjects:
            writer.rate_subject(
                closed, person, previous[person.pk], peers[person.pk], finished=True
            )
            writer.rate_subject(open_, person, ability[person.pk], peers[person.pk], finished=False)
        writer.flush()

    by_id = {person.pk: person for person in subjects}
    stories = [
        f"{CLOSED_CYCLE} is closed; {OPEN_CYCLE} is two days past its due date with requests still open.",
    ]
    if org.sales_led_pm_id in by_id:
        stories.append(
            f"{org.sales_led_pm_name} (managed from sales) is far below the level expected in {discovery_key}."
        )
    if org.spread_pm_id in by_id:
        stories.append(
            f"{org.spread_pm_name} rates themselves well above what others see: blind spots."
        )
    if org.member_pm_id in by_id:
        stories.append(
            f"{org.member_pm_name} rated themselves below what others saw in {CLOSED_CYCLE} "
            "(hidden strengths) and has a self-assessment to do in the open cycle."
        )
    if strong:
        stories.append(
            f"{len(strong)} PMs under one group PM are a strong team, at or above expectations."
        )
    return CompetencyDemo(
        models=len(versions),
        ladders=len(ladders),
        subjects=len(subjects),
        closed_cycle=CLOSED_CYCLE,
        open_cycle=OPEN_CYCLE,
        requests=writer.request_count,
        ratings=writer.rating_count,
        stories=stories,
    )


def has_competency_demo() -> bool:
    return AssessmentCycle.objects.filter(name__in=[CLOSED_CYCLE, OPEN_CYCLE]).exists()


def clear_competency_demo() -> None:
    """Remove the demo's review cycles (for `demo --reset`); the model library stays."""
    AssessmentCycle.objects.filter(name__in=[CLOSED_CYCLE, OPEN_CYCLE]).delete()


def _discovery_key(keys: list[str]) -> str:
    for key in keys:
        if "discovery" in key:
            return key
    return keys[0]


def _subjects(org: DemoOrg) -> list[Person]:
    """Every active product person who is product manager of a team, but the head of product."""
    pm_ids = TeamMembership.objects.filter(
        role=TeamRole.PRODUCT_MANAGER, person__active=True, person__discipline=Discipline.PRODUCT
    ).values("person_id")
    return list(
        Person.objects.filter(pk__in=pm_ids)
        .exclude(pk=org.head_of_product_id)
        .select_related("manager")
        .order_by("pk")
    )


def _peers(subjects: list[Person], org: DemoOrg, rng: random.Random) -> dict[int, list[int]]:
    """Up to five teammates per subject; one subject is left with two (peer mean hidden)."""
    team_of: dict[int, set[int]] = {}
    members: dict[int, list[int]] = {}
    for team_id, person_id in TeamMembership.objects.filter(person__active=True).values_list(
        "team_id", "person_id"
    ):
        team_of.setdefault(person_id, set()).add(team_id)
        members.setdefault(team_id, []).append(person_id)
    chosen: dict[int, list[int]] = {}
    for person in subjects:
        pool = sorted(
            {m for t in team_of.get(person.pk, ()) for m in members[t]}
            - {person.pk, person.manager_id}
        )
        rng.shuffle(pool)
        # a small team borrows peers from the PMs who share the subject's manager
        fellows = [
            p.pk for p in subjects if p.manager_id == person.manager_id and p.pk != person.pk
        ]
        fellows += [p.pk for p in subjects if p.pk != person.pk and p.pk != person.manager_id]
        for fellow in fellows:
            if len(pool) >= 3:
                break
            if fellow not in pool:
                pool.append(fellow)
        chosen[person.pk] = pool[:5]
    few = next(
        (
            p.pk
            for p in subjects
            if p.pk not in (org.member_pm_id, org.spread_pm_id, org.sales_led_pm_id)
            and len(chosen[p.pk]) >= 3
        ),
        None,
    )
    if few is not None:
        chosen[few] = chosen[few][:2]
    return chosen


def _strong_team(subjects: list[Person], org: DemoOrg) -> set[int]:
    """The reports of the group PM with the most PMs, other than the manager login's."""
    by_manager: dict[int, set[int]] = {}
    for person in subjects:
        if person.manager_id and person.manager_id != org.group_pm_id:
            by_manager.setdefault(person.manager_id, set()).add(person.pk)
    if not by_manager:
        return set()
    best = max(sorted(by_manager), key=lambda pk: len(by_manager[pk]))
    return by_manager[best] - {org.sales_led_pm_id, org.spread_pm_id, org.member_pm_id}


def _clamp(value: int, top: int) -> int:
    return max(1, min(top, value))


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


class _RatingWriter:
    """Collects requests and ratings, then writes them in a few bulk statements."""

    def __init__(self, keys: list[str], top: int, rng: random.Random, org: DemoOrg) -> None:
        self.keys, self.top, self.rng, self.org = keys, top, rng, org
        self.pending: list[tuple[AssessmentRequest, dict[str, tuple[int | None, bool, str]]]] = []
        self.request_count = 0
        self.rating_count = 0

    def rate_subject(
        self,
        cycle: AssessmentCycle,
        person: Person,
        ability: dict[str, int],
        peers: list[int],
        *,
        finished: bool,
    ) -> None:
        raters: list[tuple[int, str]] = [(person.pk, RaterKind.SELF)]
        if person.manager_id:
            raters.append((person.manager_id, RaterKind.MANAGER))
        raters += [(peer, RaterKind.PEER) for peer in peers]
        for rater_id, kind in raters:
            status = self._status(person, rater_id, kind, finished)
            request = AssessmentRequest(
                cycle=cycle, subject=person, rater_id=rater_id, kind=kind, status=status
            )
            if status == AssessmentRequest.Status.SUBMITTED:
                request.submitted_at = _moment(
                    cycle.due_date - timedelta(days=self.rng.randint(1, 12))
                )
            answers = {}
            if status in (AssessmentRequest.Status.SUBMITTED, AssessmentRequest.Status.DRAFT):
                keys = (
                    self.keys
                    if status == AssessmentRequest.Status.SUBMITTED
                    else self.keys[: len(self.keys) // 2]
                )
                answers = {key: self._answer(person, kind, ability[key], key) for key in keys}
            self.pending.append((request, answers))

    def _status(self, person: Person, rater_id: int, kind: str, finished: bool) -> str:
        if finished:
            return AssessmentRequest.Status.SUBMITTED
        if person.pk == self.org.member_pm_id and kind == RaterKind.SELF:
            return AssessmentRequest.Status.PENDING  # the member login has a self-assessment to do
        if person.pk in (self.org.sales_led_pm_id, self.org.spread_pm_id):
            return AssessmentRequest.Status.SUBMITTED  # their stories show in the open cycle
        roll = self.rng.random()
        if roll < 0.72:
            return AssessmentRequest.Status.SUBMITTED
        return AssessmentRequest.Status.DRAFT if roll < 0.82 else AssessmentRequest.Status.PENDING

    def _answer(
        self, person: Person, kind: str, ability: int, key: str
    ) -> tuple[int | None, bool, str]:
        rng = self.rng
        if kind == RaterKind.PEER and rng.random() < 0.03:
            return None, True, ""
        if kind == RaterKind.SELF:
            bias = rng.choice([0, 0, 0, 1])
            if person.pk == self.org.spread_pm_id:
                bias = 2
            elif person.pk == self.org.member_pm_id:
                bias = -2
            score = ability + bias
        elif kind == RaterKind.MANAGER:
            score = ability + rng.choice([0, 0, 0, -1, 1])
        else:
            score = ability + rng.choice([0, 0, 0, -1, 1])
        score = _clamp(score, self.top)
        note = ""
        if rng.random() < 0.45:
            tone = "high" if score >= self.top - 1 else "low" if score <= 2 else "mid"
            note = rng.choice(EVIDENCE[tone])
        return score, False, note

    def flush(self) -> None:
        # Direct: `do_save_ratings`/`do_submit_request` need each rater's login, a query or more a rating.
        requests = AssessmentRequest.objects.bulk_create([request for request, _ in self.pending])
        ratings = [
            Rating(
                request=request, competency_key=key, score=score, not_observed=unseen, evidence=note
            )
            for request, (_, answers) in zip(requests, self.pending, strict=True)
            for key, (score, unseen, note) in answers.items()
        ]
        Rating.objects.bulk_create(ratings, batch_size=2000)
        self.request_count = len(requests)
        self.rating_count = len(ratings)
