"""The reporting tree: the active people as a forest, with the counts every rule needs."""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from productops.org.audit.snapshot import OrgSnapshot, PersonFact


@dataclass
class ReportingTree:
    """The active people arranged as a forest, with the counts every rule needs.

    `manager` keeps the recorded reporting line (cycles included); `tree_parent` is the
    same with each cycle cut once, so that walking up or down always ends.
    """

    people: dict[int, PersonFact]
    manager: dict[int, int | None]
    tree_parent: dict[int, int | None]
    direct: dict[int, int]
    total: dict[int, int]
    depth: dict[int, int]  # levels below the root of the person's own tree
    root: dict[int, int]
    cycles: list[list[int]]
    top_id: int | None

    @classmethod
    def build(cls, snapshot: OrgSnapshot) -> ReportingTree:
        people = {person.id: person for person in snapshot.people if person.active}
        manager = {
            pid: (person.manager_id if person.manager_id in people else None)
            for pid, person in people.items()
        }
        cycles = find_cycles(manager)
        tree_parent = dict(manager)
        for cycle in cycles:
            tree_parent[cycle[0]] = None
        direct = Counter(boss for pid, boss in manager.items() if boss is not None and boss != pid)

        children: dict[int, list[int]] = defaultdict(list)
        for pid, parent in tree_parent.items():
            if parent is not None:
                children[parent].append(pid)
        roots = sorted(pid for pid, parent in tree_parent.items() if parent is None)
        order, depth, root = _walk_down(roots, children)
        size = dict.fromkeys(order, 1)
        for pid in reversed(order):
            parent = tree_parent[pid]
            if parent is not None:
                size[parent] += size[pid]
        total = {pid: size[pid] - 1 for pid in people}
        for cycle in cycles:
            # Everyone in a cycle reaches the whole loop and all that hangs from it.
            everyone_else = size[cycle[0]] - 1
            for pid in cycle:
                total[pid] = everyone_else

        cut = {cycle[0] for cycle in cycles}
        candidates = [pid for pid in roots if pid not in cut]
        top_id = min(candidates, key=lambda pid: (-size[pid], pid)) if candidates else None
        return cls(
            people=people,
            manager=manager,
            tree_parent=tree_parent,
            direct=dict(direct),
            total=total,
            depth=depth,
            root=root,
            cycles=cycles,
            top_id=top_id,
        )

    def name(self, pid: int | None) -> str:
        return self.people[pid].name if pid in self.people else "nobody"

    def managers(self) -> Iterable[int]:
        return self.direct.keys()

    def manages_managers(self) -> set[int]:
        return {
            boss
            for pid, boss in self.manager.items()
            if boss is not None and boss != pid and self.direct.get(pid, 0) > 0
        }


def find_cycles(manager: dict[int, int | None]) -> list[list[int]]:
    """Every loop in the reporting lines, each starting at its lowest id, in linear time.

    Each person has at most one manager, so following managers from anyone either ends
    at someone without one or enters exactly one loop.
    """
    done: set[int] = set()
    cycles: list[list[int]] = []
    for start in sorted(manager):
        path: list[int] = []
        on_path: set[int] = set()
        node: int | None = start
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = manager[node]
        if node is not None and node in on_path:
            loop = path[path.index(node) :]
            lowest = loop.index(min(loop))
            cycles.append(loop[lowest:] + loop[:lowest])
        done.update(path)
    return cycles


def _walk_down(
    roots: list[int], children: dict[int, list[int]]
) -> tuple[list[int], dict[int, int], dict[int, int]]:
    """Breadth-first from each root: visiting order, depth below the root, root."""
    order: list[int] = []
    depth: dict[int, int] = {}
    root: dict[int, int] = {}
    for start in roots:
        depth[start] = 0
        root[start] = start
        queue = deque([start])
        while queue:
            pid = queue.popleft()
            order.append(pid)
            for child in children.get(pid, ()):
                depth[child] = depth[pid] + 1
                root[child] = start
                queue.append(child)
    return order, depth, root
