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
from functools import lru_cache
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


def _svg(
    kind: str, width: float, height: float, title: str, desc: str, body: list[str]
) -> SafeString:
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
        body.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(radius * step / top)}"/>')
    for index in range(count):
        x, y = point(index, top)
        body.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(x)}" y2="{_n(y)}"/>')
    body.append("</g>")
    body.append(f'<g class="chart-scale" font-size="10" fill="{MUTED}">')
    for step in sorted(steps):
        # on the bisector of the first two axes, clear of the top axis label
        r = radius * step / top
        angle = -math.pi / 2 + math.pi / count
        body.append(
            f'<text x="{_n(cx + r * math.cos(angle) + 2)}" y="{_n(cy + r * math.sin(angle) - 2)}">'
            f"{_e(step)}</text>"
        )
    body.append("</g>")
    body.append('<g class="chart-axes">')
    for index, label in enumerate(axes):
        x, y = point(index, top * 1.09)
        anchor = "middle" if abs(x - cx) < 8 else ("start" if x > cx else "end")
        baseline = y + 4 if abs(y - cy) < radius * 0.5 else (y + 10 if y > cy else y - 6)
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
        lx = 120 + index * 185
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


@lru_cache(maxsize=4096)
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
    label_w, col_w, row_h = 190.0, 58.0, 22.0
    # room for the column labels, slanted at 40 degrees (about 6.6 units a character)
    head_h = 28 + 0.65 * 6.6 * min(max(len(label) for label in columns), 22)
    legend_w = 5 * 46 + 150
    width = max(label_w + col_w * len(columns) + 110, label_w + legend_w)
    grid_h = row_h * len(rows)
    height = head_h + grid_h + 70
    body = ['<g class="chart-columns" font-size="11">']
    for index, label in enumerate(columns):
        x = label_w + col_w * index + col_w / 2
        y = head_h - 8
        body.append(
            f'<text x="{_n(x)}" y="{_n(y)}" transform="rotate(-40 {_n(x)} {_n(y)})">'
            f"<title>{_e(label)}</title>{_e(_clip(label, 22))}</text>"
        )
    body.append("</g>")
    body.append('<g class="chart-cells" font-size="10" text-anchor="middle">')
    for row_index, row in enumerate(rows):
        y = head_h + row_h * row_index
        label = f'<text x="{_n(label_w - 8)}" y="{_n(row_h / 2 + 4)}" text-anchor="end" '
        label += 'font-size="11">'
        label += f"<title>{_e(row.label)}</title>{_e(_clip(row.label, 28))}</text>"
        if row.href:
            label = f'<a href="{_e(row.href)}">{label}</a>'
        cells, texts = [], []
        size = f'y="1" width="{_n(col_w - 2)}" height="{_n(row_h - 2)}"'
        text_y = _n(row_h / 2 + 3.5)
        for index, cell in enumerate(row.cells[: len(columns)]):
            x = label_w + col_w * index
            tip = f"<title>{_e(cell.title)}</title>" if cell.title else ""
            cells.append(
                f'<rect class="chart-cell" x="{_n(x + 1)}" {size} '
                f'fill="{diverging_colour(cell.value, limit)}">{tip}</rect>'
            )
            if cell.text:
                ink = _ink_on(cell.value, limit)
                fill = f' fill="{ink}"' if ink != INK else ""
                texts.append(
                    f'<text x="{_n(x + col_w / 2)}" y="{text_y}"{fill}>{_e(cell.text)}</text>'
                )
        # The numbers let the pointer through to the cell under them, for its tooltip.
        body.append(
            f'<g class="chart-row" transform="translate(0 {_n(y)})">{label}{"".join(cells)}'
            f'<g pointer-events="none">{"".join(texts)}</g></g>'
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
    """One row per label; in each step's column a bar as long as its count; the median as a
    marker above the bars.

    Bars share one length scale across the chart, so rows can be compared.
    """
    if not rows or not steps:
        return _empty("distribution", title, "Nothing to chart yet.")
    label_w, col_w, row_h, head_h = 190.0, 70.0, 32.0, 30.0
    width = max(label_w + col_w * len(steps) + 20, 480.0)
    grid_h = row_h * len(rows)
    height = head_h + grid_h + 34
    most = max((max(row.counts, default=0) for row in rows if not row.note), default=0) or 1
    body = [f'<g class="chart-steps" font-size="11" fill="{MUTED}">']
    for index, step in enumerate(steps):
        x = label_w + col_w * index
        body.append(
            f'<text x="{_n(x + col_w / 2)}" y="{_n(head_h - 10)}" text-anchor="middle">'
            f"step {_e(step)}</text>"
            f'<line x1="{_n(x)}" y1="{_n(head_h - 4)}" x2="{_n(x)}" y2="{_n(head_h + grid_h)}" '
            f'stroke="{LINE}"/>'
        )
    body.append("</g>")
    lines = []
    for row_index, row in enumerate(rows):
        y = head_h + row_h * row_index
        parts = [
            f'<text x="{_n(label_w - 8)}" y="{_n(row_h / 2 + 6)}" text-anchor="end">'
            f"<title>{_e(row.label)}</title>{_e(_clip(row.label, 28))}</text>"
        ]
        if row.note:
            parts.append(
                f'<rect x="{_n(label_w + 1)}" y="6" width="{_n(len(row.note) * 6.4 + 10)}" '
                f'height="20" fill="#ffffff"/>'
                f'<text x="{_n(label_w + 6)}" y="{_n(row_h / 2 + 6)}" fill="{MUTED}">'
                f"{_e(row.note)}</text>"
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
                    f'<rect class="chart-bar" x="{_n(x)}" y="13" width="{_n(bar)}" height="13" '
                    f'fill="{shade}"><title>{_e(row.label)} — step {_e(step)}: {count} '
                    f"{_e(unit)}</title></rect>"
                    f'<text x="{_n(x + bar + 3)}" y="24" font-size="10">{count}</text>'
                )
                said.append(f"{count} at step {step}")
            if row.median is not None:
                mx = _step_x(row.median, steps, label_w, col_w)
                parts.append(
                    f'<path class="chart-median" d="M{_n(mx - 5)} 3h10l-5 7z" fill="{INK}">'
                    f"<title>{_e(row.label)} — median {_e(_shown(row.median))}</title></path>"
                )
            median = f"; median {_shown(row.median)}" if row.median is not None else ""
            lines.append(f"{row.label}: {', '.join(said) or f'no {unit}'}{median}.")
        body.append(f'<g class="chart-row" transform="translate(0 {_n(y)})">{"".join(parts)}</g>')
    legend_y = head_h + grid_h + 20
    body.append(
        f'<g class="chart-legend" font-size="11"><path d="M{_n(label_w - 5)} {_n(legend_y - 9)}'
        f'h10l-5 7z" fill="{INK}"/><text x="{_n(label_w + 10)}" y="{_n(legend_y)}">'
        f"median; bars: {_e(unit)} per step of their consensus</text></g>"
    )
    desc = " ".join(filter(None, [description, *lines]))
    return _svg("distribution", width, height, title, desc, body)
