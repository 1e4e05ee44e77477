"""Shares, stacked columns and bar lists (the backlog report, alignment, cadence)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString

from productops.charts.svg import (
    LINE,
    MUTED,
    clip,
    empty_chart,
    esc,
    format_value,
    num,
    svg_document,
)

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


LABEL_FONT = 12.0  # the document's font size, which row labels inherit
LABEL_LINE = 14.0  # the height of one more label line
MAX_LABEL_LINES = 3


def wrap_label(text: str, chars: int, max_lines: int = MAX_LABEL_LINES) -> tuple[list[str], float]:
    """`text` over at most `max_lines` lines of about `chars` characters, broken between
    words, and the font size that fits them in the room of `chars` characters at the
    label font. Nothing is cut: a label too long for `max_lines` lines (or a word longer
    than a line) gets longer lines in a smaller font instead."""
    words = text.split()
    if not words:
        return [""], LABEL_FONT
    per_line = max(chars, max(len(word) for word in words))
    while True:
        lines: list[str] = []
        for word in words:
            if lines and len(lines[-1]) + 1 + len(word) <= per_line:
                lines[-1] += " " + word
            else:
                lines.append(word)
        if len(lines) <= max_lines:
            break
        per_line += 1
    longest = max(len(line) for line in lines)
    return lines, LABEL_FONT * min(1.0, chars / longest)


def _label_text(
    x: float, y: float, text: str, chars: int, wrap: bool, extra: str = ""
) -> tuple[str, int]:
    """The end-anchored `<text>` of a row label and how many lines it takes: clipped to
    `chars` (the app pages' default) or, with `wrap`, over up to three lines, never cut."""
    if not wrap:
        return (
            f'<text x="{num(x)}" y="{num(y)}" text-anchor="end"{extra}>'
            f"<title>{esc(text)}</title>{esc(clip(text, chars))}</text>",
            1,
        )
    lines, size = wrap_label(text, chars)
    font = "" if size == LABEL_FONT else f' font-size="{num(size)}"'
    spans = "".join(
        f'<tspan x="{num(x)}" dy="{num(0 if n == 0 else LABEL_LINE)}">{esc(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<text class="chart-label" x="{num(x)}" y="{num(y)}" text-anchor="end"{font}{extra}>'
        f"<title>{esc(text)}</title>{spans}</text>",
        len(lines),
    )


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
            f'<rect x="{num(x)}" y="{num(line_y - 10)}" width="12" height="12" '
            f'fill="{_segment_colour(index)}"/>'
            f'<text x="{num(x + 16)}" y="{num(line_y)}">{esc(segment.label)}</text>'
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
    wrap: bool = False,
) -> SafeString:
    """One full-width bar per row, split into its segments' shares with the percentage
    written on each share wide enough to hold it.

    Each row is its own 100%: the rows compare mixes, not sizes (the total is printed).
    Row labels are clipped at 22 characters, or with `wrap` written whole over up to three
    lines, the row growing to hold them (the reports use it).
    """
    if not rows or not segments or not any(sum(row.values.values()) for row in rows):
        return empty_chart("shares", title, "Nothing to chart yet.")
    label_w, bar_w, row_h, top = 150.0, 520.0, 34.0, 8.0
    width = label_w + bar_w + 80
    legend_rows = 1 + int(sum(24 + len(s.label) * 6.4 for s in segments) // (width - 20))
    body, lines = [], []
    y = top
    for row in rows:
        total = sum(row.values.get(s.key, 0) for s in segments)
        label, count = _label_text(label_w - 8, 20, row.label, 22, wrap)
        grow = LABEL_LINE * (count - 1)
        label = label.replace(' y="20"', f' y="{num(20 - grow / 2)}"', 1) if grow else label
        parts = [label]
        x, said = label_w, []
        for index, segment in enumerate(segments):
            value = row.values.get(segment.key, 0)
            if not value or not total:
                continue
            share = bar_w * value / total
            pct = _percent(value, total)
            parts.append(
                f'<rect class="chart-share" x="{num(x)}" y="4" width="{num(share)}" height="22" '
                f'fill="{_segment_colour(index)}"><title>{esc(row.label)} — {esc(segment.label)}: '
                f"{esc(format_value(value))} {esc(unit)} ({pct})</title></rect>"
            )
            if share >= 34:
                parts.append(
                    f'<text x="{num(x + share / 2)}" y="20" text-anchor="middle" '
                    f'fill="#ffffff" font-size="11">{pct}</text>'
                )
            said.append(f"{segment.label} {pct}")
            x += share
        parts.append(
            f'<text x="{num(label_w + bar_w + 8)}" y="20" fill="{MUTED}" font-size="11">'
            f"{esc(format_value(total))} {esc(unit)}</text>"
        )
        lines.append(f"{row.label} ({format_value(total)} {unit}): {', '.join(said) or 'none'}.")
        shift = f"translate(0 {num(y + grow / 2)})"
        body.append(f'<g class="chart-row" transform="{shift}">{"".join(parts)}</g>')
        y += row_h + grow
    body += _segment_legend(segments, y + 14, width)
    height = y + 14 + 18 * legend_rows
    desc = " ".join(filter(None, [description, *lines]))
    return svg_document("shares", width, height, title, desc, body)


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
        return empty_chart("stacked", title, "Nothing to chart yet.")
    left, plot_h, top, col_w = 40.0, 180.0, 18.0, 56.0
    width = max(left + col_w * len(columns) + 20, 480.0)
    legend_rows = 1 + int(sum(24 + len(s.label) * 6.4 for s in segments) // (width - 20))
    height = top + plot_h + 30 + 18 * legend_rows
    most = max(sum(c.values.get(s.key, 0) for s in segments) for c in columns) or 1
    base = top + plot_h
    body = [
        f'<g class="chart-grid" stroke="{LINE}"><line x1="{num(left)}" y1="{num(base)}" '
        f'x2="{num(width - 10)}" y2="{num(base)}"/></g>',
        f'<text x="{num(left - 6)}" y="{num(top + 4)}" text-anchor="end" font-size="10" '
        f'fill="{MUTED}">{esc(format_value(most))}</text>',
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
                f'<rect class="chart-bar" x="{num(x)}" y="{num(y)}" width="{num(col_w - 16)}" '
                f'height="{num(h)}" fill="{_segment_colour(index)}"><title>{esc(column.label)} — '
                f"{esc(segment.label)}: {esc(format_value(value))} {esc(unit)} "
                f"({_percent(value, total)})</title></rect>"
            )
            said.append(f"{segment.label} {format_value(value)} ({_percent(value, total)})")
        parts.append(
            f'<text x="{num(x + (col_w - 16) / 2)}" y="{num(y - 4)}" text-anchor="middle" '
            f'font-size="10">{esc(format_value(total))}</text>'
            f'<text x="{num(x + (col_w - 16) / 2)}" y="{num(base + 14)}" text-anchor="middle" '
            f'font-size="10" fill="{MUTED}">{esc(clip(column.label, 9))}</text>'
        )
        body.append(f'<g class="chart-column">{"".join(parts)}</g>')
        lines.append(f"{column.label} ({format_value(total)} {unit}): {', '.join(said) or 'none'}.")
    body += _segment_legend(segments, base + 34, width)
    desc = " ".join(filter(None, [description, *lines]))
    return svg_document("stacked", width, height, title, desc, body)


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
    wrap: bool = False,
) -> SafeString:
    """One horizontal bar per label, on one scale (up to `maximum`, or the largest value),
    with the value printed after the bar. Labels are clipped at 32 characters, or with
    `wrap` written whole over up to three lines, the row growing to hold them."""
    if not bars:
        return empty_chart("bars", title, "Nothing to chart yet.")
    label_w, bar_w, row_h = 230.0, 360.0, 22.0
    width = label_w + bar_w + 150  # room for a value such as "12 in progress, 30 done"
    most = maximum or max((b.value or 0 for b in bars), default=0) or 1
    body, lines = [], []
    y = 4.0
    for bar in bars:
        shown = bar.shown or ("no data" if bar.value is None else format_value(bar.value))
        length = 0.0 if bar.value is None else max(bar_w * min(bar.value, most) / most, 1.0)
        label, count = _label_text(label_w - 8, 14, bar.label, 32, wrap)
        grow = LABEL_LINE * (count - 1)  # the label's extra lines; the bar sits on the first
        body.append(
            f'<g class="chart-row" transform="translate(0 {num(y)})">{label}'
            f'<rect class="chart-bar" x="{num(label_w)}" y="3" width="{num(length)}" height="14" '
            f'fill="{colour}"><title>{esc(bar.label)}: {esc(shown)}</title></rect>'
            f'<text x="{num(label_w + length + 6)}" y="14" font-size="11">{esc(shown)}</text></g>'
        )
        lines.append(f"{bar.label}: {shown}.")
        y += row_h + grow
    height = y + 4
    desc = " ".join(filter(None, [description, *lines]))
    return svg_document("bars", width, height, title, desc, body)
