"""Opportunity solution trees: their shape, and the rules that keep them whole.

The rules are pure functions over a map of each opportunity to its parent
(`parent_of`), so they can be tested without a database: an opportunity's parent must
belong to the same outcome and must be neither the opportunity itself nor one of its
descendants (no cycles). `load_tree` reads a whole tree in three queries whatever its size
and returns plain nodes (`TreeNode`) that the page, the SVG and the API all draw from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    TestStatus,
)
from productops.org.models import Team, builds_product

# What to do with a deleted node's children.
LIFT = "lift"
DELETE = "delete"
CHILDREN_CHOICES = (LIFT, DELETE)

# ---------------------------------------------------------------------------------------
# Integrity: pure rules over the parent map
# ---------------------------------------------------------------------------------------


def children_of(parent_of: Mapping[int, int | None]) -> dict[int | None, list[int]]:
    """Each opportunity's direct children (None: the top level), in id order."""
    children: dict[int | None, list[int]] = {}
    for child, parent in sorted(parent_of.items()):
        children.setdefault(parent, []).append(child)
    return children


def descendants(parent_of: Mapping[int, int | None], root: int) -> set[int]:
    """Every opportunity below `root` (not `root` itself), however deep."""
    children = children_of(parent_of)
    found: set[int] = set()
    stack = list(children.get(root, []))
    while stack:
        node = stack.pop()
        if node in found or node == root:  # a stored cycle must not loop forever
            continue
        found.add(node)
        stack.extend(children.get(node, []))
    return found


def parent_problem(
    parent_of: Mapping[int, int | None], opportunity: int | None, parent: int | None
) -> str | None:
    """Why `parent` may not hold `opportunity` (None when it may).

    `parent_of` holds the opportunities of one outcome; `opportunity` is None for a new
    one. A parent outside `parent_of` belongs to another outcome.
    """
    if parent is None:
        return None
    if parent not in parent_of:
        return "The parent opportunity must belong to the same tree: pick one of this outcome."
    if opportunity is None:
        return None
    if parent == opportunity:
        return "An opportunity cannot be its own parent: pick another one, or none."
    if parent in descendants(parent_of, opportunity):
        return (
            "That opportunity sits below this one, so the tree would loop: pick one that "
            "is not beneath it, or none."
        )
    return None


def allowed_parents(parent_of: Mapping[int, int | None], opportunity: int | None) -> set[int]:
    """The opportunities that may hold `opportunity` (all others of the tree for a new one)."""
    return {p for p in parent_of if parent_problem(parent_of, opportunity, p) is None}


@dataclass(frozen=True)
class DeletionImpact:
    """What goes when an opportunity (or a solution) is deleted with its children."""

    opportunities: int  # below it, not counting itself
    solutions: int
    tests: int

    @property
    def has_children(self) -> bool:
        return bool(self.opportunities or self.solutions or self.tests)


# ---------------------------------------------------------------------------------------
# The tree as plain nodes
# ---------------------------------------------------------------------------------------


@dataclass
class TreeNode:
    kind: str  # "outcome" | "opportunity" | "solution" | "test"
    id: int
    title: str
    children: list[TreeNode] = field(default_factory=list)
    status: str = ""  # of a test
    evidence: int = 0  # touchpoints an opportunity cites
    items: int = 0  # backlog items linked to a solution
    description: str = ""

    def walk(self) -> Iterable[TreeNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    def count(self, kind: str) -> int:
        return sum(1 for node in self.walk() if node.kind == kind)


def load_tree(outcome: Outcome) -> TreeNode:
    """The outcome and everything under it, in three queries."""
    opportunities = list(
        Opportunity.objects.filter(outcome=outcome)
        .annotate(evidence=Count("touchpoints", distinct=True))
        .order_by("position", "pk")
    )
    solutions = list(
        Solution.objects.filter(opportunity__outcome=outcome)
        .annotate(item_count=Count("items", distinct=True))
        .order_by("position", "pk")
    )
    tests = list(
        AssumptionTest.objects.filter(solution__opportunity__outcome=outcome).order_by(
            "position", "pk"
        )
    )
    root = TreeNode("outcome", outcome.pk, outcome.title)
    nodes = {
        o.pk: TreeNode("opportunity", o.pk, o.title, evidence=o.evidence, description=o.description)
        for o in opportunities
    }
    solution_nodes = {
        s.pk: TreeNode("solution", s.pk, s.title, items=s.item_count, description=s.description)
        for s in solutions
    }
    for o in opportunities:
        parent = nodes.get(o.parent_id) if o.parent_id else None
        (parent or root).children.append(nodes[o.pk])
    for s in solutions:
        nodes[s.opportunity_id].children.append(solution_nodes[s.pk])
    for t in tests:
        solution_nodes[t.solution_id].children.append(
            TreeNode("test", t.pk, t.assumption, status=t.status, description=t.result)
        )
    return root


NODE_NAMES = {"opportunity": "opportunity", "solution": "solution", "test": "assumption test"}


def nodes_of(outcome: Outcome, kind: str) -> QuerySet[Any]:
    """The nodes of `kind` (one of `NODE_NAMES`) in the outcome's tree, to look one up by id."""
    if kind == "opportunity":
        return Opportunity.objects.filter(outcome=outcome)
    if kind == "solution":
        return Solution.objects.filter(opportunity__outcome=outcome).select_related(
            "opportunity__outcome__team"
        )
    if kind == "test":
        return AssumptionTest.objects.filter(solution__opportunity__outcome=outcome)
    raise ValueError(f"No kind of tree node is called {kind!r}.")


def parent_map(outcome: Outcome) -> dict[int, int | None]:
    return dict(Opportunity.objects.filter(outcome=outcome).values_list("pk", "parent_id"))


def opportunity_impact(opportunity: Opportunity) -> DeletionImpact:
    """What deleting `opportunity` with its children removes besides itself."""
    below = descendants(parent_map(opportunity.outcome), opportunity.pk)
    scope = below | {opportunity.pk}
    return DeletionImpact(
        opportunities=len(below),
        solutions=Solution.objects.filter(opportunity_id__in=scope).count(),
        tests=AssumptionTest.objects.filter(solution__opportunity_id__in=scope).count(),
    )


def solution_impact(solution: Solution) -> DeletionImpact:
    return DeletionImpact(opportunities=0, solutions=0, tests=solution.tests.count())


def tests_by_status(root: TreeNode) -> dict[str, int]:
    """Assumption tests of the tree by status, every status present (zero when none)."""
    counts = {status: 0 for status in TestStatus.values}
    for node in root.walk():
        if node.kind == "test":
            counts[node.status] = counts.get(node.status, 0) + 1
    return counts


# ---------------------------------------------------------------------------------------
# Every team's tree, counted
# ---------------------------------------------------------------------------------------


def teams_with_trees() -> QuerySet[Team]:
    """The teams the list of trees shows, by name, each with its tree's counts annotated.

    A group that holds other teams has no tree of its own, unless someone drew one.
    """
    statuses = {
        f"tests_{status}": Count(
            "outcome__opportunities__solutions__tests",
            filter=Q(outcome__opportunities__solutions__tests__status=status),
            distinct=True,
        )
        for status in TestStatus.values
    }
    return (
        Team.objects.select_related("outcome")
        .annotate(
            opportunity_count=Count("outcome__opportunities", distinct=True),
            solution_count=Count("outcome__opportunities__solutions", distinct=True),
            test_count=Count("outcome__opportunities__solutions__tests", distinct=True),
            **statuses,
        )
        .filter(builds_product() | Exists(Outcome.objects.filter(team=OuterRef("pk"))))
        .order_by("name")
    )


def tree_counts(team: Any) -> dict[str, Any]:
    """One row of the list of trees: a team of `teams_with_trees` and its counts."""
    return {
        "team": team,
        "outcome": getattr(team, "outcome", None),
        "opportunities": team.opportunity_count,
        "solutions": team.solution_count,
        "tests": team.test_count,
        "by_status": [
            (label, getattr(team, f"tests_{status}"))
            for status, label in TestStatus.choices
            if getattr(team, f"tests_{status}")
        ],
    }
