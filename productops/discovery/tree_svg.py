"""An opportunity solution tree drawn as SVG on the server.

The outcome sits at the top; each node's children are drawn in the row below it (nested
opportunities go one row deeper each), then solutions, then assumption tests with their
status. Titles wrap; a node's height follows its number of lines, each row is as tall as
its tallest node, and the drawing as wide as its leaves need. Each node is a link to its
edit form (`href_of`); with htmx the form opens beside the tree (`hx_target`).

Pure: every text is escaped here, and the markup comes back marked safe.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from productops.charts.svg import esc
from productops.discovery.models import TestStatus
from productops.discovery.trees import TreeNode

NODE_WIDTH = 184
CHARS_PER_LINE = 27  # at 12px, what fits in NODE_WIDTH less padding
MAX_LINES = 4
LINE_HEIGHT = 15
PADDING = 8
GAP_X = 16
GAP_Y = 34
MARGIN = 8

KIND_LABELS = {
    "outcome": "Outcome",
    "opportunity": "Opportunity",
    "solution": "Solution",
    "test": "Assumption test",
}
STATUS_LABELS = dict(TestStatus.choices)


def wrap_title(title: str, width: int = CHARS_PER_LINE, limit: int = MAX_LINES) -> list[str]:
    """The title in lines of at most `width` characters; more than `limit` lines end in …"""
    lines = textwrap.wrap(title.strip(), width=width, break_long_words=True) or ["(untitled)"]
    if len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def meta_line(node: TreeNode) -> str:
    """The small line under a node's title: evidence, linked items or the test's status."""
    if node.kind == "opportunity":
        return f"{node.evidence} touchpoint{'s' if node.evidence != 1 else ''} cited"
    if node.kind == "solution":
        return f"{node.items} backlog item{'s' if node.items != 1 else ''}"
    if node.kind == "test":
        return STATUS_LABELS.get(node.status, node.status)
    return KIND_LABELS["outcome"]


@dataclass
class Placed:
    node: TreeNode
    depth: int
    x: float  # centre
    lines: list[str]
    height: float
    children: list[Placed]


def _place(node: TreeNode, depth: int, next_slot: list[int]) -> Placed:
    children = [_place(child, depth + 1, next_slot) for child in node.children]
    if children:
        x = (children[0].x + children[-1].x) / 2
    else:
        x = MARGIN + next_slot[0] * (NODE_WIDTH + GAP_X) + NODE_WIDTH / 2
        next_slot[0] += 1
    lines = wrap_title(node.title)
    height = PADDING * 2 + (len(lines) + 1) * LINE_HEIGHT
    return Placed(node, depth, x, lines, height, children)


def _walk(placed: Placed) -> list[Placed]:
    found = [placed]
    for child in placed.children:
        found.extend(_walk(child))
    return found


def layout(root: TreeNode) -> tuple[list[Placed], list[float], float, float]:
    """Placed nodes, the top of each row, and the drawing's width and height."""
    slots = [0]
    placed = _place(root, 0, slots)
    nodes = _walk(placed)
    depth = max(p.depth for p in nodes)
    row_heights = [max(p.height for p in nodes if p.depth == d) for d in range(depth + 1)]
    tops, y = [], float(MARGIN)
    for height in row_heights:
        tops.append(y)
        y += height + GAP_Y
    width = MARGIN * 2 + max(slots[0], 1) * (NODE_WIDTH + GAP_X) - GAP_X
    return nodes, tops, width, y - GAP_Y + MARGIN


FILLS = {
    "outcome": "#dbe6f5",
    "opportunity": "#eef3fb",
    "solution": "#eaf6ec",
    "planned": "#f2f2f2",
    "running": "#fff4d6",
    "supported": "#d9f0de",
    "refuted": "#fbe1de",
    "inconclusive": "#ebebf3",
}


def _classes(node: TreeNode) -> str:
    return f"ost-{node.kind}" + (f" ost-status-{node.status}" if node.kind == "test" else "")


def _fill(node: TreeNode) -> str:
    return FILLS.get(node.status if node.kind == "test" else node.kind, "#ffffff")


def tree_svg(
    root: TreeNode,
    *,
    href_of: Callable[[TreeNode], str],
    hx_target: str = "",
    title: str = "",
) -> SafeString:
    """The tree as an SVG document fragment; nodes link to `href_of(node)`."""
    nodes, tops, width, height = layout(root)
    body: list[str] = []
    for p in nodes:
        top = tops[p.depth] + p.height
        for child in p.children:
            child_top = tops[child.depth]
            middle = top + (child_top - top) / 2
            body.append(
                f'<path class="ost-edge" fill="none" stroke="#8a94a6" d="M{p.x:.1f},{top:.1f} V{middle:.1f} '
                f'H{child.x:.1f} V{child_top:.1f}"/>'
            )
    for p in nodes:
        node = p.node
        left, top = p.x - NODE_WIDTH / 2, tops[p.depth]
        href = esc(href_of(node))
        hx = f' hx-get="{href}" hx-target="{esc(hx_target)}"' if hx_target else ""
        label = f"{KIND_LABELS[node.kind]}: {node.title} ({meta_line(node)})"
        texts = "".join(
            f'<text x="{left + PADDING:.1f}" y="{top + PADDING + (n + 1) * LINE_HEIGHT - 3:.1f}"'
            f' class="ost-title" font-size="12">{esc(line)}</text>'
            for n, line in enumerate(p.lines)
        )
        meta_y = top + PADDING + (len(p.lines) + 1) * LINE_HEIGHT - 3
        body.append(
            f'<a href="{href}"{hx} class="ost-link" data-kind="{node.kind}" data-id="{node.id}">'
            f"<title>{esc(label)}</title>"
            f'<rect class="ost-node {_classes(node)}" fill="{_fill(node)}" stroke="#8a94a6" '
            f'x="{left:.1f}" y="{top:.1f}" '
            f'width="{NODE_WIDTH}" height="{p.height:.1f}" rx="6"/>{texts}'
            f'<text x="{left + PADDING:.1f}" y="{meta_y:.1f}" class="ost-meta" font-size="11" fill="#4a5568">'
            f"{esc(meta_line(node))}</text></a>"
        )
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ost-tree" role="group" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'aria-label="{esc(title or "Opportunity solution tree")}">'
    )
    # Safe: every text that went into the body was escaped with _e.
    return mark_safe(head + "".join(body) + "</svg>")
