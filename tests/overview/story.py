"""The overview story: the gap story (Priya's and Paul's gaps in cycle H2) with coaching
and discovery on top.

Priya has an active plan with one goal past its date ("Discovery", from 2.3 to 3) and one
ahead ("Delivery", 3.0 to 4 in 60 days), and a weekly 1:1 with Marco that started 60 days
ago and was never held (lapsed), with one planned in two days. Paul has no plan and no 1:1
series. Checkout (Priya's team) met a customer five days ago, Priya taking part.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from productops.coaching.models import CoachingPlan, Goal, OneOnOne, OneOnOneSeries
from productops.discovery.models import Touchpoint
from tests.cast import Cast
from tests.competencies.gap_story import build_gap_story


@dataclass
class OverviewStory:
    cast: Cast
    plan: CoachingPlan
    series: OneOnOneSeries
    next_meeting: OneOnOne


def build_overview_story() -> OverviewStory:
    c = build_gap_story().cast
    today = timezone.localdate()
    plan = CoachingPlan.objects.create(
        person=c.priya, manager=c.marco, title="Priya's discovery year", status="active"
    )
    Goal.objects.create(
        plan=plan,
        competency_key="discovery",
        competency_name="Discovery",
        current_step=2.3,
        target_step=3,
        target_date=today - dt.timedelta(days=3),
    )
    Goal.objects.create(
        plan=plan,
        competency_key="delivery",
        competency_name="Delivery",
        current_step=3.0,
        target_step=4,
        target_date=today + dt.timedelta(days=60),
        position=1,
    )
    series = OneOnOneSeries.objects.create(
        lead=c.marco, report=c.priya, start_date=today - dt.timedelta(days=60)
    )
    next_meeting = OneOnOne.objects.create(series=series, date=today + dt.timedelta(days=2))
    met = Touchpoint.objects.create(
        team=c.checkout, date=today - dt.timedelta(days=5), kind="interview"
    )
    met.participants.add(c.priya)
    return OverviewStory(cast=c, plan=plan, series=series, next_meeting=next_meeting)
