"""The CEO/CPO check story, on top of the cast, with the numbers worked out by hand.

"Q2 priorities" (90 days ago, started by Hana): Hana and Priya rank four priorities in
opposite orders, so tau = -1.

    Enterprise SSO   Hana 1  Priya 4   spread 3
    Mobile checkout  Hana 2  Priya 3   spread 1
    Pricing page     Hana 3  Priya 2   spread 1
    Data export      Hana 4  Priya 1   spread 3

"Q3 priorities" (today, started by Marco, a manager who does not take part): Hana (admin)
and Priya (member) take part; by default it is compared with Q2, the most recent check
sharing a priority. With `rank_q3` both rank it:

    Enterprise SSO   Hana 1  Priya 2   spread 1 (was 3: -2)
    Mobile checkout  Hana 2  Priya 1   spread 1 (was 1: 0)
    Pricing page     Hana 3  Priya 3   spread 0 (was 1: -1)
    Search relevance Hana 4  Priya 5   spread 1
    Onboarding       Hana 5  Priya 4   spread 1

    10 pairs, 2 discordant (SSO-Mobile, Search-Onboarding): tau = (8 - 2) / 10 = 0.6,
    "moderate agreement"; 1.6 more than in Q2, between the same people.

Ada is a second admin who takes part in neither check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.strategy.actions import do_create_check, do_submit_ranking
from productops.strategy.models import PriorityCheck
from tests.cast import PASSWORD, Cast, build_cast

Q2 = ["Enterprise SSO", "Mobile checkout", "Pricing page", "Data export"]
Q3 = ["Enterprise SSO", "Mobile checkout", "Pricing page", "Search relevance", "Onboarding"]
HANA_Q3 = [1, 2, 3, 4, 5]
PRIYA_Q3 = [2, 1, 3, 5, 4]


@dataclass
class CheckStory:
    cast: Cast
    ada_user: User
    q2: PriorityCheck
    q3: PriorityCheck


def rank(user: User, check: PriorityCheck, ranks: list[int]) -> None:
    """Rank a check's priorities in their order: the n-th rank for the n-th priority."""
    ids = list(check.priorities.order_by("position").values_list("pk", flat=True))
    do_submit_ranking(user, check, dict(zip(ids, ranks, strict=True)))


def build_check_story() -> CheckStory:
    cast = build_cast()
    ada = do_create_login("ada", PASSWORD, Role.ADMIN)
    q2 = do_create_check(
        cast.hana_user,
        title="Q2 priorities",
        priorities=Q2,
        participants=[cast.hana_user, cast.priya_user],
        previous=None,
    )
    PriorityCheck.objects.filter(pk=q2.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    rank(cast.hana_user, q2, [1, 2, 3, 4])
    rank(cast.priya_user, q2, [4, 3, 2, 1])
    q3 = do_create_check(
        cast.marco_user,
        title="Q3 priorities",
        priorities="\n".join(Q3),
        participants=[cast.hana_user, cast.priya_user],
    )
    return CheckStory(cast=cast, ada_user=ada, q2=q2, q3=q3)


def rank_q3(story: CheckStory) -> None:
    rank(story.cast.hana_user, story.q3, HANA_Q3)
    rank(story.cast.priya_user, story.q3, PRIYA_Q3)
