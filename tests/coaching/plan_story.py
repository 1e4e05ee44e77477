"""The coaching-plan story, on top of the cast, with numbers worked out by hand.

Model "Plan model" v1 on a 1–5 scale, competencies in this order: discovery, delivery,
strategy, communication, analytics. The product ladder's "PM" level expects discovery 4,
delivery 3, strategy 3, communication 3, analytics 3. Priya is a PM.

Cycle "Spring" (100 days ago): Marco rates Priya; Paul, Dana and Tariq rate her discovery.

    discovery      manager 1, peers 1 2 2 -> peer mean 5/3, consensus (1 + 5/3) / 2 = 4/3
                   (current step 1.3), gap 4 - 4/3 = 2.67
    delivery       manager 3 -> gap 0
    strategy       manager 2 -> gap 1
    communication  manager 1 -> gap 2
    analytics      manager 2 -> gap 1, a tie with strategy, which comes first in the model

    Top gaps, in order: discovery (target 4), communication (3), strategy (3).

Cycle "Autumn" (5 days ago, only with `add_autumn`): Marco rates Priya again: discovery 4
(reaches 4: closed), communication 2 (1 → 2 of 3: narrowed), strategy 2 (unchanged),
analytics 1 (2 → 1: widened), delivery 3.

Paul has never been assessed. Practices: five for discovery (a mix of kinds and efforts,
one retired), one for communication, none for strategy or analytics.

Logins beyond the cast: Tariq as a manager of no one ("another manager"), Cora a visiting
coach with a viewer login and no person record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.coaching.models import Effort, Practice, PracticeKind
from productops.competencies.models import AssessmentCycle, ModelVersion
from tests.cast import PASSWORD, Cast, build_cast
from tests.competencies.factories import make_ladder, make_model_version
from tests.competencies.gap_story import open_cycle, rate

KEYS = ("discovery", "delivery", "strategy", "communication", "analytics")
PM_EXPECTS = {"discovery": 4, "delivery": 3, "strategy": 3, "communication": 3, "analytics": 3}


@dataclass
class PlanStory:
    cast: Cast
    version: ModelVersion
    spring: AssessmentCycle
    tariq_user: User
    cora_user: User
    practices: dict[str, Practice]


def _practice(key: str, title: str, kind: str, effort: str, active: bool = True) -> Practice:
    return Practice.objects.create(
        competency_key=key, title=title, kind=kind, effort=effort, active=active
    )


def build_plan_story() -> PlanStory:
    cast = build_cast()
    version = make_model_version(name="Plan model", keys=KEYS)
    make_ladder(version, {"PM": PM_EXPECTS}, name="Plan ladder")
    for person in (cast.priya, cast.paul):
        person.level = "PM"
        person.save()

    spring = open_cycle("Spring", version, days_ago=100)
    rate(
        spring,
        cast.priya,
        cast.marco,
        "manager",
        {"discovery": 1, "delivery": 3, "strategy": 2, "communication": 1, "analytics": 2},
    )
    rate(spring, cast.priya, cast.paul, "peer", {"discovery": 1})
    rate(spring, cast.priya, cast.dana, "peer", {"discovery": 2})
    rate(spring, cast.priya, cast.tariq, "peer", {"discovery": 2})

    practices = {
        "interviews": _practice(
            "discovery", "Weekly customer interview", PracticeKind.ON_THE_JOB, Effort.MEDIUM
        ),
        "shadow": _practice("discovery", "Shadow a researcher", PracticeKind.SHADOWING, Effort.LOW),
        "notes": _practice(
            "discovery", "Share interview notes", PracticeKind.ON_THE_JOB, Effort.LOW
        ),
        "book": _practice("discovery", "Read a discovery book", PracticeKind.READING, Effort.HIGH),
        "retired": _practice(
            "discovery", "An old course", PracticeKind.COURSE, Effort.LOW, active=False
        ),
        "pitch": _practice(
            "communication", "Pitch to the leadership team", PracticeKind.ON_THE_JOB, Effort.HIGH
        ),
    }
    return PlanStory(
        cast=cast,
        version=version,
        spring=spring,
        tariq_user=do_create_login("tariq", PASSWORD, Role.MANAGER, person=cast.tariq),
        cora_user=do_create_login("cora", PASSWORD, Role.VIEWER),
        practices=practices,
    )


def add_autumn(story: PlanStory, days_ago: int = 5) -> AssessmentCycle:
    autumn = open_cycle("Autumn", story.version, days_ago=days_ago)
    rate(
        autumn,
        story.cast.priya,
        story.cast.marco,
        "manager",
        {"discovery": 4, "delivery": 3, "strategy": 2, "communication": 2, "analytics": 1},
    )
    return autumn
