"""The gap analysis as charts: a person's radar, a group's heatmap and distribution.

Turns `gaps` results into the generic builders of `productops.reports.charts`, so the
page, the API's consumers and the reports (HTML and PDF) draw the very same SVG. Pure:
callers pass results that privacy already trimmed (`visibility.visible_group_gaps`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.safestring import SafeString

from productops import charts
from productops.competencies.gaps import (
    CompetencyDistribution,
    CompetencyFact,
    CompetencyGap,
    PersonGaps,
    shown,
)

HEATMAP_LIMIT = 2.0  # a gap of 2 steps or more takes the full colour


def person_radar(result: PersonGaps) -> SafeString:
    """Self, others (the consensus of manager and peers) and expected, per competency."""
    rows = result.rows
    return charts.radar_chart(
        [row.name for row in rows],
        [
            charts.RadarSeries("Self", [row.self_score for row in rows], kind="self"),
            charts.RadarSeries("Others (consensus)", [row.others for row in rows], kind="others"),
            charts.RadarSeries(
                "Expected", [row.expected for row in rows], kind="expected", dashed=True
            ),
        ],
        steps=result.steps or _steps_from(rows),
        title=f"{result.person.name}: self, others and expected per competency",
    )


def _steps_from(rows: Sequence[CompetencyGap]) -> list[int]:
    values = [
        value
        for row in rows
        for value in (row.self_score, row.others, row.expected)
        if value is not None
    ]
    return list(range(1, int(max(values, default=5)) + 1))


def cell_title(person: str, row: CompetencyGap, threshold: int) -> str:
    peers = f"peers {row.peers_cell(threshold)}"
    return (
        f"{person} — {row.name}: gap {shown(row.gap, signed=True)} "
        f"(expected {shown(row.expected)}, consensus {shown(row.consensus)}; "
        f"self {shown(row.self_score)}, manager {shown(row.manager_score)}, {peers})"
    )


def group_heatmap(
    results: Sequence[PersonGaps],
    competencies: Sequence[CompetencyFact],
    *,
    title: str,
    href: Callable[[int], str] | None = None,
) -> SafeString:
    """People × competencies coloured by gap; warm means below expectation."""
    rows = []
    for result in results:
        by_key = {row.key: row for row in result.rows}
        cells = []
        for competency in competencies:
            row = by_key.get(competency.key)
            if row is None:
                cells.append(charts.HeatmapCell(None, "", f"{result.person.name} — not rated"))
                continue
            cells.append(
                charts.HeatmapCell(
                    row.gap,
                    shown(row.gap, signed=True) if row.gap is not None else "",
                    cell_title(result.person.name, row, result.peer_threshold),
                )
            )
        rows.append(
            charts.HeatmapRow(
                result.person.name, cells, href=href(result.person.id) if href else None
            )
        )
    return charts.heatmap(
        [competency.name for competency in competencies],
        rows,
        title=title,
        limit=HEATMAP_LIMIT,
        description="Gap = expected step − consensus; positive (warm) is below expectation.",
    )


def group_distribution(
    distribution: Sequence[CompetencyDistribution],
    steps: Sequence[int],
    *,
    title: str,
    min_people: int = 3,
) -> SafeString:
    """Per competency, people per step; a withheld competency says why instead."""
    rows = [
        charts.DistributionRow(
            entry.name,
            entry.counts,
            entry.median,
            # Counted without the people whose values the viewer knows (themselves too).
            note=f"withheld: fewer than {min_people} other people" if entry.hidden else "",
        )
        for entry in distribution
    ]
    return charts.distribution(
        steps,
        rows,
        title=title,
        description="People per step of their consensus score, rounded to the nearest step.",
    )
