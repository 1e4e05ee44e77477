"""The cast in 1:1s, for the series, meeting, agenda and privacy stories.

Marco leads weekly 1:1s with Priya, who reports to him; Hana (admin) is Marco's manager.
Tariq, a tech lead with a member login, coaches Paul in a fortnightly coaching series;
Marco is Paul's manager but not in that series. Dana has a member login and no 1:1s,
Vera a viewer login. Priya has an active coaching plan with two open goals.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.coaching.actions import do_create_series
from productops.coaching.models import CoachingPlan, Goal, OneOnOneSeries
from tests.cast import PASSWORD, Cast, build_cast


@dataclass
class OneOnOneCast:
    cast: Cast
    tariq_user: User
    dana_user: User
    marco_priya: OneOnOneSeries
    tariq_paul: OneOnOneSeries
    priya_plan: CoachingPlan
    discovery: Goal  # no check-in yet: due
    delivery: Goal  # target far away; due too until checked in


def days(n: int) -> datetime.date:
    """A date n days from today (negative for the past)."""
    return timezone.localdate() + datetime.timedelta(days=n)


def build_one_on_one_cast() -> OneOnOneCast:
    cast = build_cast()
    tariq_user = do_create_login("tariq", PASSWORD, Role.MEMBER, person=cast.tariq)
    dana_user = do_create_login("dana", PASSWORD, Role.MEMBER, person=cast.dana)
    marco_priya = do_create_series(
        cast.marco_user,
        lead=cast.marco,
        report=cast.priya,
        kind=OneOnOneSeries.Kind.MANAGER,
        cadence="weekly",
        duration_minutes=30,
        start_date=days(-60),
    )
    tariq_paul = do_create_series(
        tariq_user,
        lead=cast.tariq,
        report=cast.paul,
        kind=OneOnOneSeries.Kind.COACH,
        cadence="fortnightly",
        duration_minutes=45,
        start_date=days(-60),
    )
    plan = CoachingPlan.objects.create(
        person=cast.priya,
        manager=cast.marco,
        title="Priya's plan",
        status=CoachingPlan.Status.ACTIVE,
    )
    discovery = Goal.objects.create(
        plan=plan,
        competency_key="discovery",
        competency_name="Product discovery",
        current_step=2.0,
        target_step=3,
        target_date=days(90),
        position=0,
    )
    delivery = Goal.objects.create(
        plan=plan,
        competency_key="delivery",
        competency_name="Delivery",
        current_step=2.5,
        target_step=3,
        target_date=days(120),
        position=1,
    )
    return OneOnOneCast(
        cast=cast,
        tariq_user=tariq_user,
        dana_user=dana_user,
        marco_priya=marco_priya,
        tariq_paul=tariq_paul,
        priya_plan=plan,
        discovery=discovery,
        delivery=delivery,
    )
