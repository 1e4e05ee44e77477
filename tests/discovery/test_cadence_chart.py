"""The cadence grid: one row per team, one cell per ISO week, escaped text."""

from __future__ import annotations

from datetime import date

from productops.discovery.cadence import TouchpointFact, team_cadence
from productops.discovery.cadence_chart import COUNT_SHADES, cadence_grid, count_shade


def cadence_of(name, facts, today=date(2021, 1, 6)):
    return team_cadence(1, name, facts, start=date(2020, 12, 21), end=date(2021, 1, 6), today=today)


def interview(day):
    return TouchpointFact(date=day, kind="interview", member_roles=frozenset({"engineer"}))


def test_cells_are_filled_when_the_week_counted_and_shaded_by_count():
    busy = cadence_of(
        "<Checkout & Co>", [interview(date(2020, 12, 29)), interview(date(2020, 12, 31))]
    )
    quiet = cadence_of("Search", [])
    svg = str(cadence_grid([busy, quiet], href=lambda c: f"/t/{c.team_name}"))
    assert svg.count('class="chart-cell cad-counted"') == 1
    assert svg.count('class="chart-cell cad-empty"') == 5
    assert f'fill="{COUNT_SHADES[1]}"' in svg  # two touchpoints in 2020-W53
    assert "&lt;Checkout &amp; Co&gt;" in svg and "<Checkout" not in svg
    assert "2020-W53" in svg and "2021-W01" in svg
    assert "this week, still running" in svg  # 6 January 2021 is in 2021-W01
    assert "1 of 6 team-weeks" in svg


def test_shades_and_the_empty_chart():
    assert count_shade(0) != count_shade(1) != count_shade(2) != count_shade(3)
    assert count_shade(9) == count_shade(3)
    assert "No team to show yet" in str(cadence_grid([]))
