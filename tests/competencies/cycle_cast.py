"""The cast in an assessment cycle, for the cycle, rating and privacy stories.

Hana (admin) opens "H1 review" for Priya and Paul on a three-competency model, due in two
weeks, asking self, manager and peer ratings. Marco, their manager, is asked for a manager
rating of each. Priya's peers: Paul, nominated by Marco (so asked at once), and Dana, who
gets a login here, nominated by Priya herself and approved by Marco.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.competencies.actions import (
    do_decide_nomination,
    do_nominate_peer,
    do_open_cycle,
    do_save_ratings,
    do_submit_request,
)
from productops.competencies.models import (
    AssessmentCycle,
    AssessmentRequest,
    ModelVersion,
    RaterKind,
)
from tests.cast import PASSWORD, Cast, build_cast
from tests.competencies.factories import make_model_version

KEYS = ("discovery", "delivery", "strategy")


@dataclass
class CycleCast:
    cast: Cast
    dana_user: User
    version: ModelVersion
    cycle: AssessmentCycle
    priya_self: AssessmentRequest
    paul_self: AssessmentRequest
    marco_on_priya: AssessmentRequest
    marco_on_paul: AssessmentRequest
    paul_on_priya: AssessmentRequest  # a peer request
    dana_on_priya: AssessmentRequest  # another peer request


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def build_cycle_cast() -> CycleCast:
    cast = build_cast()
    dana_user = do_create_login("dana", PASSWORD, Role.MEMBER, person=cast.dana)
    version = make_model_version(keys=KEYS)
    cycle = do_open_cycle(
        cast.hana_user,
        name="H1 review",
        version=version,
        subjects=[cast.priya, cast.paul],
        due_date=in_days(14),
        rater_kinds=list(RaterKind.values),
    )
    paul_on_priya = do_nominate_peer(cast.marco_user, cycle, cast.priya, cast.paul)
    dana_on_priya = do_nominate_peer(cast.priya_user, cycle, cast.priya, cast.dana)
    do_decide_nomination(cast.marco_user, dana_on_priya, approve=True)

    def request(subject, rater, kind):
        return AssessmentRequest.objects.get(cycle=cycle, subject=subject, rater=rater, kind=kind)

    return CycleCast(
        cast=cast,
        dana_user=dana_user,
        version=version,
        cycle=cycle,
        priya_self=request(cast.priya, cast.priya, RaterKind.SELF),
        paul_self=request(cast.paul, cast.paul, RaterKind.SELF),
        marco_on_priya=request(cast.priya, cast.marco, RaterKind.MANAGER),
        marco_on_paul=request(cast.paul, cast.marco, RaterKind.MANAGER),
        paul_on_priya=paul_on_priya,
        dana_on_priya=dana_on_priya,
    )


def answer_all(user, request: AssessmentRequest, score: int = 3, *, submit: bool = True) -> None:
    """The rater gives every competency the same score, with evidence, and submits."""
    do_save_ratings(
        user, request, {key: (score, False, f"{key}: a concrete example") for key in KEYS}
    )
    if submit:
        do_submit_request(user, request)
