"""Opportunity solution tree writes: the outcome, its nodes, linked backlog items.

`check_*` validates and authorizes, `do_*` writes; `do_save_node` and `do_delete_node`
are the one call the pages and the API make for a node of any kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from productops.accounts.roles import Login
from productops.backlog.actions import do_reclassify
from productops.backlog.models import Item
from productops.discovery import trees
from productops.discovery import visibility as discovery_visibility
from productops.discovery.backing import items_to_reclassify
from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    TestStatus,
    Touchpoint,
)
from productops.org.models import Team


class ChildrenChoiceNeeded(ValidationError):
    """A node with children was to be deleted without saying what happens to them."""


def check_edit_tree(user: Login, team: Team) -> None:
    if not discovery_visibility.can_edit_tree(user, team):
        raise PermissionDenied(
            f"Only {team.name}'s members, managers and admins edit its opportunity solution "
            "tree: ask one of them."
        )


def _tree_parents(outcome: Outcome) -> dict[int, int | None]:
    return trees.parent_map(outcome)


def check_opportunity_parent(
    outcome: Outcome, opportunity: Opportunity | None, parent: Opportunity | None
) -> None:
    """The parent must be of the same outcome and not the opportunity or one beneath it."""
    if parent is not None and parent.outcome_id != outcome.pk:
        raise ValidationError(
            "The parent opportunity must belong to the same tree: pick one of this outcome."
        )
    problem = trees.parent_problem(
        _tree_parents(outcome),
        opportunity.pk if opportunity else None,
        parent.pk if parent else None,
    )
    if problem:
        raise ValidationError(problem)


def check_evidence(team: Team, touchpoints: Iterable[Touchpoint]) -> None:
    strangers = [t for t in touchpoints if t.team_id != team.pk]
    if strangers:
        raise ValidationError(
            f"An opportunity cites touchpoints of its own team only: {team.name} did not "
            f"log the touchpoint of {strangers[0].date}."
        )


@transaction.atomic
def do_save_outcome(
    user: Login,
    team: Team,
    *,
    title: str,
    metric: str = "",
    baseline: float | None = None,
    target: float | None = None,
    unit: str = "",
) -> Outcome:
    check_edit_tree(user, team)
    if not title.strip():
        raise ValidationError("Name the desired outcome, e.g. 'More first orders complete'.")
    outcome, _ = Outcome.objects.update_or_create(
        team=team,
        defaults={
            "title": title.strip(),
            "metric": metric,
            "baseline": baseline,
            "target": target,
            "unit": unit,
        },
    )
    return outcome


def _next_position(queryset: Any) -> int:
    last = queryset.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def do_save_opportunity(
    user: Login,
    outcome: Outcome,
    *,
    opportunity: Opportunity | None = None,
    title: str,
    description: str = "",
    parent: Opportunity | None = None,
    touchpoints: Iterable[Touchpoint] | None = None,
) -> Opportunity:
    """Add an opportunity (`opportunity` None) or change one, its parent included (a move)."""
    check_edit_tree(user, outcome.team)
    if not title.strip():
        raise ValidationError("Name the opportunity: the customer need, pain or desire.")
    check_opportunity_parent(outcome, opportunity, parent)
    if touchpoints is not None:
        touchpoints = list(touchpoints)
        check_evidence(outcome.team, touchpoints)
    if opportunity is None:
        opportunity = Opportunity(
            outcome=outcome,
            position=_next_position(Opportunity.objects.filter(outcome=outcome, parent=parent)),
        )
    opportunity.title, opportunity.description, opportunity.parent = (
        title.strip(),
        description,
        parent,
    )
    opportunity.save()
    if touchpoints is not None:
        opportunity.touchpoints.set(touchpoints)
    return opportunity


def _same_tree(outcome: Outcome, opportunity: Opportunity) -> None:
    if opportunity.outcome_id != outcome.pk:
        raise ValidationError("Pick an opportunity of this team's tree.")


def _linked_items(solution_ids: Iterable[int]) -> list[int]:
    """The items whose backing by discovery follows these solutions' links."""
    linked = list(Item.objects.filter(solutions__in=list(solution_ids)).distinct())
    return items_to_reclassify(linked) if linked else []


@transaction.atomic
def do_save_solution(
    user: Login,
    opportunity: Opportunity,
    *,
    solution: Solution | None = None,
    title: str,
    description: str = "",
) -> Solution:
    """Add a solution under `opportunity`, or change one (moving it to `opportunity`)."""
    check_edit_tree(user, opportunity.outcome.team)
    if not title.strip():
        raise ValidationError("Name the solution: one way to address the opportunity.")
    if solution is not None:
        _same_tree(opportunity.outcome, solution.opportunity)
    renamed = solution is not None and solution.title != title.strip()
    if solution is None:
        solution = Solution(position=_next_position(opportunity.solutions.all()))
    solution.opportunity, solution.title, solution.description = (
        opportunity,
        title.strip(),
        description,
    )
    solution.save()
    if renamed:  # the items' reasons quote the solution's title
        do_reclassify(_linked_items([solution.pk]))
    return solution


@transaction.atomic
def do_save_test(
    user: Login,
    solution: Solution,
    *,
    test: AssumptionTest | None = None,
    assumption: str,
    how: str = "",
    result: str = "",
    status: str = TestStatus.PLANNED,
) -> AssumptionTest:
    """Add an assumption test under `solution`, or change one (moving it to `solution`)."""
    outcome = solution.opportunity.outcome
    check_edit_tree(user, outcome.team)
    if not assumption.strip():
        raise ValidationError("Write the assumption the test checks.")
    if status not in TestStatus.values:
        raise ValidationError(f"Status is one of {', '.join(TestStatus.values)}.")
    if test is not None:
        _same_tree(outcome, test.solution.opportunity)
    if test is None:
        test = AssumptionTest(position=_next_position(solution.tests.all()))
    test.solution, test.assumption, test.test, test.result, test.status = (
        solution,
        assumption.strip(),
        how,
        result,
        status,
    )
    test.save()
    return test


NODE_KINDS = ("opportunity", "solution", "test")
TreeNodeRecord = Opportunity | Solution | AssumptionTest


def _node_values(kind: str, node: Any) -> dict[str, Any]:
    """A node's current values under its form's field names (a new node's defaults)."""
    if kind == "opportunity":
        return {
            "title": node.title if node else "",
            "description": node.description if node else "",
            "parent": node.parent if node else None,
            "touchpoints": None,  # None: the evidence stays as it is
        }
    if kind == "solution":
        return {
            "title": node.title if node else "",
            "description": node.description if node else "",
            "opportunity": node.opportunity if node else None,
        }
    if kind == "test":
        return {
            "assumption": node.assumption if node else "",
            "test": node.test if node else "",
            "result": node.result if node else "",
            "status": node.status if node else TestStatus.PLANNED,
            "solution": node.solution if node else None,
        }
    raise ValueError(f"No kind of tree node is called {kind!r}: one of {', '.join(NODE_KINDS)}.")


def do_save_node(
    user: Login,
    outcome: Outcome,
    kind: str,
    data: Mapping[str, Any],
    *,
    node: TreeNodeRecord | None = None,
) -> TreeNodeRecord:
    """Add a node of `kind` to the outcome's tree (`node` None) or change `node`.

    `data` holds the fields of the node's form, by name (the page sends its form's
    `cleaned_data`, the API the same names): an opportunity's title, description, parent
    and touchpoints; a solution's title, description and opportunity; an assumption
    test's assumption, test, result, status and solution. A field absent from `data`
    keeps the node's value (a new node's default), so a whole form and a partial change
    are the same call; an absent `touchpoints` leaves the evidence as it is.
    """
    values = {**_node_values(kind, node), **data}
    if kind == "opportunity":
        return do_save_opportunity(
            user,
            outcome,
            opportunity=node if isinstance(node, Opportunity) else None,
            title=values["title"],
            description=values["description"],
            parent=values["parent"],
            touchpoints=values["touchpoints"],
        )
    if kind == "solution":
        opportunity = values["opportunity"]
        if opportunity is None:
            raise ValidationError("Pick the opportunity the solution addresses.")
        _same_tree(outcome, opportunity)
        return do_save_solution(
            user,
            opportunity,
            solution=node if isinstance(node, Solution) else None,
            title=values["title"],
            description=values["description"],
        )
    solution = values["solution"]
    if solution is None:
        raise ValidationError("Pick the solution whose assumption the test checks.")
    _same_tree(outcome, solution.opportunity)
    return do_save_test(
        user,
        solution,
        test=node if isinstance(node, AssumptionTest) else None,
        assumption=values["assumption"],
        how=values["test"],
        result=values["result"],
        status=values["status"],
    )


def _children_needed(what: str, impact: trees.DeletionImpact) -> ChildrenChoiceNeeded:
    return ChildrenChoiceNeeded(
        f"This {what} has children ({impact.opportunities} opportunities, {impact.solutions} "
        f"solutions, {impact.tests} assumption tests below it): say whether to move them up "
        "(children=lift) or delete them too (children=delete)."
    )


@transaction.atomic
def do_delete_opportunity(
    user: Login,
    opportunity: Opportunity,
    *,
    children: str | None = None,
    move_solutions_to: Opportunity | None = None,
) -> trees.DeletionImpact:
    """Delete an opportunity; its children are lifted to its parent or deleted with it.

    Lifting: child opportunities move to the deleted one's parent (the top level when it
    had none); its solutions move to its parent, or, at the top level, to
    `move_solutions_to`, another opportunity of the tree. Returns what went with it.
    """
    outcome = opportunity.outcome
    check_edit_tree(user, outcome.team)
    impact = trees.opportunity_impact(opportunity)
    has_solutions = opportunity.solutions.exists()
    has_children = has_solutions or opportunity.children.exists()
    if has_children and children not in trees.CHILDREN_CHOICES:
        raise _children_needed("opportunity", impact)
    solution_ids = list(
        Solution.objects.filter(
            opportunity_id__in={opportunity.pk}
            | trees.descendants(trees.parent_map(outcome), opportunity.pk)
        ).values_list("pk", flat=True)
    )
    if children == trees.LIFT and has_children:
        target = opportunity.parent
        if has_solutions and target is None:
            if move_solutions_to is None or move_solutions_to.pk == opportunity.pk:
                raise ValidationError(
                    "A top-level opportunity's solutions need another opportunity to go to: "
                    "pick one, or delete them too."
                )
            _same_tree(outcome, move_solutions_to)
            target = move_solutions_to
        opportunity.children.update(parent=opportunity.parent)
        if has_solutions:
            opportunity.solutions.update(opportunity=target)
        impact = trees.DeletionImpact(0, 0, 0)
        solution_ids = []
    linked = _linked_items(solution_ids)
    opportunity.delete()
    if linked:  # the linked items lose their backing
        do_reclassify(linked)
    return impact


@transaction.atomic
def do_delete_solution(
    user: Login,
    solution: Solution,
    *,
    children: str | None = None,
    move_tests_to: Solution | None = None,
) -> trees.DeletionImpact:
    """Delete a solution; its assumption tests move to another solution or go with it."""
    outcome = solution.opportunity.outcome
    check_edit_tree(user, outcome.team)
    impact = trees.solution_impact(solution)
    if impact.has_children and children not in trees.CHILDREN_CHOICES:
        raise _children_needed("solution", impact)
    if children == trees.LIFT and impact.has_children:
        if move_tests_to is None or move_tests_to.pk == solution.pk:
            raise ValidationError(
                "Pick another solution of the tree for the assumption tests, or delete them too."
            )
        _same_tree(outcome, move_tests_to.opportunity)
        solution.tests.update(solution=move_tests_to)
        impact = trees.DeletionImpact(0, 0, 0)
    linked = _linked_items([solution.pk])
    solution.delete()
    if linked:
        do_reclassify(linked)
    return impact


@transaction.atomic
def do_delete_test(user: Login, test: AssumptionTest) -> None:
    check_edit_tree(user, test.solution.opportunity.outcome.team)
    test.delete()


def do_delete_node(
    user: Login,
    kind: str,
    node: TreeNodeRecord,
    *,
    children: str | None = None,
    move_to: Any = None,
) -> trees.DeletionImpact:
    """Delete a node of `kind`; `children` and `move_to` say where its children go."""
    if isinstance(node, Opportunity):
        return do_delete_opportunity(user, node, children=children, move_solutions_to=move_to)
    if isinstance(node, Solution):
        return do_delete_solution(user, node, children=children, move_tests_to=move_to)
    do_delete_test(user, node)
    return trees.DeletionImpact(0, 0, 0)


def find_item(key: str) -> Item:
    """The backlog item with this key ("SHOP-12", or "jira:SHOP-12" when two sources share it)."""
    key = key.strip()
    source, _, bare = key.rpartition(":") if ":" in key else ("", "", key)
    items = Item.objects.filter(key__iexact=bare)
    if source:
        items = items.filter(source=source.lower())
    found = list(items[:2])
    if not found:
        raise ValidationError(
            f"No backlog item has the key {key!r}: check it in the backlog's item list."
        )
    if len(found) > 1:
        raise ValidationError(
            f"Two sources have an item {bare!r}: write it with its source, e.g. "
            f"'{found[0].source}:{found[0].key}'."
        )
    return found[0]


@transaction.atomic
def do_link_item(user: Login, solution: Solution, key: str) -> Item:
    """Link a backlog item or epic to a solution: it (and an epic's children) are reclassified."""
    check_edit_tree(user, solution.opportunity.outcome.team)
    item = find_item(key)
    solution.items.add(item)
    do_reclassify(items_to_reclassify([item]))
    return item


@transaction.atomic
def do_unlink_item(user: Login, solution: Solution, item: Item) -> None:
    check_edit_tree(user, solution.opportunity.outcome.team)
    solution.items.remove(item)
    do_reclassify(items_to_reclassify([item]))
