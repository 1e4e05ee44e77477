"""Opportunity solution trees API: a team's tree as nested JSON, its nodes, linked items.

The same actions and `discovery.visibility` rules as the pages: viewers see no tree
(404); those who may not edit a team's tree get 403 with the action's sentence; invalid
input answers 422, a node of another tree or an unknown id 404. Deleting a node that has
children needs `children=lift|delete` (400 with what goes otherwise).

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. The schemas (`Tree` prefixed) are in
`discovery/schemas/trees.py`. A node is saved by `actions.do_save_node`, the pages' call:
a PATCH changes the fields it sends and keeps the others (null is as good as absent).
"""

from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from productops.accounts.visibility import visible_or_404
from productops.backlog.models import Item
from productops.discovery import actions, trees, visibility
from productops.discovery.models import Outcome, TestStatus, Touchpoint
from productops.discovery.schemas.trees import (
    TreeDeletedOut,
    TreeItemIn,
    TreeItemOut,
    TreeNodeRef,
    TreeOpportunityIn,
    TreeOpportunityPatch,
    TreeOut,
    TreeOutcomeIn,
    TreeSolutionIn,
    TreeSolutionPatch,
    TreeTestIn,
    TreeTestPatch,
)
from productops.org.models import Team

router = Router(tags=["discovery: trees"])

# -- lookups: a node of another tree, or none, answers 404 (productops/api.py) -----------


def _team(request: HttpRequest, team_id: int) -> Team:
    if not visibility.sees_trees(request.user):
        raise Http404("No such tree.")
    return visible_or_404(Team.objects.all(), f"No team has the id {team_id}.", pk=team_id)


def _outcome(request: HttpRequest, team_id: int, *, edit: bool = True) -> Outcome:
    team = _team(request, team_id)
    if edit:
        actions.check_edit_tree(request.user, team)
    return visible_or_404(
        Outcome.objects.filter(team=team).select_related("team"),
        f"{team.name} has no desired outcome yet: PUT one first.",
    )


def _found(outcome: Outcome, kind: str, pk: int, field: str | None = "id") -> Any:
    """The node of `kind` with this id in the outcome's tree; `field` names the id's field."""
    where = f" ({field})" if field else ""
    return visible_or_404(
        trees.nodes_of(outcome, kind),
        f"No {trees.NODE_NAMES[kind]} of this tree has the id {pk}{where}.",
        pk=pk,
    )


def _own(outcome: Outcome, kind: str, pk: int) -> Any:
    """The node the route's path names (a test's message names no field)."""
    return _found(outcome, kind, pk, None if kind == "test" else "id")


def _touchpoints(request: HttpRequest, ids: list[int]) -> list[Touchpoint]:
    found = list(visibility.visible_touchpoints(request.user).filter(pk__in=ids))
    missing = sorted(set(ids) - {t.pk for t in found})
    if missing:
        raise ValidationError(f"No touchpoint you can see has the id {missing[0]}.")
    return found


def _changes(payload: Schema, *names: str) -> dict[str, Any]:
    """The fields among `names` that the payload sets; a null one is as good as absent."""
    sent = payload.dict(exclude_unset=True)
    return {name: sent[name] for name in names if sent.get(name) is not None}


def _save(
    request: HttpRequest, outcome: Outcome, kind: str, data: dict[str, Any], node: Any = None
) -> dict[str, Any]:
    """Add (`node` None) or change a node through the pages' call: absent fields keep theirs."""
    saved = actions.do_save_node(request.user, outcome, kind, data, node=node)
    return {"kind": kind, "id": saved.pk}


def _opportunity_data(
    request: HttpRequest,
    outcome: Outcome,
    payload: TreeOpportunityIn | TreeOpportunityPatch,
    *,
    move: bool,
) -> dict[str, Any]:
    data = _changes(payload, "title", "description")
    if move:
        data["parent"] = (
            _found(outcome, "opportunity", payload.parent_id, "parent_id")
            if payload.parent_id is not None
            else None
        )
    if payload.touchpoint_ids is not None:
        data["touchpoints"] = _touchpoints(request, payload.touchpoint_ids)
    return data


def _solution_data(outcome: Outcome, payload: TreeSolutionIn | TreeSolutionPatch) -> dict[str, Any]:
    data = _changes(payload, "title", "description")
    if payload.opportunity_id is not None:
        data["opportunity"] = _found(
            outcome, "opportunity", payload.opportunity_id, "opportunity_id"
        )
    return data


def _test_data(outcome: Outcome, payload: TreeTestIn | TreeTestPatch) -> dict[str, Any]:
    data = _changes(payload, "assumption", "test", "result", "status")
    if payload.solution_id is not None:
        data["solution"] = _found(outcome, "solution", payload.solution_id, "solution_id")
    return data


def _delete(
    request: HttpRequest,
    team_id: int,
    kind: str,
    pk: int,
    *,
    children: str | None = None,
    move_to: int | None = None,
    move_to_field: str = "",
) -> dict[str, Any]:
    """Delete a node; its children go to the node `move_to` (its id's field: move_to_field)."""
    outcome = _outcome(request, team_id)
    node = _own(outcome, kind, pk)
    target_kind = "opportunity" if kind == "opportunity" else "solution"
    target = _found(outcome, target_kind, move_to, move_to_field) if move_to else None
    try:
        impact = actions.do_delete_node(request.user, kind, node, children=children, move_to=target)
    except actions.ChildrenChoiceNeeded as problem:  # 400, not 422: say what goes first
        raise HttpError(400, " ".join(problem.messages)) from None
    return {
        "deleted": {"kind": kind, "id": pk},
        "opportunities": impact.opportunities,
        "solutions": impact.solutions,
        "tests": impact.tests,
    }


def _node(node: trees.TreeNode) -> dict[str, Any]:
    return {
        "kind": node.kind,
        "id": node.id,
        "title": node.title,
        "description": node.description,
        "status": node.status,
        "evidence": node.evidence,
        "items": node.items,
        "children": [_node(child) for child in node.children],
    }


# -- routes -------------------------------------------------------------------------------


@router.get("/teams/{team_id}/tree", response=TreeOut)
def get_tree(request: HttpRequest, team_id: int) -> dict[str, Any]:
    """A team's tree as nested nodes: outcome → opportunities → solutions → tests."""
    team = _team(request, team_id)
    outcome = Outcome.objects.filter(team=team).first()
    root = trees.load_tree(outcome) if outcome else None
    return {
        "team_id": team.pk,
        "team": team.name,
        "can_edit": visibility.can_edit_tree(request.user, team),
        "outcome": {
            "id": outcome.pk,
            "title": outcome.title,
            "metric": outcome.metric,
            "baseline": outcome.baseline,
            "target": outcome.target,
            "unit": outcome.unit,
        }
        if outcome
        else None,
        "tree": _node(root) if root else None,
        "tests_by_status": trees.tests_by_status(root)
        if root
        else dict.fromkeys(TestStatus.values, 0),
    }


@router.put("/teams/{team_id}/tree/outcome", response=TreeNodeRef)
def put_outcome(request: HttpRequest, team_id: int, payload: TreeOutcomeIn) -> dict[str, Any]:
    team = _team(request, team_id)
    outcome = actions.do_save_outcome(request.user, team, **payload.dict())
    return {"kind": "outcome", "id": outcome.pk}


@router.post("/teams/{team_id}/tree/opportunities", response={201: TreeNodeRef})
def create_opportunity(
    request: HttpRequest, team_id: int, payload: TreeOpportunityIn
) -> tuple[int, dict[str, Any]]:
    outcome = _outcome(request, team_id)
    data = _opportunity_data(request, outcome, payload, move=True)
    return 201, _save(request, outcome, "opportunity", data)


@router.patch("/teams/{team_id}/tree/opportunities/{pk}", response=TreeNodeRef)
def update_opportunity(
    request: HttpRequest, team_id: int, pk: int, payload: TreeOpportunityPatch
) -> dict[str, Any]:
    """Change an opportunity; with move=true it moves under parent_id (None: top level)."""
    outcome = _outcome(request, team_id)
    opportunity = _own(outcome, "opportunity", pk)
    data = _opportunity_data(request, outcome, payload, move=payload.move)
    return _save(request, outcome, "opportunity", data, opportunity)


@router.delete("/teams/{team_id}/tree/opportunities/{pk}", response=TreeDeletedOut)
def delete_opportunity(
    request: HttpRequest,
    team_id: int,
    pk: int,
    children: Literal["lift", "delete"] | None = None,
    move_solutions_to: int | None = None,
) -> dict[str, Any]:
    """children=lift moves them up (a top-level one's solutions to move_solutions_to)."""
    return _delete(
        request,
        team_id,
        "opportunity",
        pk,
        children=children,
        move_to=move_solutions_to,
        move_to_field="move_solutions_to",
    )


@router.post("/teams/{team_id}/tree/solutions", response={201: TreeNodeRef})
def create_solution(
    request: HttpRequest, team_id: int, payload: TreeSolutionIn
) -> tuple[int, dict[str, Any]]:
    outcome = _outcome(request, team_id)
    return 201, _save(request, outcome, "solution", _solution_data(outcome, payload))


@router.patch("/teams/{team_id}/tree/solutions/{pk}", response=TreeNodeRef)
def update_solution(
    request: HttpRequest, team_id: int, pk: int, payload: TreeSolutionPatch
) -> dict[str, Any]:
    outcome = _outcome(request, team_id)
    solution = _own(outcome, "solution", pk)
    return _save(request, outcome, "solution", _solution_data(outcome, payload), solution)


@router.delete("/teams/{team_id}/tree/solutions/{pk}", response=TreeDeletedOut)
def delete_solution(
    request: HttpRequest,
    team_id: int,
    pk: int,
    children: Literal["lift", "delete"] | None = None,
    move_tests_to: int | None = None,
) -> dict[str, Any]:
    """children=lift moves its assumption tests to move_tests_to; delete removes them."""
    return _delete(
        request,
        team_id,
        "solution",
        pk,
        children=children,
        move_to=move_tests_to,
        move_to_field="move_tests_to",
    )


@router.post("/teams/{team_id}/tree/tests", response={201: TreeNodeRef})
def create_test(
    request: HttpRequest, team_id: int, payload: TreeTestIn
) -> tuple[int, dict[str, Any]]:
    outcome = _outcome(request, team_id)
    return 201, _save(request, outcome, "test", _test_data(outcome, payload))


@router.patch("/teams/{team_id}/tree/tests/{pk}", response=TreeNodeRef)
def update_test(
    request: HttpRequest, team_id: int, pk: int, payload: TreeTestPatch
) -> dict[str, Any]:
    outcome = _outcome(request, team_id)
    test = _own(outcome, "test", pk)
    return _save(request, outcome, "test", _test_data(outcome, payload), test)


@router.delete("/teams/{team_id}/tree/tests/{pk}", response=TreeDeletedOut)
def delete_test(request: HttpRequest, team_id: int, pk: int) -> dict[str, Any]:
    return _delete(request, team_id, "test", pk)


def _item(item: Item) -> dict[str, Any]:
    return {
        "id": item.pk,
        "source": item.source,
        "key": item.key,
        "title": item.title,
        "type": item.type,
        "status_category": item.status_category,
    }


@router.get("/teams/{team_id}/tree/solutions/{pk}/items", response=list[TreeItemOut])
def solution_items(request: HttpRequest, team_id: int, pk: int) -> list[dict[str, Any]]:
    outcome = _outcome(request, team_id, edit=False)
    solution = _found(outcome, "solution", pk)
    return [_item(item) for item in solution.items.order_by("source", "key")]


@router.post("/teams/{team_id}/tree/solutions/{pk}/items", response={201: TreeItemOut})
def link_item(
    request: HttpRequest, team_id: int, pk: int, payload: TreeItemIn
) -> tuple[int, dict[str, Any]]:
    """Link a backlog item or epic by key: it (and an epic's children) are reclassified."""
    outcome = _outcome(request, team_id)
    solution = _found(outcome, "solution", pk)
    return 201, _item(actions.do_link_item(request.user, solution, payload.key))


@router.delete("/teams/{team_id}/tree/solutions/{pk}/items/{item_id}", response={204: None})
def unlink_item(request: HttpRequest, team_id: int, pk: int, item_id: int) -> tuple[int, None]:
    outcome = _outcome(request, team_id)
    solution = _found(outcome, "solution", pk)
    item = visible_or_404(
        solution.items.all(),
        f"No item with the id {item_id} is linked to this solution.",
        pk=item_id,
    )
    actions.do_unlink_item(request.user, solution, item)
    return 204, None
