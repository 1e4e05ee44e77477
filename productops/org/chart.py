"""The reporting tree as nested nodes, for the org chart page and its exports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class ChartNode:
    id: int
    name: str
    title: str
    discipline: str
    direct: int = 0
    total: int = 0
    children: list[ChartNode] = field(default_factory=list)


ChartRow = tuple[int, str, str, str, "int | None"]


def build_chart(rows: list[ChartRow]) -> list[ChartNode]:
    """Nest (id, name, title, discipline, manager_id) rows into trees.

    A row whose manager is not among the rows becomes a root, so a manager's chart is
    rooted at them and a member's at the first person they may see. People caught in a
    reporting cycle (bad data) are still shown: the cycle is cut at one of them.
    """
    nodes = {
        pk: ChartNode(id=pk, name=name, title=title, discipline=disc)
        for pk, name, title, disc, _ in rows
    }
    reports: dict[int, list[int]] = defaultdict(list)
    roots: list[int] = []
    for pk, _name, _title, _disc, manager_id in rows:
        if manager_id is not None and manager_id in nodes and manager_id != pk:
            reports[manager_id].append(pk)
        else:
            roots.append(pk)

    placed: set[int] = set()
    trees: list[ChartNode] = []

    def grow(root: int) -> None:
        order: list[int] = []
        stack = [root]
        placed.add(root)
        while stack:
            current = stack.pop()
            order.append(current)
            for child in reports[current]:
                if child not in placed:
                    placed.add(child)
                    nodes[current].children.append(nodes[child])
                    stack.append(child)
        for current in reversed(order):  # children before their managers
            node = nodes[current]
            node.children.sort(key=lambda n: n.name)
            node.direct = len(node.children)
            node.total = node.direct + sum(child.total for child in node.children)
        trees.append(nodes[root])

    for pk in sorted(roots, key=lambda p: nodes[p].name):
        grow(pk)
    for pk in sorted(nodes, key=lambda p: nodes[p].name):
        if pk not in placed:
            grow(pk)
    return trees
