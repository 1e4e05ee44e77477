"""Opportunity solution tree pages: every team's tree at a glance, and one team's tree.

The tree is drawn on the server (`tree_svg`); each node links to its edit form. With
htmx the forms open beside the tree and a save redraws the tree in place; without
JavaScript the same links and forms work as pages, a POST and a redirect. Who sees and
edits: `discovery.visibility` (sees_trees, can_edit_tree); writes: `discovery.actions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from productops.accounts.visibility import visible_or_404
from productops.discovery import actions, trees, visibility
from productops.discovery.forms import (
    DeleteForm,
    LinkItemForm,
    OutcomeForm,
    SolutionForm,
    node_form,
    node_initial,
)
from productops.discovery.models import Outcome, TestStatus
from productops.discovery.tree_svg import tree_svg
from productops.imports.tables import requested_format, table_download
from productops.org.models import Team

PAGE_SIZE = 50
KINDS = actions.NODE_KINDS
NAMES = trees.NODE_NAMES


def _htmx(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (bound even when empty), None for a GET."""
    return request.POST if request.method == "POST" else None


# ---------------------------------------------------------------------------------------
# Who may see and edit
# ---------------------------------------------------------------------------------------


def _team_tree(request: HttpRequest, team_id: int) -> Team:
    """The team whose tree the user may see (404 otherwise)."""
    if not visibility.sees_trees(request.user):
        raise Http404("No such tree.")
    return get_object_or_404(Team, pk=team_id)


def _editable(request: HttpRequest, team_id: int) -> tuple[Team, Outcome]:
    team = _team_tree(request, team_id)
    actions.check_edit_tree(request.user, team)
    outcome = Outcome.objects.filter(team=team).first()
    if outcome is None:
        raise Http404("Set the team's desired outcome first.")
    return team, outcome


def _node(kind: str, pk: int, outcome: Outcome) -> Any:
    """A node of this outcome's tree (404 for another tree's, or an unknown kind)."""
    if kind not in KINDS:
        raise Http404("No such kind of node.")
    return visible_or_404(trees.nodes_of(outcome, kind), f"No such {NAMES[kind]}.", pk=pk)


# ---------------------------------------------------------------------------------------
# Every team's tree
# ---------------------------------------------------------------------------------------


@login_required
def trees_list(request: HttpRequest) -> HttpResponseBase:
    if not visibility.sees_trees(request.user):
        raise PermissionDenied("Viewers do not see opportunity solution trees: ask an admin.")
    download = requested_format(request)
    if download:
        # every team's counts, a column per test status (a zero where the page says none)
        header = ["Team", "Desired outcome", "Opportunities", "Solutions", "Assumption tests",
                  *(f"Tests {label.lower()}" for _, label in TestStatus.choices)]  # fmt: skip
        table: list[list[Any]] = []
        for team in trees.teams_with_trees():
            row = trees.tree_counts(team)
            by_status = dict(row["by_status"])
            table.append(
                [
                    team.name,
                    row["outcome"].title if row["outcome"] else "",
                    row["opportunities"],
                    row["solutions"],
                    row["tests"],
                    *(by_status.get(label, 0) for _, label in TestStatus.choices),
                ]  # fmt: skip
            )
        return table_download(download, "opportunity-solution-trees", header, table)
    page = Paginator(trees.teams_with_trees(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [trees.tree_counts(team) for team in page]
    return render(request, "discovery/tree_list.html", {"page": page, "rows": rows, "query": ""})


# ---------------------------------------------------------------------------------------
# One team's tree
# ---------------------------------------------------------------------------------------


def _tree_context(request: HttpRequest, team: Team, **extra: Any) -> dict[str, Any]:
    outcome = Outcome.objects.filter(team=team).first()
    can_edit = visibility.can_edit_tree(request.user, team)
    context: dict[str, Any] = {
        "team": team,
        "outcome": outcome,
        "can_edit": can_edit,
        "svg": None,
        "root": None,
        **extra,
    }
    if outcome is not None:
        root = trees.load_tree(outcome)

        def href_of(node: trees.TreeNode) -> str:
            if node.kind == "outcome":
                return reverse("discovery:tree_outcome", args=[team.pk])
            return reverse("discovery:tree_node_edit", args=[team.pk, node.kind, node.id])

        context.update(
            root=root,
            svg=tree_svg(
                root,
                href_of=href_of,
                hx_target="#tree-panel" if can_edit else "",
                title=f"{team.name}: opportunity solution tree",
            ),
            opportunities=root.count("opportunity"),
            solutions=root.count("solution"),
            tests=root.count("test"),
            by_status=[
                (label, trees.tests_by_status(root)[status]) for status, label in TestStatus.choices
            ],
        )
    return context


@login_required
def tree_page(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_tree(request, team_id)
    context = _tree_context(request, team)
    if context["outcome"] is None and context["can_edit"]:
        context["outcome_form"] = OutcomeForm()
    return render(request, "discovery/tree_page.html", context)


def _saved(request: HttpRequest, team: Team, message: str) -> HttpResponse:
    """After a write: the redrawn tree for htmx, a redirect to the tree page otherwise."""
    if _htmx(request):
        return render(
            request, "discovery/tree_page.html#tree", _tree_context(request, team, saved=message)
        )
    return redirect("discovery:tree", team_id=team.pk)


def _form_response(request: HttpRequest, context: dict[str, Any], status: int = 200) -> Any:
    if _htmx(request):
        response = render(request, "discovery/tree_form.html#panel", context, status=status)
        if request.method == "POST":
            response["HX-Retarget"] = "#tree-panel"
            response["HX-Reswap"] = "innerHTML"
        return response
    return render(request, "discovery/tree_form.html", context, status=status)


def _problems(error: ValidationError) -> list[str]:
    return list(error.messages)


@login_required
def outcome_form(request: HttpRequest, team_id: int) -> HttpResponse:
    team = _team_tree(request, team_id)
    actions.check_edit_tree(request.user, team)
    outcome = Outcome.objects.filter(team=team).first()
    form = OutcomeForm(_posted(request), instance=outcome)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_outcome(request.user, team, **form.cleaned_data)
            return _saved(request, team, "The desired outcome is saved.")
        except ValidationError as error:
            problems = _problems(error)
    context = {
        "team": team,
        "form": form,
        "problems": problems,
        "heading": "The desired outcome" if outcome else "Set the desired outcome",
        "action": reverse("discovery:tree_outcome", args=[team.pk]),
        "node": None,
        "kind": "outcome",
        "outcome": outcome,
    }
    return _form_response(request, context)


def _parent_initial(kind: str, request: HttpRequest, outcome: Outcome) -> dict[str, Any]:
    """The parent a new node goes under (?parent=<id>), checked to be of this tree."""
    parent_id = request.GET.get("parent") or request.POST.get("parent_hint")
    if not parent_id or not str(parent_id).isdigit():
        return {}
    parent_kind = {"opportunity": "opportunity", "solution": "opportunity", "test": "solution"}[
        kind
    ]
    field = {"opportunity": "parent", "solution": "opportunity", "test": "solution"}[kind]
    return {field: _node(parent_kind, int(parent_id), outcome).pk}


@login_required
def node_new(request: HttpRequest, team_id: int, kind: str) -> HttpResponse:
    return _node_form(request, team_id, kind, None)


@login_required
def node_edit(request: HttpRequest, team_id: int, kind: str, pk: int) -> HttpResponse:
    return _node_form(request, team_id, kind, pk)


def _node_form(request: HttpRequest, team_id: int, kind: str, pk: int | None) -> HttpResponse:
    team, outcome = _editable(request, team_id)
    if kind not in KINDS:
        raise Http404("No such kind of node.")
    node = _node(kind, pk, outcome) if pk is not None else None
    initial = node_initial(node) if node else _parent_initial(kind, request, outcome)
    form = node_form(kind, _posted(request), outcome, node, request.user, initial)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_save_node(request.user, outcome, kind, form.cleaned_data, node=node)
            return _saved(request, team, f"The {NAMES[kind]} is saved.")
        except ValidationError as error:
            problems = _problems(error)
    action = (
        reverse("discovery:tree_node_edit", args=[team.pk, kind, pk])
        if pk
        else reverse("discovery:tree_node_new", args=[team.pk, kind])
    )
    context = {
        "team": team,
        "outcome": outcome,
        "form": form,
        "problems": problems,
        "kind": kind,
        "node": node,
        "heading": f"Edit the {NAMES[kind]}"
        if node
        else f"Add {'a' if kind == 'solution' else 'an'} {NAMES[kind]}",
        "action": action,
        "items": list(node.items.order_by("source", "key")) if kind == "solution" and node else [],
        "link_form": LinkItemForm() if kind == "solution" and node else None,
    }
    return _form_response(request, context)


@login_required
def node_delete(request: HttpRequest, team_id: int, kind: str, pk: int) -> HttpResponse:
    team, outcome = _editable(request, team_id)
    node = _node(kind, pk, outcome)
    if kind == "opportunity":
        impact = trees.opportunity_impact(node)
    elif kind == "solution":
        impact = trees.solution_impact(node)
    else:
        impact = trees.DeletionImpact(0, 0, 0)
    form = (
        DeleteForm(_posted(request), kind=kind, node=node, impact=impact)
        if impact.has_children
        else None
    )
    problems: list[str] = []
    if request.method == "POST" and (form is None or form.is_valid()):
        choice = form.cleaned_data["children"] if form else None
        move_to = form.cleaned_data.get("move_to") if form else None
        try:
            actions.do_delete_node(request.user, kind, node, children=choice, move_to=move_to)
            return _saved(request, team, f"The {NAMES[kind]} is deleted.")
        except ValidationError as error:
            problems = _problems(error)
    context = {
        "team": team,
        "outcome": outcome,
        "kind": kind,
        "node": node,
        "impact": impact,
        "form": form,
        "problems": problems,
        "delete": True,
        "heading": f"Delete the {NAMES[kind]}",
        "action": reverse("discovery:tree_node_delete", args=[team.pk, kind, pk]),
    }
    return _form_response(request, context)


@login_required
@require_POST
def link_item(request: HttpRequest, team_id: int, pk: int) -> HttpResponse:
    team, outcome = _editable(request, team_id)
    solution = _node("solution", pk, outcome)
    form = LinkItemForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        try:
            item = actions.do_link_item(request.user, solution, form.cleaned_data["key"])
            return _saved(request, team, f"{item.key} is linked to the solution.")
        except ValidationError as error:
            problems = _problems(error)
    context = {
        "team": team,
        "outcome": outcome,
        "form": SolutionForm(outcome=outcome, initial=node_initial(solution)),
        "problems": problems,
        "kind": "solution",
        "node": solution,
        "heading": "Edit the solution",
        "action": reverse("discovery:tree_node_edit", args=[team.pk, "solution", pk]),
        "items": list(solution.items.order_by("source", "key")),
        "link_form": form,
    }
    return _form_response(request, context, status=200 if _htmx(request) else 400)


@login_required
@require_POST
def unlink_item(request: HttpRequest, team_id: int, pk: int, item_id: int) -> HttpResponse:
    team, outcome = _editable(request, team_id)
    solution = _node("solution", pk, outcome)
    item = get_object_or_404(solution.items, pk=item_id)
    actions.do_unlink_item(request.user, solution, item)
    return _saved(request, team, f"{item.key} is no longer linked to the solution.")
