"""The cadence grid: teams × ISO weeks as server-rendered SVG.

Pure (cadences in, markup out) and deterministic, like `reports.charts`: colours are SVG
presentation attributes, every text is escaped, each cell carries a `<title>` tooltip and
the chart a `<desc>` text alternative. A cell is filled when the team's week counted,
darker the more counting touchpoints it held; a week that held only shadowing (sales- or
support-call shadowing, which does not count by default) is drawn apart in grey-violet;
the still-running week is outlined. `kind_mix_bars` draws each team's mix of kinds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from django.utils.safestring import SafeString

from productops.charts.bars import Segment, StackRow, share_bars
from productops.charts.svg import LINE, MUTED, NO_DATA, clip, empty_chart, esc, num, svg_document
from productops.discovery.cadence import TeamCadence, iso_week_label
from productops.discovery.kinds import KIND_VALUES, kind_label

# Light to dark by the week's count of customer touchpoints: 1, 2, 3 or more.
COUNT_SHADES = ("#a8d5b5", "#5fae78", "#1f7a4a")
RUNNING_OUTLINE = "#2f5bd3"
SHADOWING_ONLY = "#cfc3e0"  # a week with shadowing and nothing that counts


def count_shade(count: int) -> str:
    if count <= 0:
        return NO_DATA
    return COUNT_SHADES[min(count, len(COUNT_SHADES)) - 1]


def _week_heading(monday_index: int, label: str) -> str:
    """'W53', with the year on the first column and on each year's first week."""
    week = label.split("-W")[1]
    return label if monday_index == 0 or week == "01" else f"W{week}"


def cadence_grid(
    cadences: Sequence[TeamCadence],
    *,
    title: str = "Weeks with a customer touchpoint",
    href: Callable[[TeamCadence], str] | None = None,
) -> SafeString:
    """One row per team (in the order given), one column per ISO week of the period."""
    if not cadences or not cadences[0].weeks:
        return empty_chart("cadence", title, "No team to show yet.")
    mondays = [monday for monday, _ in cadences[0].weeks]
    running = cadences[0].running_week
    label_w = 170.0 if len(cadences) > 1 or href else 8.0
    col_w, row_h, head_h = 30.0, 22.0, 46.0
    width = label_w + col_w * len(mondays) + 12
    height = head_h + row_h * len(cadences) + 34
    body = ['<g class="chart-columns" font-size="10" text-anchor="middle">']
    for index, monday in enumerate(mondays):
        x = label_w + col_w * index + col_w / 2
        label = iso_week_label(monday)
        body.append(
            f'<text x="{num(x)}" y="{num(head_h - 20)}" transform="rotate(-40 {num(x)} '
            f'{num(head_h - 20)})" fill="{MUTED}"><title>{esc(label)}, from {monday:%Y-%m-%d}</title>'
            f"{esc(_week_heading(index, label))}</text>"
        )
    body.append("</g>")
    for row_index, cadence in enumerate(cadences):
        y = head_h + row_h * row_index
        parts = []
        if label_w > 10:
            label = (
                f'<text x="{num(label_w - 8)}" y="{num(row_h / 2 + 4)}" text-anchor="end" '
                f'font-size="11"><title>{esc(cadence.team_name)}</title>'
                f"{esc(clip(cadence.team_name, 24))}</text>"
            )
            if href is not None:
                label = f'<a href="{esc(href(cadence))}">{label}</a>'
            parts.append(label)
        for index, (monday, count) in enumerate(cadence.weeks):
            x = label_w + col_w * index
            sunday = monday + timedelta(days=6)
            counted = f"{count} counting touchpoint{'s' if count != 1 else ''}"
            shadowed = cadence.week_shadowing(monday)
            if shadowed:
                counted += f", {shadowed} shadowing"
            tip = (
                f"{cadence.team_name}, {iso_week_label(monday)} "
                f"({monday:%d %b} – {sunday:%d %b %Y}): {counted}"
            )
            if monday == running:
                tip += " (this week, still running)"
            outline = (
                f' stroke="{RUNNING_OUTLINE}" stroke-width="1.5" stroke-dasharray="3 2"'
                if monday == running
                else ""
            )
            state = "counted" if count else "shadowing" if shadowed else "empty"
            fill = SHADOWING_ONLY if state == "shadowing" else count_shade(count)
            parts.append(
                f'<rect class="chart-cell cad-{state}" x="{num(x + 2)}" y="2" '
                f'width="{num(col_w - 4)}" height="{num(row_h - 4)}" rx="3" '
                f'fill="{fill}"{outline}><title>{esc(tip)}</title></rect>'
            )
        body.append(f'<g class="chart-row" transform="translate(0 {num(y)})">{"".join(parts)}</g>')
    body.append(_legend(label_w, head_h + row_h * len(cadences) + 14))
    team_weeks_counted = sum(c.counted_weeks for c in cadences)
    total = sum(c.week_count for c in cadences)
    shadow_only = sum(c.shadowing_only_weeks for c in cadences)
    desc = (
        f"{len(cadences)} team(s) by {len(mondays)} ISO weeks, "
        f"{iso_week_label(mondays[0])} to {iso_week_label(mondays[-1])}. "
        f"{team_weeks_counted} of {total} team-weeks had a customer touchpoint by the team"
        f"{f'; {shadow_only} more had only shadowing, which does not count' if shadow_only else ''}. "
        "Each cell's tooltip gives the week and its count."
    )
    return svg_document("cadence", width, height, title, desc, body)


def _legend(x0: float, y: float) -> str:
    items = [("none", NO_DATA), ("1", COUNT_SHADES[0]), ("2", COUNT_SHADES[1])]
    items.append(("3 or more", COUNT_SHADES[2]))
    items.append(("shadowing only", SHADOWING_ONLY))
    parts = [f'<g class="chart-legend" font-size="10" fill="{MUTED}">']
    x = x0
    for label, colour in items:
        parts.append(
            f'<rect x="{num(x)}" y="{num(y - 9)}" width="12" height="12" rx="2" fill="{colour}" '
            f'stroke="{LINE}"/><text x="{num(x + 16)}" y="{num(y + 1)}">{esc(label)}</text>'
        )
        x += 26 + 6 * len(label)
    parts.append("</g>")
    return "".join(parts)


def kind_mix_bars(
    cadences: Sequence[TeamCadence], *, title: str = "Kinds of touchpoint"
) -> SafeString:
    """One bar per team with touchpoints: its period's touchpoints split by kind."""
    rows = [
        StackRow(label=c.team_name, values={k: float(n) for k, n in c.kind_mix.items()})
        for c in cadences
        if c.touchpoints
    ]
    seen = {kind for c in cadences for kind, n in c.kind_mix.items() if n}
    segments = [Segment(kind, kind_label(kind)) for kind in KIND_VALUES if kind in seen]
    return share_bars(
        rows,
        segments,
        title=title,
        unit="touchpoints",
        description="Each team's touchpoints in the period by kind; each bar is its own 100%.",
    )
