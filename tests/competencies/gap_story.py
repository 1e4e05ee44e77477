"""The gap-analysis story, on top of the cast, with numbers worked out by hand.

Model "Test PM model" v1: discovery, delivery, strategy on a 1–5 scale. The product
ladder expects PM {discovery 3, delivery 3, strategy 2} and Senior PM {4, 4, 3}; Senior
PM is also spelt "L5".

Cycle "H1" (earlier) rated Priya by herself and by Marco only. Cycle "H2", now closed, so
its peer results are released (`visibility.peer_releases`):

Priya (level "PM"):
    discovery  self 4, manager 2, peers 2 3 3 -> peer mean 8/3, others (2 + 8/3)/2 = 7/3,
               gap 3 - 7/3 = 2/3, self - others = 5/3 >= 1.5: a blind spot.
               H1 consensus 1 -> change +4/3.
    delivery   self 3, manager 3, peers 3 4 2 -> 3; others 3; gap 0; H1 2 -> change +1.
    strategy   self 2, manager 3, peers 3 + "not observed" + 3 -> only 2 answers: hidden;
               others 3 (manager only); gap 2 - 3 = -1; H1 3 -> change 0.
    A draft peer request from Otto (discovery 5) counts nowhere.
Paul (level "senior pm"):
    discovery  self 2, manager 4, peers 1 1 (2 answers: hidden, left out) -> others 4,
               gap 0, others - self = 2: a hidden strength.
    delivery   self 4, manager 3 -> gap 1.   strategy  self 3, manager 2 -> gap 1.
    Top gaps: delivery then strategy (a tie at 1, model order). Total weighted gap 2.
Marco (level "L5", manager Hana):
    discovery  self 3, manager 3 -> gap 1.   delivery  self 3, manager 4 -> gap 0.
    strategy   "not observed" by both -> no consensus; so strategy has 2 people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from productops.competencies.models import (
    AssessmentCycle,
    AssessmentRequest,
    LadderLevel,
    ModelVersion,
    Rating,
)
from productops.org.models import Person
from tests.cast import Cast, build_cast
from tests.competencies.factories import make_ladder, make_model_version

SUBMITTED = AssessmentRequest.Status.SUBMITTED
NOT_OBSERVED = None


def rate(
    cycle: AssessmentCycle,
    subject: Person,
    rater: Person,
    kind: str,
    scores: dict[str, int | None],
    status: str = SUBMITTED,
) -> AssessmentRequest:
    """One request with its ratings; a score of None is "not observed"."""
    request = AssessmentRequest.objects.create(
        cycle=cycle,
        subject=subject,
        rater=rater,
        kind=kind,
        status=status,
        submitted_at=timezone.now() if status == SUBMITTED else None,
    )
    Rating.objects.bulk_create(
        Rating(
            request=request,
            competency_key=key,
            score=score,
            not_observed=score is None,
        )
        for key, score in scores.items()
    )
    return request


def open_cycle(
    name: str, version: ModelVersion, days_ago: int, *, closed: bool = False
) -> AssessmentCycle:
    """A cycle opened `days_ago`; `closed` closes it (its peer results are then released)."""
    return AssessmentCycle.objects.create(
        name=name,
        version=version,
        due_date=dt.date(2025, 1, 1),
        rater_kinds=["self", "manager", "peer"],
        opened_at=timezone.now() - dt.timedelta(days=days_ago),
        status=AssessmentCycle.Status.CLOSED if closed else AssessmentCycle.Status.OPEN,
        closed_at=timezone.now() if closed else None,
    )


@dataclass
class GapStory:
    cast: Cast
    version: ModelVersion
    h1: AssessmentCycle
    h2: AssessmentCycle


def build_gap_story() -> GapStory:
    cast = build_cast()
    version = make_model_version()
    ladder = make_ladder(
        version,
        {
            "PM": {"discovery": 3, "delivery": 3, "strategy": 2},
            "Senior PM": {"discovery": 4, "delivery": 4, "strategy": 3},
        },
    )
    LadderLevel.objects.filter(ladder=ladder, name="Senior PM").update(aliases=["L5"])
    for person, level in ((cast.priya, "PM"), (cast.paul, "senior pm"), (cast.marco, "L5")):
        person.level = level
        person.save()

    h1 = open_cycle("H1", version, days_ago=200)
    rate(h1, cast.priya, cast.priya, "self", {"discovery": 3})
    rate(h1, cast.priya, cast.marco, "manager", {"discovery": 1, "delivery": 2, "strategy": 3})

    # Closed: its peer results are released (Otto's draft would hold them back in an open
    # cycle; tests/competencies/test_inference_peer.py tells that story).
    h2 = open_cycle("H2", version, days_ago=10, closed=True)
    priya, paul, marco = cast.priya, cast.paul, cast.marco
    rate(h2, priya, priya, "self", {"discovery": 4, "delivery": 3, "strategy": 2})
    rate(h2, priya, marco, "manager", {"discovery": 2, "delivery": 3, "strategy": 3})
    rate(h2, priya, paul, "peer", {"discovery": 2, "delivery": 3, "strategy": 3})
    rate(h2, priya, cast.dana, "peer", {"discovery": 3, "delivery": 4, "strategy": NOT_OBSERVED})
    rate(h2, priya, cast.tariq, "peer", {"discovery": 3, "delivery": 2, "strategy": 3})
    rate(h2, priya, cast.otto, "peer", {"discovery": 5}, status=AssessmentRequest.Status.DRAFT)

    rate(h2, paul, paul, "self", {"discovery": 2, "delivery": 4, "strategy": 3})
    rate(h2, paul, marco, "manager", {"discovery": 4, "delivery": 3, "strategy": 2})
    rate(h2, paul, priya, "peer", {"discovery": 1})
    rate(h2, paul, cast.dana, "peer", {"discovery": 1})

    rate(h2, marco, marco, "self", {"discovery": 3, "delivery": 3, "strategy": NOT_OBSERVED})
    rate(h2, marco, cast.hana, "manager", {"discovery": 3, "delivery": 4, "strategy": None})
    return GapStory(cast=cast, version=version, h1=h1, h2=h2)


def build_assessed_org(count: int, version: ModelVersion, cycle_name: str = "Bulk") -> Person:
    """A boss and `count` PMs, each rated by self, the boss and three peers. Returns the boss.

    Bulk writes, so a test can compare 30 people with 300 quickly.
    """
    keys = [c.key for c in version.competencies.all()]
    boss = Person.objects.create(name="Bulk Boss", email="boss@bulk.test", discipline="product")
    people = Person.objects.bulk_create(
        Person(
            name=f"Bulk {i:04}",
            email=f"p{i}@bulk.test",
            discipline="product",
            level="PM",
            manager=boss,
        )
        for i in range(count)
    )
    cycle = open_cycle(cycle_name, version, days_ago=1)
    requests = []
    for i, person in enumerate(people):
        raters = [(person, "self"), (boss, "manager")] + [
            (people[(i + k) % count], "peer") for k in (1, 2, 3)
        ]
        requests += [
            AssessmentRequest(cycle=cycle, subject=person, rater=rater, kind=kind, status=SUBMITTED)
            for rater, kind in raters
        ]
    requests = AssessmentRequest.objects.bulk_create(requests)
    Rating.objects.bulk_create(
        Rating(request=request, competency_key=key, score=1 + (n + j) % 5)
        for n, request in enumerate(requests)
        for j, key in enumerate(keys)
    )
    return boss
