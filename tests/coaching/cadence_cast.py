"""1:1 series for the cast, with histories that put each one in a known cadence health.

Dates are relative to `today`, so the stories hold on any day the suite runs:

- Marco & Priya, weekly 30 min since eight weeks ago, held every week, the last one a
  week ago, the next one planned for today: on cadence, nothing missed.
- Marco & Paul, fortnightly 45 min since 120 days ago, held twice at the start, nothing
  since: lapsed.
- Hana & Marco, monthly 60 min since 100 days ago, last held 20 days ago: on cadence.
- Hana & Dana, weekly 30 min since 40 days ago, last held 12 days ago: overdue (due five
  days ago), not yet lapsed.

Tariq reports to Hana and has no series with her.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from productops.coaching.models import OneOnOne, OneOnOneSeries
from tests.cast import Cast


@dataclass
class CadenceStory:
    today: date
    marco_priya: OneOnOneSeries
    marco_paul: OneOnOneSeries
    hana_marco: OneOnOneSeries
    hana_dana: OneOnOneSeries
    priya_next: OneOnOne


def _series(lead, report, cadence: str, minutes: int, start: date, kind: str = "manager"):
    return OneOnOneSeries.objects.create(
        lead=lead,
        report=report,
        kind=kind,
        cadence=cadence,
        duration_minutes=minutes,
        start_date=start,
    )


def _held(series: OneOnOneSeries, *days: date) -> None:
    OneOnOne.objects.bulk_create(
        OneOnOne(series=series, date=day, status=OneOnOne.Status.HELD) for day in days
    )


def build_cadence_story(cast: Cast, today: date) -> CadenceStory:
    ago = lambda days: today - timedelta(days=days)  # noqa: E731
    marco_priya = _series(cast.marco, cast.priya, "weekly", 30, ago(56))
    _held(marco_priya, *(ago(days) for days in range(56, 0, -7)))
    priya_next = OneOnOne.objects.create(series=marco_priya, date=today)
    marco_paul = _series(cast.marco, cast.paul, "fortnightly", 45, ago(120))
    _held(marco_paul, ago(120), ago(106))
    hana_marco = _series(cast.hana, cast.marco, "monthly", 60, ago(100))
    _held(hana_marco, ago(20))
    hana_dana = _series(cast.hana, cast.dana, "weekly", 30, ago(40))
    _held(hana_dana, ago(12))
    return CadenceStory(
        today=today,
        marco_priya=marco_priya,
        marco_paul=marco_paul,
        hana_marco=hana_marco,
        hana_dana=hana_dana,
        priya_next=priya_next,
    )
