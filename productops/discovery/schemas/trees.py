"""Schemas of the opportunity solution trees API (`discovery/api/trees.py`), `Tree` prefixed.

A `…Patch` schema's absent (or null) field keeps the node's value; see
`discovery.actions.do_save_node`.
"""

from typing import Any

from ninja import Field, Schema

from productops.discovery.models import TestStatus


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
