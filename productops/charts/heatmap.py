"""Heatmap: rows × columns of cells coloured on a diverging scale, with a legend."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.utils.safestring import SafeString

from productops.charts.svg import (
    COOL,
    INK,
    MUTED,
    NEUTRAL,
    NO_DATA,
    WARM,
    clip,
    empty_chart,
    esc,
    format_value,
    num,
    svg_document,
)


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
        return empty_chart("heatmap", title, "No one to show yet.")
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
            f'<text x="{num(x)}" y="{num(y)}" transform="rotate(-40 {num(x)} {num(y)})">'
            f"<title>{esc(label)}</title>{esc(clip(label, 22))}</text>"
        )
    body.append("</g>")
    body.append('<g class="chart-cells" font-size="10" text-anchor="middle">')
    for row_index, row in enumerate(rows):
        y = head_h + row_h * row_index
        label = f'<text x="{num(label_w - 8)}" y="{num(row_h / 2 + 4)}" text-anchor="end" '
        label += 'font-size="11">'
        label += f"<title>{esc(row.label)}</title>{esc(clip(row.label, 28))}</text>"
        if row.href:
            label = f'<a href="{esc(row.href)}">{label}</a>'
        cells, texts = [], []
        size = f'y="1" width="{num(col_w - 2)}" height="{num(row_h - 2)}"'
        text_y = num(row_h / 2 + 3.5)
        for index, cell in enumerate(row.cells[: len(columns)]):
            x = label_w + col_w * index
            tip = f"<title>{esc(cell.title)}</title>" if cell.title else ""
            cells.append(
                f'<rect class="chart-cell" x="{num(x + 1)}" {size} '
                f'fill="{diverging_colour(cell.value, limit)}">{tip}</rect>'
            )
            if cell.text:
                ink = _ink_on(cell.value, limit)
                fill = f' fill="{ink}"' if ink != INK else ""
                texts.append(
                    f'<text x="{num(x + col_w / 2)}" y="{text_y}"{fill}>{esc(cell.text)}</text>'
                )
        # The numbers let the pointer through to the cell under them, for its tooltip.
        body.append(
            f'<g class="chart-row" transform="translate(0 {num(y)})">{label}{"".join(cells)}'
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
    return svg_document("heatmap", width, height, title, desc, body)


def _heatmap_legend(x0: float, y0: float, limit: float, low: str, high: str) -> str:
    stops = [-limit, -limit / 2, 0.0, limit / 2, limit]
    parts = ['<g class="chart-legend" font-size="11">']
    parts.append(
        f'<text x="{num(x0 - 8)}" y="{num(y0 + 14)}" text-anchor="end">← {esc(low)}</text>'
    )
    for index, value in enumerate(stops):
        x = x0 + index * 46
        sign = "+" if value > 0 else ""
        parts.append(
            f'<rect x="{num(x)}" y="{num(y0)}" width="44" height="20" '
            f'fill="{diverging_colour(value, limit)}"/>'
            f'<text x="{num(x + 22)}" y="{num(y0 + 14)}" text-anchor="middle" '
            f'fill="{_ink_on(value, limit)}">{sign}{esc(format_value(value))}</text>'
        )
    end = x0 + len(stops) * 46
    parts.append(f'<text x="{num(end + 6)}" y="{num(y0 + 14)}">{esc(high)} →</text>')
    parts.append(
        f'<rect x="{num(x0)}" y="{num(y0 + 26)}" width="44" height="14" fill="{NO_DATA}"/>'
        f'<text x="{num(x0 + 50)}" y="{num(y0 + 37)}" fill="{MUTED}">no data</text>'
    )
    parts.append("</g>")
    return "".join(parts)
