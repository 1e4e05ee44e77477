"""Opportunity solution trees API: a team's tree as nested JSON, its nodes, linked items.

The same actions and `discovery.visibility` rules as the pages: viewers see no tree
(404); those who may not edit a team's tree get 403 with the action's sentence; invalid
input answers 422, a node of another tree or an unknown id 404. Deleting a node that has
children needs `children=lift|delete` (400 with what goes otherwise).

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. Schemas carry a `Tree` prefix.
"""

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from productops.backlog.models import Item
from productops.discovery import actions, trees, visibility
from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    TestStatus,
)
from productops.org.models import Team

router = Router(tags=["discovery: trees"])

# -- schemas ------------------------------------------------------------------------------


class TreeNodeOut(Schema):
    kind: str = Field(description="outcome, opportunity, solution or test")
    id: int
    title: str = Field(description="For a test, its assumption")
    description: str = Field(description="For a test, its result")
    status: str = Field(description="A test's status; empty for other nodes")
    evidence: int = Field(description="Touchpoints an opportunity cites")
    items: int = Field(description="Backlog items linked to a solution")
    children: list["TreeNodeOut"]


TreeNodeOut.model_rebuild()


class TreeOut(Schema):
    team_id: int
    team: str
    can_edit: bool
    outcome: dict[str, Any] | None
    tree: TreeNodeOut | None
    tests_by_status: dict[str, int]


class TreeOutcomeIn(Schema):
    title: str
    metric: str = ""
    baseline: float | None = None
    target: float | None = None
    unit: str = ""


class TreeOpportunityIn(Schema):
    title: str
    description: str = ""
    parent_id: int | None = Field(None, description="None: a top-level opportunity")
    touchpoint_ids: list[int] = Field(default_factory=list, description="The evidence")


class TreeOpportunityPatch(Schema):
    title: str | None = None
    description: str | None = None
    parent_id: int | None = Field(None, description="Send with move=true to change it")
    move: bool = Field(False, description="Set the parent to parent_id (None: top level)")
    touchpoint_ids: list[int] | None = None


class TreeSolutionIn(Schema):
    opportunity_id: int
    title: str
    description: str = ""


class TreeSolutionPatch(Schema):
    opportunity_id: int | None = None
    title: str | None = None
    description: str | None = None


class TreeTestIn(Schema):
    solution_id: int
    assumption: str
    test: str = ""
    result: str = ""
    status: str = TestStatus.PLANNED.value


class TreeTestPatch(Schema):
    solution_id: int | None = None
    assumption: str | None = None
    test: str | None = None
    result: str | None = None
    status: str | None = None


class TreeNodeRef(Schema):
    kind: str
    id: int


class TreeDeletedOut(Schema):
    deleted: TreeNodeRef
    opportunities: int = Field(description="Deleted with it")
    solutions: int
    tests: int


class TreeItemIn(Schema):
    key: str = Field(description='The item\'s key, e.g. "SHOP-12" ("jira:SHOP-12" if ambiguous)')


class TreeItemOut(Schema):
    id: int
    source: str
    key: str
    title: str
    type: str
    status_category: str


# -- helpers ------------------------------------------------------------------------------

Result = TypeVar("Result")


def _act(call: Callable[..., Result], *args: Any, **kwargs: Any) -> Result:
    """Run an action, turning its refusals into the API's status codes."""
    try:
        return call(*args, **kwargs)
    except PermissionDenied as refusal:
        raise HttpError(403, str(refusal) or "Your role may not do this.") from None
    except actions.ChildrenChoiceNeeded as problem:
        raise HttpError(400, " ".join(problem.messages)) from None
    except ValidationError as problem:
        raise HttpError(422, " ".join(problem.messages)) from None


def _team(request: HttpRequest, team_id: int) -> Team:
    if not visibility.sees_trees(request.user):
        raise HttpError(404, "No such tree.")
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise HttpError(404, f"No team has the id {team_id}.")
    return team


def _outcome(request: HttpRequest, team_id: int, *, edit: bool = True) -> Outcome:
    team = _team(request, team_id)
    if edit:
        _act(actions.check_edit_tree, request.user, team)
    outcome = Outcome.objects.filter(team=team).select_related("team").first()
    if outcome is None:
        raise HttpError(404, f"{team.name} has no desired outcome yet: PUT one first.")
    return outcome


def _opportunity(outcome: Outcome, pk: int | None, field: str = "id") -> Opportunity | None:
    if pk is None:
        return None
    found = Opportunity.objects.filter(pk=pk, outcome=outcome).first()
    if found is None:
        raise HttpError(404, f"No opportunity of this tree has the id {pk} ({field}).")
    return found


def _solution(outcome: Outcome, pk: int, field: str = "id") -> Solution:
    found = (
        Solution.objects.filter(pk=pk, opportunity__outcome=outcome)
        .select_related("opportunity__outcome__team")
        .first()
    )
    if found is None:
        raise HttpError(404, f"No solution of this tree has the id {pk} ({field}).")
    return found


def _test(outcome: Outcome, pk: int) -> AssumptionTest:
    found = AssumptionTest.objects.filter(pk=pk, solution__opportunity__outcome=outcome).first()
    if found is None:
        raise HttpError(404, f"No assumption test of this tree has the id {pk}.")
    return found


def _touchpoints(request: HttpRequest, outcome: Outcome, ids: list[int]) -> list[Any]:
    found = list(visibility.visible_touchpoints(request.user).filter(pk__in=ids))
    missing = sorted(set(ids) - {t.pk for t in found})
    if missing:
        raise HttpError(422, f"No touchpoint you can see has the id {missing[0]}.")
    return found


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
    outcome = _act(actions.do_save_outcome, request.user, team, **payload.dict())
    return {"kind": "outcome", "id": outcome.pk}


@router.post("/teams/{team_id}/tree/opportunities", response={201: TreeNodeRef})
def create_opportunity(
    request: HttpRequest, team_id: int, payload: TreeOpportunityIn
) -> tuple[int, dict[str, Any]]:
    outcome = _outcome(request, team_id)
    opportunity = _act(
        actions.do_save_opportunity,
        request.user,
        outcome,
        title=payload.title,
        description=payload.description,
        parent=_opportunity(outcome, payload.parent_id, "parent_id"),
        touchpoints=_touchpoints(request, outcome, payload.touchpoint_ids),
    )
    return 201, {"kind": "opportunity", "id": opportunity.pk}


@router.patch("/teams/{team_id}/tree/opportunities/{pk}", response=TreeNodeRef)
def update_opportunity(
    request: HttpRequest, team_id: int, pk: int, payload: TreeOpportunityPatch
) -> dict[str, Any]:
    """Change an opportunity; with move=true it moves under parent_id (None: top level)."""
    outcome = _outcome(request, team_id)
    opportunity = _opportunity(outcome, pk)
    assert opportunity is not None
    parent = (
        _opportunity(outcome, payload.parent_id, "parent_id")
        if payload.move
        else opportunity.parent
    )
    touchpoints = (
        _touchpoints(request, outcome, payload.touchpoint_ids)
        if payload.touchpoint_ids is not None
        else None
    )
    _act(
        actions.do_save_opportunity,
        request.user,
        outcome,
        opportunity=opportunity,
        title=opportunity.title if payload.title is None else payload.title,
        description=opportunity.description if payload.description is None else payload.description,
        parent=parent,
        touchpoints=touchpoints,
    )
    return {"kind": "opportunity", "id": opportunity.pk}


def _deleted(kind: str, pk: int, impact: trees.DeletionImpact) -> dict[str, Any]:
    return {
        "deleted": {"kind": kind, "id": pk},
        "opportunities": impact.opportunities,
        "solutions": impact.solutions,
        "tests": impact.tests,
    }


@router.delete("/teams/{team_id}/tree/opportunities/{pk}", response=TreeDeletedOut)
def delete_opportunity(
    request: HttpRequest,
    team_id: int,
    pk: int,
    children: Literal["lift", "delete"] | None = None,
    move_solutions_to: int | None = None,
) -> dict[str, Any]:
    """children=lift moves them up (a top-level one's solutions to move_solutions_to)."""
    outcome = _outcome(request, team_id)
    opportunity = _opportunity(outcome, pk)
    target = _opportunity(outcome, move_solutions_to, "move_solutions_to")
    impact = _act(
        actions.do_delete_opportunity,
        request.user,
        opportunity,
        children=children,
        move_solutions_to=target,
    )
    return _deleted("opportunity", pk, impact)


@router.post("/teams/{team_id}/tree/solutions", response={201: TreeNodeRef})
def create_solution(
    request: HttpRequest, team_id: int, payload: TreeSolutionIn
) -> tuple[int, dict[str, Any]]:
    outcome = _outcome(request, team_id)
    opportunity = _opportunity(outcome, payload.opportunity_id, "opportunity_id")
    solution = _act(
        actions.do_save_solution,
        request.user,
        opportunity,
        title=payload.title,
        description=payload.description,
    )
    return 201, {"kind": "solution", "id": solution.pk}


@router.patch("/teams/{team_id}/tree/solutions/{pk}", response=TreeNodeRef)
def update_solution(
    request: HttpRequest, team_id: int, pk: int, payload: TreeSolutionPatch
) -> dict[str, Any]:
    outcome = _outcome(request, team_id)
    solution = _solution(outcome, pk)
    opportunity = (
        _opportunity(outcome, payload.opportunity_id, "opportunity_id")
        if payload.opportunity_id is not None
        else solution.opportunity
    )
    _act(
        actions.do_save_solution,
        request.user,
        opportunity,
        solution=solution,
        title=solution.title if payload.title is None else payload.title,
        description=solution.description if payload.description is None else payload.description,
    )
    return {"kind": "solution", "id": solution.pk}


@router.delete("/teams/{team_id}/tree/solutions/{pk}", response=TreeDeletedOut)
def delete_solution(
    request: HttpRequest,
    team_id: int,
    pk: int,
    children: Literal["lift", "delete"] | None = None,
    move_tests_to: int | None = None,
) -> dict[str, Any]:
    """children=lift moves its assumption tests to move_tests_to; delete removes them."""
    outcome = _outcome(request, team_id)
    solution = _solution(outcome, pk)
    target = _solution(outcome, move_tests_to, "move_tests_to") if move_tests_to else None
    impact = _act(
        actions.do_delete_solution,
        request.user,
        solution,
        children=children,
        move_tests_to=target,
    )
    return _deleted("solution", pk, impact)


@router.post("/teams/{team_id}/tree/tests", response={201: TreeNodeRef})
def create_test(
    request: HttpRequest, team_id: int, payload: TreeTestIn
) -> tuple[int, dict[str, Any]]:
    outcome = _outcome(request, team_id)
    solution = _solution(outcome, payload.solution_id, "solution_id")
    test = _act(
        actions.do_save_test,
        request.user,
        solution,
        assumption=payload.assumption,
        how=payload.test,
        result=payload.result,
        status=payload.status,
    )
    return 201, {"kind": "test", "id": test.pk}


@router.patch("/teams/{team_id}/tree/tests/{pk}", response=TreeNodeRef)
def update_test(
    request: HttpRequest, team_id: int, pk: int, payload: TreeTestPatch
) -> dict[str, Any]:
    outcome = _outcome(request, team_id)
    test = _test(outcome, pk)
    solution = (
        _solution(outcome, payload.solution_id, "solution_id")
        if payload.solution_id is not None
        else test.solution
    )
    changes = payload.dict(exclude_unset=True)
    _act(
        actions.do_save_test,
        request.user,
        solution,
        test=test,
        assumption=changes.get("assumption") or test.assumption,
        how=changes.get("test", test.test) or "",
        result=changes.get("result", test.result) or "",
        status=changes.get("status") or test.status,
    )
    return {"kind": "test", "id": test.pk}


@router.delete("/teams/{team_id}/tree/tests/{pk}", response=TreeDeletedOut)
def delete_test(request: HttpRequest, team_id: int, pk: int) -> dict[str, Any]:
    outcome = _outcome(request, team_id)
    test = _test(outcome, pk)
    _act(actions.do_delete_test, request.user, test)
    return _deleted("test", pk, trees.DeletionImpact(0, 0, 0))


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
    solution = _solution(outcome, pk)
    return [_item(item) for item in solution.items.order_by("source", "key")]


@router.post("/teams/{team_id}/tree/solutions/{pk}/items", response={201: TreeItemOut})
def link_item(
    request: HttpRequest, team_id: int, pk: int, payload: TreeItemIn
) -> tuple[int, dict[str, Any]]:
    """Link a backlog item or epic by key: it (and an epic's children) are reclassified."""
    outcome = _outcome(request, team_id)
    solution = _solution(outcome, pk)
    item = _act(actions.do_link_item, request.user, solution, payload.key)
    return 201, _item(item)


@router.delete("/teams/{team_id}/tree/solutions/{pk}/items/{item_id}", response={204: None})
def unlink_item(request: HttpRequest, team_id: int, pk: int, item_id: int) -> tuple[int, None]:
    outcome = _outcome(request, team_id)
    solution = _solution(outcome, pk)
    item = solution.items.filter(pk=item_id).first()
    if item is None:
        raise HttpError(404, f"No item with the id {item_id} is linked to this solution.")
    _act(actions.do_unlink_item, request.user, solution, item)
    return 204, None
