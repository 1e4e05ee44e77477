"""Distribution: per row, a bar per step sized by its count, and the median."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from productops.charts.svg import (
    INK,
    LINE,
    MUTED,
    STEP_SHADES,
    clip,
    empty_chart,
    esc,
    format_value,
    num,
    svg_document,
)


@dataclass(frozen=True)
class DistributionRow:
    label: str
    counts: Sequence[int]  # one per step
    median: float | None = None
    note: str = ""  # drawn instead of the bars, e.g. why they are withheld


def _step_x(value: float, steps: Sequence[int], x0: float, col_w: float) -> float:
    """Where a (fractional) step value falls on the step columns."""
    ordered = list(steps)
    if value <= ordered[0]:
        return x0 + col_w / 2
    for index in range(len(ordered) - 1):
        low, high = ordered[index], ordered[index + 1]
        if low <= value <= high:
            share = (value - low) / (high - low)
            return x0 + col_w * (index + share) + col_w / 2
    return x0 + col_w * (len(ordered) - 1) + col_w / 2


def distribution(
    steps: Sequence[int],
    rows: Sequence[DistributionRow],
    *,
    title: str,
    unit: str = "people",
    description: str = "",
) -> SafeString:
    """One row per label; in each step's column a bar as long as its count; the median as a
    marker above the bars.

    Bars share one length scale across the chart, so rows can be compared.
    """
    if not rows or not steps:
        return empty_chart("distribution", title, "Nothing to chart yet.")
    label_w, col_w, row_h, head_h = 190.0, 70.0, 32.0, 30.0
    width = max(label_w + col_w * len(steps) + 20, 480.0)
    grid_h = row_h * len(rows)
    height = head_h + grid_h + 34
    most = max((max(row.counts, default=0) for row in rows if not row.note), default=0) or 1
    body = [f'<g class="chart-steps" font-size="11" fill="{MUTED}">']
    for index, step in enumerate(steps):
        x = label_w + col_w * index
        body.append(
            f'<text x="{num(x + col_w / 2)}" y="{num(head_h - 10)}" text-anchor="middle">'
            f"step {esc(step)}</text>"
            f'<line x1="{num(x)}" y1="{num(head_h - 4)}" x2="{num(x)}" y2="{num(head_h + grid_h)}" '
            f'stroke="{LINE}"/>'
        )
    body.append("</g>")
    lines = []
    for row_index, row in enumerate(rows):
        y = head_h + row_h * row_index
        parts = [
            f'<text x="{num(label_w - 8)}" y="{num(row_h / 2 + 6)}" text-anchor="end">'
            f"<title>{esc(row.label)}</title>{esc(clip(row.label, 28))}</text>"
        ]
        if row.note:
            parts.append(
                f'<rect x="{num(label_w + 1)}" y="6" width="{num(len(row.note) * 6.4 + 10)}" '
                f'height="20" fill="#ffffff"/>'
                f'<text x="{num(label_w + 6)}" y="{num(row_h / 2 + 6)}" fill="{MUTED}">'
                f"{esc(row.note)}</text>"
            )
            lines.append(f"{row.label}: {row.note}.")
        else:
            said = []
            for index, (step, count) in enumerate(zip(steps, row.counts, strict=False)):
                if not count:
                    continue
                x = label_w + col_w * index + 6
                bar = max((col_w - 32) * count / most, 2)
                shade = STEP_SHADES[min(index, len(STEP_SHADES) - 1)]
                parts.append(
                    f'<rect class="chart-bar" x="{num(x)}" y="13" width="{num(bar)}" height="13" '
                    f'fill="{shade}"><title>{esc(row.label)} — step {esc(step)}: {count} '
                    f"{esc(unit)}</title></rect>"
                    f'<text x="{num(x + bar + 3)}" y="24" font-size="10">{count}</text>'
                )
                said.append(f"{count} at step {step}")
            if row.median is not None:
                mx = _step_x(row.median, steps, label_w, col_w)
                parts.append(
                    f'<path class="chart-median" d="M{num(mx - 5)} 3h10l-5 7z" fill="{INK}">'
                    f"<title>{esc(row.label)} — median {esc(format_value(row.median))}</title></path>"
                )
            median = f"; median {format_value(row.median)}" if row.median is not None else ""
            lines.append(f"{row.label}: {', '.join(said) or f'no {unit}'}{median}.")
        body.append(f'<g class="chart-row" transform="translate(0 {num(y)})">{"".join(parts)}</g>')
    legend_y = head_h + grid_h + 20
    body.append(
        f'<g class="chart-legend" font-size="11"><path d="M{num(label_w - 5)} {num(legend_y - 9)}'
        f'h10l-5 7z" fill="{INK}"/><text x="{num(label_w + 10)}" y="{num(legend_y)}">'
        f"median; bars: {esc(unit)} per step of their consensus</text></g>"
    )
    desc = " ".join(filter(None, [description, *lines]))
    return svg_document("distribution", width, height, title, desc, body)
