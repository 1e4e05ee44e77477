"""Opportunity solution tree pages: every team's tree at a glance, and one team's tree.

The tree is drawn on the server (`tree_svg`); each node links to its edit form. With
htmx the forms open beside the tree and a save redraws the tree in place; without
JavaScript the same links and forms work as pages, a POST and a redirect. Who sees and
edits: `discovery.visibility` (sees_trees, can_edit_tree); writes: `discovery.actions`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from productops.discovery import actions, trees, visibility
from productops.discovery.models import (
    AssumptionTest,
    Opportunity,
    Outcome,
    Solution,
    TestStatus,
    Touchpoint,
)
from productops.discovery.tree_svg import tree_svg
from productops.org.models import Team, builds_product

PAGE_SIZE = 50
RECENT_TOUCHPOINTS = 30
KINDS = ("opportunity", "solution", "test")
MODELS: dict[str, Any] = {
    "opportunity": Opportunity,
    "solution": Solution,
    "test": AssumptionTest,
}
NAMES = {"opportunity": "opportunity", "solution": "solution", "test": "assumption test"}


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
    if kind not in MODELS:
        raise Http404("No such kind of node.")
    where = {
        "opportunity": {"outcome": outcome},
        "solution": {"opportunity__outcome": outcome},
        "test": {"solution__opportunity__outcome": outcome},
    }[kind]
    return get_object_or_404(MODELS[kind], pk=pk, **where)


# ---------------------------------------------------------------------------------------
# Forms
# ---------------------------------------------------------------------------------------


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["title", "metric", "baseline", "target", "unit"]
        labels = {"title": "Desired outcome"}


class TouchpointChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        segment = f", {obj.segment}" if obj.segment else ""
        return f"{obj.date:%Y-%m-%d} {obj.get_kind_display()}{segment}"


class OpportunityForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    parent = forms.ModelChoiceField(
        queryset=Opportunity.objects.none(),
        required=False,
        empty_label="(none: a top-level opportunity)",
        help_text="Moving it here keeps its children and solutions with it.",
    )
    touchpoints = TouchpointChoices(
        queryset=Touchpoint.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Evidence",
        help_text="The team's touchpoints that support this opportunity.",
    )

    def __init__(
        self, *args: Any, outcome: Outcome, opportunity: Opportunity | None, user: Any, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        allowed = trees.allowed_parents(trees.parent_map(outcome), opportunity and opportunity.pk)
        self.fields["parent"].queryset = Opportunity.objects.filter(pk__in=allowed)
        team_touchpoints = visibility.visible_touchpoints(user).filter(team_id=outcome.team_id)
        recent = list(team_touchpoints.values_list("pk", flat=True)[:RECENT_TOUCHPOINTS])
        cited = list(opportunity.touchpoints.values_list("pk", flat=True)) if opportunity else []
        self.fields["touchpoints"].queryset = team_touchpoints.filter(pk__in=recent + cited)


class SolutionForm(forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.none())

    def __init__(self, *args: Any, outcome: Outcome, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["opportunity"].queryset = Opportunity.objects.filter(outcome=outcome)


class TestForm(forms.Form):
    assumption = forms.CharField(max_length=300)
    test = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="How it is tested"
    )
    result = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    status = forms.ChoiceField(choices=TestStatus.choices)
    solution = forms.ModelChoiceField(queryset=Solution.objects.none())

    def __init__(self, *args: Any, outcome: Outcome, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["solution"].queryset = Solution.objects.filter(
            opportunity__outcome=outcome
        ).select_related("opportunity")


class LinkItemForm(forms.Form):
    key = forms.CharField(
        max_length=120, label="Backlog item or epic", help_text='Its key, e.g. "SHOP-12".'
    )


FORMS: dict[str, Any] = {"opportunity": OpportunityForm, "solution": SolutionForm, "test": TestForm}


def _form(kind: str, data: Any, outcome: Outcome, node: Any, user: Any, initial: dict) -> Any:
    if kind == "opportunity":
        return OpportunityForm(data, outcome=outcome, opportunity=node, user=user, initial=initial)
    return FORMS[kind](data, outcome=outcome, initial=initial)


def _initial(kind: str, node: Any) -> dict[str, Any]:
    if node is None:
        return {}
    if kind == "opportunity":
        return {
            "title": node.title,
            "description": node.description,
            "parent": node.parent_id,
            "touchpoints": list(node.touchpoints.values_list("pk", flat=True)),
        }
    if kind == "solution":
        return {
            "title": node.title,
            "description": node.description,
            "opportunity": node.opportunity_id,
        }
    return {
        "assumption": node.assumption,
        "test": node.test,
        "result": node.result,
        "status": node.status,
        "solution": node.solution_id,
    }


def _save(kind: str, user: Any, outcome: Outcome, node: Any, data: dict[str, Any]) -> Any:
    if kind == "opportunity":
        return actions.do_save_opportunity(
            user,
            outcome,
            opportunity=node,
            title=data["title"],
            description=data["description"],
            parent=data["parent"],
            touchpoints=data["touchpoints"],
        )
    if kind == "solution":
        return actions.do_save_solution(
            user,
            data["opportunity"],
            solution=node,
            title=data["title"],
            description=data["description"],
        )
    return actions.do_save_test(
        user,
        data["solution"],
        test=node,
        assumption=data["assumption"],
        how=data["test"],
        result=data["result"],
        status=data["status"],
    )


class DeleteForm(forms.Form):
    """What happens to the children: offered only when there are any."""

    children = forms.ChoiceField(widget=forms.RadioSelect, label="Its children")
    move_to = forms.ModelChoiceField(queryset=Opportunity.objects.none(), required=False)

    def __init__(self, *args: Any, kind: str, node: Any, impact: trees.DeletionImpact, **kw: Any):
        super().__init__(*args, **kw)
        self.kind, self.node = kind, node
        choices = []
        delete_text = (
            f"Delete them too: {impact.opportunities} opportunit"
            f"{'y' if impact.opportunities == 1 else 'ies'}, {impact.solutions} "
            f"solution{'' if impact.solutions == 1 else 's'} and {impact.tests} assumption "
            f"test{'' if impact.tests == 1 else 's'} go with it."
        )
        if kind == "opportunity":
            targets = Opportunity.objects.filter(outcome_id=node.outcome_id).exclude(pk=node.pk)
            needs_target = node.parent_id is None and node.solutions.exists()
            if needs_target:
                self.fields["move_to"].queryset = targets
                self.fields["move_to"].label = "Move its solutions to"
            else:
                del self.fields["move_to"]
            if not needs_target or targets.exists():
                where = "its parent opportunity" if node.parent_id else "the top level"
                solutions = (
                    " (its solutions to the opportunity chosen below)" if needs_target else ""
                )
                choices.append((trees.LIFT, f"Move them up to {where}{solutions}."))
        else:
            targets = Solution.objects.filter(
                opportunity__outcome_id=node.opportunity.outcome_id
            ).exclude(pk=node.pk)
            self.fields["move_to"].queryset = targets
            self.fields["move_to"].label = "Move its assumption tests to"
            if targets.exists():
                choices.append((trees.LIFT, "Move them to another solution of the tree."))
            else:
                del self.fields["move_to"]
        choices.append((trees.DELETE, delete_text))
        self.fields["children"].choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("children") == trees.LIFT and "move_to" in self.fields:
            if not data.get("move_to"):
                self.add_error("move_to", "Pick where the children go, or delete them too.")
        return data


# ---------------------------------------------------------------------------------------
# Every team's tree
# ---------------------------------------------------------------------------------------


def _tree_counts() -> Any:
    statuses = {
        f"tests_{status}": Count(
            "outcome__opportunities__solutions__tests",
            filter=Q(outcome__opportunities__solutions__tests__status=status),
            distinct=True,
        )
        for status in TestStatus.values
    }
    return Team.objects.select_related("outcome").annotate(
        opportunity_count=Count("outcome__opportunities", distinct=True),
        solution_count=Count("outcome__opportunities__solutions", distinct=True),
        test_count=Count("outcome__opportunities__solutions__tests", distinct=True),
        **statuses,
    )


@login_required
def trees_list(request: HttpRequest) -> HttpResponse:
    if not visibility.sees_trees(request.user):
        raise PermissionDenied("Viewers do not see opportunity solution trees: ask an admin.")
    # a group that holds other teams has no tree of its own, unless someone drew one
    teams = (
        _tree_counts()
        .filter(builds_product() | Exists(Outcome.objects.filter(team=OuterRef("pk"))))
        .order_by("name")
    )
    page = Paginator(teams, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for team in page:
        rows.append(
            {
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
        )
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
    initial = _initial(kind, node) if node else _parent_initial(kind, request, outcome)
    form = _form(kind, _posted(request), outcome, node, request.user, initial)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            _save(kind, request.user, outcome, node, form.cleaned_data)
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
            if kind == "opportunity":
                actions.do_delete_opportunity(
                    request.user, node, children=choice, move_solutions_to=move_to
                )
            elif kind == "solution":
                actions.do_delete_solution(
                    request.user, node, children=choice, move_tests_to=move_to
                )
            else:
                actions.do_delete_test(request.user, node)
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
        "form": SolutionForm(outcome=outcome, initial=_initial("solution", solution)),
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


urlpatterns = [
    path("trees/", trees_list, name="trees"),
    path("teams/<int:team_id>/tree/", tree_page, name="tree"),
    path("teams/<int:team_id>/tree/outcome/", outcome_form, name="tree_outcome"),
    path("teams/<int:team_id>/tree/<str:kind>/new/", node_new, name="tree_node_new"),
    path("teams/<int:team_id>/tree/<str:kind>/<int:pk>/", node_edit, name="tree_node_edit"),
    path(
        "teams/<int:team_id>/tree/<str:kind>/<int:pk>/delete/",
        node_delete,
        name="tree_node_delete",
    ),
    path("teams/<int:team_id>/tree/solution/<int:pk>/items/", link_item, name="tree_link_item"),
    path(
        "teams/<int:team_id>/tree/solution/<int:pk>/items/<int:item_id>/unlink/",
        unlink_item,
        name="tree_unlink_item",
    ),
]
