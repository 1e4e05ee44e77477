"""Charts drawn on the server as SVG: the same string serves the page, the PDF and the HTML
report.

Each builder is pure (plain values in, no database, no settings, no clock) and
deterministic (the same input gives the same bytes), and returns safe markup ready for
a template. The SVG stands alone: colours are SVG presentation attributes (`fill`,
`stroke`), which our Content Security Policy allows, never inline `style` and never a
`<style>` element; the `chart-*` classes are hooks for the stylesheet only.

Every chart is accessible: `role="img"` with an `aria-label`, a `<title>`, a `<desc>`
holding a text alternative of the whole chart, and a `<title>` tooltip on each mark.

- `radar_chart`: one polygon per series (self, others, expected) on scale rings.
- `heatmap`: rows × columns of cells coloured on a diverging scale, with a legend.
- `distribution`: per row, a bar per step sized by its count, and the median.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif"
INK = "#1d2430"
MUTED = "#5b6577"
LINE = "#d9dee7"
NO_DATA = "#eceef2"

# Series colours by kind; a kind not listed takes the next colour of FALLBACK.
SERIES_COLOURS = {"self": "#2f5bd3", "others": "#1f7a4a", "expected": "#a86400"}
FALLBACK = ("#7b3fb0", "#b3261e", "#2f6fb0", "#5b6577")
# Diverging scale: cool (negative) through neutral to warm (positive).
COOL = (47, 111, 176)
NEUTRAL = (243, 244, 246)
WARM = (179, 38, 30)
# Sequential shades for distribution bars, light to dark.
STEP_SHADES = ("#c7d4f5", "#a3b8ee", "#7f9be6", "#5b7fde", "#3c63c9", "#2a4aa3", "#1d3577")


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(value: float) -> str:
    """Coordinates with one decimal, no "-0.0", no trailing ".0"."""
    text = f"{value:.1f}"
    if text == "-0.0":
        text = "0.0"
    return text[:-2] if text.endswith(".0") else text


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(kind: str, width: float, height: float, title: str, desc: str, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="{SVG_NS}" class="chart chart-{kind}" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{_e(title)}" '
        f'font-family="{FONT}" font-size="12" fill="{INK}">'
        f"<title>{_e(title)}</title><desc>{_e(desc)}</desc>"
    )
    # Safe: every piece of text that went into the body was escaped with _e.
    return mark_safe(head + "".join(body) + "</svg>")


def _empty(kind: str, title: str, message: str) -> SafeString:
    return _svg(
        kind,
        480,
        60,
        title,
        message,
        [f'<text x="240" y="35" text-anchor="middle" fill="{MUTED}">{_e(message)}</text>'],
    )


# ---------------------------------------------------------------------------------------
# Radar
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadarSeries:
    label: str
    values: Sequence[float | None]  # one per axis; None: no value on that axis
    kind: str = ""  # "self", "others", "expected": picks the colour and the css hook
    dashed: bool = False


def _series_colour(kind: str, index: int) -> str:
    return SERIES_COLOURS.get(kind) or FALLBACK[index % len(FALLBACK)]


def _shown(value: float) -> str:
    return f"{round(value, 2):.2f}".rstrip("0").rstrip(".")


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
        return _empty("radar", title, "Nothing to chart yet.")
    width, height = 600.0, 520.0
    cx, cy, radius = 300.0, 240.0, 165.0
    top = max(steps)
    count = len(axes)

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        r = radius * max(0.0, min(value, top)) / top
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    body = [f'<g class="chart-grid" fill="none" stroke="{LINE}">']
    for step in sorted(steps):
        body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius * step / top)}"/>')
    for index in range(count):
        x, y = point(index, top)
        body.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}"/>')
    body.append("</g>")
    body.append(f'<g class="chart-scale" font-size="10" fill="{MUTED}">')
    for step in sorted(steps):
        body.append(
            f'<text x="{_n(cx + 3)}" y="{_n(cy - radius * step / top - 2)}">{_e(step)}</text>'
        )
    body.append("</g>")
    body.append('<g class="chart-axes">')
    for index, label in enumerate(axes):
        x, y = point(index, top * 1.09)
        anchor = "middle" if abs(x - cx) < 8 else ("start" if x > cx else "end")
        baseline = y + 4 if abs(y - cy) < radius * 0.5 else (y + 10 if y > cy else y - 2)
        body.append(
            f'<text x="{_n(x)}" y="{_n(baseline)}" text-anchor="{anchor}">'
            f"<title>{_e(label)}</title>{_e(_clip(label, 24))}</text>"
        )
    body.append("</g>")

    legend: list[str] = []
    for index, entry in enumerate(series):
        colour = _series_colour(entry.kind, index)
        present = [(i, v) for i, v in enumerate(entry.values[:count]) if v is not None]
        css = f"chart-series chart-{_e(entry.kind)}" if entry.kind else "chart-series"
        dash = ' stroke-dasharray="6 4"' if entry.dashed else ""
        if present:
            points = " ".join(f"{_n(x)},{_n(y)}" for x, y in (point(i, v) for i, v in present))
            body.append(
                f'<polygon class="{css}" points="{points}" fill="{colour}" fill-opacity="0.12" '
                f'stroke="{colour}" stroke-width="2"{dash}/>'
            )
            body.append(f'<g class="chart-dots" fill="{colour}">')
            for i, value in present:
                x, y = point(i, value)
                body.append(
                    f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5">'
                    f"<title>{_e(axes[i])} — {_e(entry.label)}: {_e(_shown(value))}</title></circle>"
                )
            body.append("</g>")
        lx = 40 + index * 185
        ly = height - 26
        name = entry.label if present else f"{entry.label} (none)"
        legend.append(
            f'<line x1="{_n(lx)}" y1="{_n(ly)}" x2="{_n(lx + 26)}" y2="{_n(ly)}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
            f'<text x="{_n(lx + 32)}" y="{_n(ly + 4)}">{_e(name)}</text>'
        )
    body.append('<g class="chart-legend">' + "".join(legend) + "</g>")

    lines = []
    for index, label in enumerate(axes):
        parts = []
        for entry in series:
            value = entry.values[index] if index < len(entry.values) else None
            parts.append(f"{entry.label} {_shown(value) if value is not None else 'none'}")
        lines.append(f"{label}: {', '.join(parts)}.")
    desc = " ".join(filter(None, [description, f"Scale {min(steps)} to {top}.", *lines]))
    return _svg("radar", width, height, title, desc, body)


# ---------------------------------------------------------------------------------------
# Heatmap
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatmapCell:
    value: float | None  # what colours the cell; None: no data
    text: str = ""  # printed inside the cell
    title: str = ""  # the tooltip, with the numbers


@dataclass(frozen=True)
class HeatmapRow:
    label: str
    cells: Sequence[HeatmapCell]
    href: str | None = None


def diverging_colour(value: float | None, limit: float) -> str:
    """Neutral at 0, warm above, cool below, full colour at ±limit and beyond."""
    if value is None:
        return NO_DATA
    share = min(abs(value) / limit, 1.0) if limit > 0 else 1.0
    end = WARM if value > 0 else COOL
    rgb = (round(a + (b - a) * share) for a, b in zip(NEUTRAL, end, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def _ink_on(value: float | None, limit: float) -> str:
    return "#ffffff" if value is not None and abs(value) >= limit * 0.6 else INK


def heatmap(
    columns: Sequence[str],
    rows: Sequence[HeatmapRow],
    *,
    title: str,
    limit: float = 2.0,
    low_label: str = "above expectation",
    high_label: str = "below expectation",
    description: str = "",
) -> SafeString:
    """Rows × columns of cells coloured on a diverging scale (±limit), with a legend.

    Row labels link to `href` when given. Each cell carries its `title` as a tooltip.
    """
    if not rows or not columns:
        return _empty("heatmap", title, "No one to show yet.")
    label_w, col_w, row_h, head_h = 190.0, 58.0, 22.0, 118.0
    width = max(label_w + col_w * len(columns) + 20, 520.0)
    grid_h = row_h * len(rows)
    height = head_h + grid_h + 70
    body = [f'<g class="chart-columns" font-size="11">']
    for index, label in enumerate(columns):
        x = label_w + col_w * index + col_w / 2
        y = head_h - 8
        body.append(
            f'<text x="{_n(x)}" y="{_n(y)}" transform="rotate(-40 {_n(x)} {_n(y)})">'
            f"<title>{_e(label)}</title>{_e(_clip(label, 22))}</text>"
        )
    body.append("</g>")
    body.append('<g class="chart-cells" font-size="10">')
    for row_index, row in enumerate(rows):
        y = head_h + row_h * row_index
        label = f'<text x="{_n(label_w - 8)}" y="{_n(row_h / 2 + 4)}" text-anchor="end">'
        label += f"<title>{_e(row.label)}</title>{_e(_clip(row.label, 28))}</text>"
        if row.href:
            label = f'<a href="{_e(row.href)}">{label}</a>'
        cells = []
        for index, cell in enumerate(row.cells[: len(columns)]):
            x = label_w + col_w * index
            tip = f"<title>{_e(cell.title)}</title>" if cell.title else ""
            cells.append(
                f'<rect class="chart-cell" x="{_n(x + 1)}" y="1" width="{_n(col_w - 2)}" '
                f'height="{_n(row_h - 2)}" fill="{diverging_colour(cell.value, limit)}">'
                f"{tip}</rect>"
            )
            if cell.text:
                cells.append(
                    f'<text x="{_n(x + col_w / 2)}" y="{_n(row_h / 2 + 3.5)}" '
                    f'text-anchor="middle" fill="{_ink_on(cell.value, limit)}" '
                    f'pointer-events="none">{_e(cell.text)}</text>'
                )
        body.append(
            f'<g class="chart-row" transform="translate(0 {_n(y)})">{label}{"".join(cells)}</g>'
        )
    body.append("</g>")
    body.append(_heatmap_legend(label_w, head_h + grid_h + 22, limit, low_label, high_label))

    coloured = [cell.value for row in rows for cell in row.cells if cell.value is not None]
    high = sum(1 for value in coloured if value >= 1)
    low = sum(1 for value in coloured if value <= -1)
    summary = (
        f"{len(rows)} rows by {len(columns)} columns ({', '.join(columns)}). "
        f"{high} cells {high_label} by 1 or more, {low} cells {low_label} by 1 or more, "
        f"{sum(len(row.cells) for row in rows) - len(coloured)} without data. "
        "Each cell's tooltip gives its numbers."
    )
    desc = " ".join(filter(None, [description, summary]))
    return _svg("heatmap", width, height, title, desc, body)


def _heatmap_legend(x0: float, y0: float, limit: float, low: str, high: str) -> str:
    stops = [-limit, -limit / 2, 0.0, limit / 2, limit]
    parts = ['<g class="chart-legend" font-size="11">']
    parts.append(f'<text x="{_n(x0 - 8)}" y="{_n(y0 + 14)}" text-anchor="end">← {_e(low)}</text>')
    for index, value in enumerate(stops):
        x = x0 + index * 46
        sign = "+" if value > 0 else ""
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(y0)}" width="44" height="20" '
            f'fill="{diverging_colour(value, limit)}"/>'
            f'<text x="{_n(x + 22)}" y="{_n(y0 + 14)}" text-anchor="middle" '
            f'fill="{_ink_on(value, limit)}">{sign}{_e(_shown(value))}</text>'
        )
    end = x0 + len(stops) * 46
    parts.append(f'<text x="{_n(end + 6)}" y="{_n(y0 + 14)}">{_e(high)} →</text>')
    parts.append(
        f'<rect x="{_n(x0)}" y="{_n(y0 + 26)}" width="44" height="14" fill="{NO_DATA}"/>'
        f'<text x="{_n(x0 + 50)}" y="{_n(y0 + 37)}" fill="{MUTED}">no data</text>'
    )
    parts.append("</g>")
    return "".join(parts)


# ---------------------------------------------------------------------------------------
# Distribution
# ---------------------------------------------------------------------------------------


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
    """One row per label; in each step's column a bar as long as its count, and the median.

    Bars share one length scale across the chart, so rows can be compared.
    """
    if not rows or not steps:
        return _empty("distribution", title, "Nothing to chart yet.")
    label_w, col_w, row_h, head_h = 190.0, 70.0, 28.0, 34.0
    width = max(label_w + col_w * len(steps) + 20, 480.0)
    height = head_h + row_h * len(rows) + 34
    most = max((max(row.counts, default=0) for row in rows if not row.note), default=0) or 1
    body = [f'<g class="chart-steps" font-size="11" fill="{MUTED}">']
    for index, step in enumerate(steps):
        x = label_w + col_w * index
        body.append(
            f'<text x="{_n(x + col_w / 2)}" y="{_n(head_h - 12)}" text-anchor="middle">'
            f"step {_e(step)}</text>"
            f'<line x1="{_n(x)}" y1="{_n(head_h - 4)}" x2="{_n(x)}" '
            f'y2="{_n(head_h + row_h * len(rows))}" stroke="{LINE}"/>'
        )
    body.append("</g>")
    lines = []
    for row_index, row in enumerate(rows):
        y = head_h + row_h * row_index
        parts = [
            f'<text x="{_n(label_w - 8)}" y="{_n(row_h / 2 + 4)}" text-anchor="end">'
            f"<title>{_e(row.label)}</title>{_e(_clip(row.label, 28))}</text>"
        ]
        if row.note:
            parts.append(
                f'<text x="{_n(label_w + 6)}" y="{_n(row_h / 2 + 4)}" fill="{MUTED}">'
                f"{_e(row.note)}</text>"
            )
            lines.append(f"{row.label}: {row.note}.")
        else:
            said = []
            for index, (step, count) in enumerate(zip(steps, row.counts, strict=False)):
                if not count:
                    continue
                x = label_w + col_w * index + 4
                bar = (col_w - 26) * count / most
                shade = STEP_SHADES[min(index, len(STEP_SHADES) - 1)]
                parts.append(
                    f'<rect class="chart-bar" x="{_n(x)}" y="{_n(row_h / 2 - 6)}" '
                    f'width="{_n(max(bar, 2))}" height="12" fill="{shade}">'
                    f"<title>{_e(row.label)} — step {_e(step)}: {count} {_e(unit)}</title></rect>"
                    f'<text x="{_n(x + max(bar, 2) + 3)}" y="{_n(row_h / 2 + 4)}" '
                    f'font-size="10">{count}</text>'
                )
                said.append(f"{count} at step {step}")
            if row.median is not None:
                mx = _step_x(row.median, steps, label_w, col_w)
                parts.append(
                    f'<line class="chart-median" x1="{_n(mx)}" y1="2" x2="{_n(mx)}" '
                    f'y2="{_n(row_h - 2)}" stroke="{INK}" stroke-width="2">'
                    f"<title>{_e(row.label)} — median {_e(_shown(row.median))}</title></line>"
                )
            median = f"; median {_shown(row.median)}" if row.median is not None else ""
            lines.append(f"{row.label}: {', '.join(said) or f'no {unit}'}{median}.")
        body.append(
            f'<g class="chart-row" transform="translate(0 {_n(y)})">{"".join(parts)}</g>'
        )
    legend_y = head_h + row_h * len(rows) + 22
    body.append(
        f'<g class="chart-legend" font-size="11"><line x1="{_n(label_w)}" y1="{_n(legend_y - 10)}" '
        f'x2="{_n(label_w)}" y2="{_n(legend_y + 2)}" stroke="{INK}" stroke-width="2"/>'
        f'<text x="{_n(label_w + 6)}" y="{_n(legend_y)}">median; bars: {_e(unit)} per step</text></g>'
    )
    desc = " ".join(filter(None, [description, *lines]))
    return _svg("distribution", width, height, title, desc, body)
