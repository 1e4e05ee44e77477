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


# ---------------------------------------------------------------------------------------
# Shares, stacked columns and bar lists (the backlog report)
# ---------------------------------------------------------------------------------------

# Categorical colours for segments, in the order the caller names the segments.
SEGMENT_COLOURS = (
    "#2f5bd3",
    "#b3261e",
    "#a86400",
    "#1f7a4a",
    "#7b3fb0",
    "#8a94a6",
    "#2f6fb0",
    "#a3245a",
)


@dataclass(frozen=True)
class Segment:
    key: str
    label: str


@dataclass(frozen=True)
class StackRow:
    label: str
    values: dict[str, float]  # segment key -> amount; missing keys count as 0


def _segment_colour(index: int) -> str:
    return SEGMENT_COLOURS[index % len(SEGMENT_COLOURS)]


def _percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def _segment_legend(segments: Sequence[Segment], y: float, width: float) -> list[str]:
    parts, x, line_y = ['<g class="chart-legend" font-size="11">'], 10.0, y
    for index, segment in enumerate(segments):
        room = 24 + len(segment.label) * 6.4
        if x + room > width and x > 10:
            x, line_y = 10.0, line_y + 18
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(line_y - 10)}" width="12" height="12" '
            f'fill="{_segment_colour(index)}"/>'
            f'<text x="{_n(x + 16)}" y="{_n(line_y)}">{_e(segment.label)}</text>'
        )
        x += room
    parts.append("</g>")
    return parts


def share_bars(
    rows: Sequence[StackRow],
    segments: Sequence[Segment],
    *,
    title: str,
    unit: str = "items",
    description: str = "",
) -> SafeString:
    """One full-width bar per row, split into its segments' shares with the percentage
    written on each share wide enough to hold it.

    Each row is its own 100%: the rows compare mixes, not sizes (the total is printed).
    """
    if not rows or not segments or not any(sum(row.values.values()) for row in rows):
        return _empty("shares", title, "Nothing to chart yet.")
    label_w, bar_w, row_h, top = 150.0, 520.0, 34.0, 8.0
    width = label_w + bar_w + 80
    legend_rows = 1 + int(sum(24 + len(s.label) * 6.4 for s in segments) // (width - 20))
    height = top + row_h * len(rows) + 14 + 18 * legend_rows
    body, lines = [], []
    for row_index, row in enumerate(rows):
        y = top + row_h * row_index
        total = sum(row.values.get(s.key, 0) for s in segments)
        parts = [
            f'<text x="{_n(label_w - 8)}" y="20" text-anchor="end">'
            f"<title>{_e(row.label)}</title>{_e(_clip(row.label, 22))}</text>"
        ]
        x, said = label_w, []
        for index, segment in enumerate(segments):
            value = row.values.get(segment.key, 0)
            if not value or not total:
                continue
            share = bar_w * value / total
            pct = _percent(value, total)
            parts.append(
                f'<rect class="chart-share" x="{_n(x)}" y="4" width="{_n(share)}" height="22" '
                f'fill="{_segment_colour(index)}"><title>{_e(row.label)} — {_e(segment.label)}: '
                f"{_e(_shown(value))} {_e(unit)} ({pct})</title></rect>"
            )
            if share >= 34:
                parts.append(
                    f'<text x="{_n(x + share / 2)}" y="20" text-anchor="middle" '
                    f'fill="#ffffff" font-size="11">{pct}</text>'
                )
            said.append(f"{segment.label} {pct}")
            x += share
        parts.append(
            f'<text x="{_n(label_w + bar_w + 8)}" y="20" fill="{MUTED}" font-size="11">'
            f"{_e(_shown(total))} {_e(unit)}</text>"
        )
        lines.append(f"{row.label} ({_shown(total)} {unit}): {', '.join(said) or 'none'}.")
        body.append(f'<g class="chart-row" transform="translate(0 {_n(y)})">{"".join(parts)}</g>')
    body += _segment_legend(segments, top + row_h * len(rows) + 14, width)
    desc = " ".join(filter(None, [description, *lines]))
    return _svg("shares", width, height, title, desc, body)


def stacked_bars(
    columns: Sequence[StackRow],
    segments: Sequence[Segment],
    *,
    title: str,
    unit: str = "items",
    description: str = "",
) -> SafeString:
    """One vertical bar per column (a month, say), stacked by segment, on one shared scale,
    with the column's total above it."""
    if not columns or not segments or not any(sum(c.values.values()) for c in columns):
        return _empty("stacked", title, "Nothing to chart yet.")
    left, plot_h, top, col_w = 40.0, 180.0, 18.0, 56.0
    width = max(left + col_w * len(columns) + 20, 480.0)
    legend_rows = 1 + int(sum(24 + len(s.label) * 6.4 for s in segments) // (width - 20))
    height = top + plot_h + 30 + 18 * legend_rows
    most = max(sum(c.values.get(s.key, 0) for s in segments) for c in columns) or 1
    base = top + plot_h
    body = [
        f'<g class="chart-grid" stroke="{LINE}"><line x1="{_n(left)}" y1="{_n(base)}" '
        f'x2="{_n(width - 10)}" y2="{_n(base)}"/></g>',
        f'<text x="{_n(left - 6)}" y="{_n(top + 4)}" text-anchor="end" font-size="10" '
        f'fill="{MUTED}">{_e(_shown(most))}</text>',
    ]
    lines = []
    for col_index, column in enumerate(columns):
        x = left + col_w * col_index + 8
        y, said = base, []
        total = sum(column.values.get(s.key, 0) for s in segments)
        parts = []
        for index, segment in enumerate(segments):
            value = column.values.get(segment.key, 0)
            if not value:
                continue
            h = plot_h * value / most
            y -= h
            parts.append(
                f'<rect class="chart-bar" x="{_n(x)}" y="{_n(y)}" width="{_n(col_w - 16)}" '
                f'height="{_n(h)}" fill="{_segment_colour(index)}"><title>{_e(column.label)} — '
                f"{_e(segment.label)}: {_e(_shown(value))} {_e(unit)} "
                f"({_percent(value, total)})</title></rect>"
            )
            said.append(f"{segment.label} {_shown(value)} ({_percent(value, total)})")
        parts.append(
            f'<text x="{_n(x + (col_w - 16) / 2)}" y="{_n(y - 4)}" text-anchor="middle" '
            f'font-size="10">{_e(_shown(total))}</text>'
            f'<text x="{_n(x + (col_w - 16) / 2)}" y="{_n(base + 14)}" text-anchor="middle" '
            f'font-size="10" fill="{MUTED}">{_e(_clip(column.label, 9))}</text>'
        )
        body.append(f'<g class="chart-column">{"".join(parts)}</g>')
        lines.append(f"{column.label} ({_shown(total)} {unit}): {', '.join(said) or 'none'}.")
    body += _segment_legend(segments, base + 34, width)
    desc = " ".join(filter(None, [description, *lines]))
    return _svg("stacked", width, height, title, desc, body)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: no value (drawn as "no data")
    shown: str = ""  # how to print the value; the number itself when empty


def bar_list(
    bars: Sequence[Bar],
    *,
    title: str,
    maximum: float | None = None,
    colour: str = "#2f5bd3",
    description: str = "",
) -> SafeString:
    """One horizontal bar per label, on one scale (up to `maximum`, or the largest value),
    with the value printed after the bar."""
    if not bars:
        return _empty("bars", title, "Nothing to chart yet.")
    label_w, bar_w, row_h = 230.0, 360.0, 22.0
    width = label_w + bar_w + 150  # room for a value such as "12 in progress, 30 done"
    height = row_h * len(bars) + 8
    most = maximum or max((b.value or 0 for b in bars), default=0) or 1
    body, lines = [], []
    for index, bar in enumerate(bars):
        y = 4 + row_h * index
        shown = bar.shown or ("no data" if bar.value is None else _shown(bar.value))
        length = 0.0 if bar.value is None else max(bar_w * min(bar.value, most) / most, 1.0)
        body.append(
            f'<g class="chart-row" transform="translate(0 {_n(y)})">'
            f'<text x="{_n(label_w - 8)}" y="14" text-anchor="end"><title>{_e(bar.label)}</title>'
            f"{_e(_clip(bar.label, 32))}</text>"
            f'<rect class="chart-bar" x="{_n(label_w)}" y="3" width="{_n(length)}" height="14" '
            f'fill="{colour}"><title>{_e(bar.label)}: {_e(shown)}</title></rect>'
            f'<text x="{_n(label_w + length + 6)}" y="14" font-size="11">{_e(shown)}</text></g>'
        )
        lines.append(f"{bar.label}: {shown}.")
    desc = " ".join(filter(None, [description, *lines]))
    return _svg("bars", width, height, title, desc, body)
