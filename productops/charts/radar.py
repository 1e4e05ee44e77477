"""Radar: one polygon per series (self, others, expected) on scale rings."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from productops.charts.svg import (
    FALLBACK,
    LINE,
    MUTED,
    SERIES_COLOURS,
    clip,
    empty_chart,
    esc,
    format_value,
    num,
    svg_document,
)


@dataclass(frozen=True)
class RadarSeries:
    label: str
    values: Sequence[float | None]  # one per axis; None: no value on that axis
    kind: str = ""  # "self", "others", "expected": picks the colour and the css hook
    dashed: bool = False


def _series_colour(kind: str, index: int) -> str:
    return SERIES_COLOURS.get(kind) or FALLBACK[index % len(FALLBACK)]


def radar_chart(
    axes: Sequence[str],
    series: Sequence[RadarSeries],
    *,
    steps: Sequence[int],
    title: str,
    description: str = "",
) -> SafeString:
    """A radar (spider) chart: one axis per label, one ring per step, one polygon per series.

    The centre is 0 and the outer ring the top step. A series draws its polygon through
    the axes where it has a value (skipping the others) and a dot with a tooltip at each;
    a series without any value draws nothing and says so in the legend.
    """
    if not axes or not steps:
        return empty_chart("radar", title, "Nothing to chart yet.")
    # wide enough that a 24-character axis label on the left or right stays inside
    width, height = 760.0, 500.0
    cx, cy, radius = 380.0, 235.0, 165.0
    top = max(steps)
    count = len(axes)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * max(0.0, min(value, top)) / top
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = [f'<g class="chart-grid" fill="none" stroke="{LINE}">']
    for step in sorted(steps):
        body.append(f'<circle cx="{num(cx)}" cy="{num(cy)}" r="{num(radius * step / top)}"/>')
    for index in range(count):
        x, y = point(index, top)
        body.append(f'<line x1="{num(cx)}" y1="{num(cy)}" x2="{num(x)}" y2="{num(y)}"/>')
    body.append("</g>")
    body.append(f'<g class="chart-scale" font-size="10" fill="{MUTED}">')
    for step in sorted(steps):
        # on the bisector of the first two axes, clear of the top axis label
        r = radius * step / top
        angle = -math.pi / 2 + math.pi / count
        body.append(
            f'<text x="{num(cx + r * math.cos(angle) + 2)}" y="{num(cy + r * math.sin(angle) - 2)}">'
            f"{esc(step)}</text>"
        )
    body.append("</g>")
    body.append('<g class="chart-axes">')
    for index, label in enumerate(axes):
        x, y = point(index, top * 1.09)
        anchor = "middle" if abs(x - cx) < 8 else ("start" if x > cx else "end")
        baseline = y + 4 if abs(y - cy) < radius * 0.5 else (y + 10 if y > cy else y - 6)
        body.append(
            f'<text x="{num(x)}" y="{num(baseline)}" text-anchor="{anchor}">'
            f"<title>{esc(label)}</title>{esc(clip(label, 24))}</text>"
        )
    body.append("</g>")

    legend: list[str] = []
    for index, entry in enumerate(series):
        colour = _series_colour(entry.kind, index)
        present = [(i, v) for i, v in enumerate(entry.values[:count]) if v is not None]
        css = f"chart-series chart-{esc(entry.kind)}" if entry.kind else "chart-series"
        dash = ' stroke-dasharray="6 4"' if entry.dashed else ""
        if present:
            points = " ".join(f"{num(x)},{num(y)}" for x, y in (point(i, v) for i, v in present))
            body.append(
                f'<polygon class="{css}" points="{points}" fill="{colour}" fill-opacity="0.12" '
                f'stroke="{colour}" stroke-width="2"{dash}/>'
            )
            body.append(f'<g class="chart-dots" fill="{colour}">')
            for i, value in present:
                x, y = point(i, value)
                body.append(
                    f'<circle cx="{num(x)}" cy="{num(y)}" r="3.5">'
                    f"<title>{esc(axes[i])} — {esc(entry.label)}: {esc(format_value(value))}</title></circle>"
                )
            body.append("</g>")
        lx = 120 + index * 185
        ly = height - 26
        name = entry.label if present else f"{entry.label} (none)"
        legend.append(
            f'<line x1="{num(lx)}" y1="{num(ly)}" x2="{num(lx + 26)}" y2="{num(ly)}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{num(lx + 32)}" y="{num(ly + 4)}">{esc(name)}</text>'
        )
    body.append('<g class="chart-legend">' + "".join(legend) + "</g>")

    lines = []
    for index, label in enumerate(axes):
        parts = []
        for entry in series:
            given = entry.values[index] if index < len(entry.values) else None
            parts.append(f"{entry.label} {format_value(given) if given is not None else 'none'}")
        lines.append(f"{label}: {', '.join(parts)}.")
    desc = " ".join(filter(None, [description, f"Scale {min(steps)} to {top}.", *lines]))
    return svg_document("radar", width, height, title, desc, body)
