"""Objectives and alignment pages: the objectives by period, one objective with the work
mapped to it, and the alignment of the work in progress and done.

Thin: `strategy.visibility` decides, `strategy.alignment` computes, `strategy.actions`
writes. Every logged-in role reads; admins and managers write (others get 403 with the
action's sentence). Viewers see counts and shares, never item keys or titles, and no
objective's owner.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from productops.accounts.roles import Login
from productops.backlog.models import Item
from productops.charts import Bar, bar_list
from productops.imports.tables import requested_format, table_download
from productops.strategy import alignment, alignment_rows, visibility
from productops.strategy.actions import (
    check_manage_objectives,
    do_add_rule,
    do_delete_objective,
    do_link_items,
    do_remove_rule,
    do_save_objective,
    do_unlink_item,
)
from productops.strategy.forms import (
    LinkForm,
    ObjectiveForm,
    PeriodForm,
    RuleForm,
    add_errors,
    form_problems,
)
from productops.strategy.models import AlignmentRule, Objective, ObjectiveLevel, ObjectiveLink

PAGE_SIZE = 50


# -- helpers ------------------------------------------------------------------------------


def _require_strategy(user: Login) -> None:
    if not visibility.sees_strategy(user):
        raise PermissionDenied("Ask an admin for a login with a role to see strategy.")


def _require_manager(user: Login) -> None:
    """403 with the action's sentence for a role that may not write objectives."""
    check_manage_objectives(user)


def _report(request: HttpRequest, error: ValidationError) -> None:
    for sentence in error.messages:
        messages.error(request, sentence)


def _detail_url(objective: Objective) -> str:
    return reverse("strategy:objective_detail", args=[objective.pk])


def grouped_objectives(objectives: list[Objective]) -> list[dict[str, Any]]:
    """Per period (newest first): its company objectives, each with the product objectives
    serving it, then the product objectives serving none (or one of another period)."""
    periods: dict[tuple[Any, Any], list[Objective]] = defaultdict(list)
    for objective in objectives:
        periods[(objective.period_start, objective.period_end)].append(objective)
    groups = []
    for (start, end), members in sorted(
        periods.items(), key=lambda p: (p[0][0], p[0][1]), reverse=True
    ):
        companies = [o for o in members if o.level == ObjectiveLevel.COMPANY]
        company_ids = {o.pk for o in companies}
        beneath: dict[int, list[Objective]] = defaultdict(list)
        loose = []
        for objective in members:
            if objective.level != ObjectiveLevel.PRODUCT:
                continue
            if objective.parent_id in company_ids:
                beneath[objective.parent_id].append(objective)
            else:
                loose.append(objective)
        groups.append(
            {
                "start": start,
                "end": end,
                "companies": [{"objective": o, "products": beneath[o.pk]} for o in companies],
                "loose": loose,
            }
        )
    return groups


# -- objectives ---------------------------------------------------------------------------


def _objectives_download(
    format: str, groups: list[dict[str, Any]], sees_names: bool
) -> HttpResponseBase:
    """The list as the page orders it: per period, each company objective then the
    product objectives serving it, then those serving none. The owner only for a role
    whose page shows it."""
    header = ["Period start", "Period end", "Level", "Objective", "Serves"]
    header += ["Owner"] if sees_names else []

    def line(objective: Objective, serves: str) -> list[Any]:
        row: list[Any] = [
            objective.period_start,
            objective.period_end,
            objective.get_level_display(),
            objective.title,
            serves,
        ]
        if sees_names:
            row.append(objective.owner.name if objective.owner else "")
        return row

    rows = []
    for group in groups:
        for company in group["companies"]:
            rows.append(line(company["objective"], ""))
            rows += [line(p, company["objective"].title) for p in company["products"]]
        rows += [line(p, p.parent.title if p.parent else "") for p in group["loose"]]
    return table_download(format, "objectives", header, rows)


@login_required
def objective_list(request: HttpRequest) -> HttpResponseBase:
    _require_strategy(request.user)
    objectives = list(
        Objective.objects.select_related("owner", "parent").order_by(
            "-period_start", "level", "title", "pk"
        )
    )
    download = requested_format(request)
    if download:
        groups = grouped_objectives(objectives)
        return _objectives_download(download, groups, visibility.sees_names(request.user))
    return render(
        request,
        "strategy/objective_list.html",
        {
            "groups": grouped_objectives(objectives),
            "can_manage": visibility.can_manage_objectives(request.user),
            "sees_names": visibility.sees_names(request.user),
        },
    )


def _objective_form(request: HttpRequest, objective: Objective | None) -> HttpResponse:
    _require_manager(request.user)
    form = ObjectiveForm(request.POST or None, editing=objective)
    if request.method == "POST" and form.is_valid():
        try:
            saved = do_save_objective(request.user, objective, **form.cleaned_data)
        except ValidationError as problem:
            add_errors(form, problem)
        else:
            messages.success(request, f"Saved “{saved.title}”.")
            return redirect(_detail_url(saved))
    elif objective is not None and request.method != "POST":
        form = ObjectiveForm(
            editing=objective,
            initial={
                "level": objective.level,
                "title": objective.title,
                "description": objective.description,
                "period_start": objective.period_start,
                "period_end": objective.period_end,
                "owner": objective.owner_id,
                "parent": objective.parent_id,
            },
        )
    elif objective is None and request.method != "POST":
        start, end = alignment.quarter_of(timezone.localdate())
        form = ObjectiveForm(
            initial={
                "level": request.GET.get("level", ObjectiveLevel.PRODUCT),
                "parent": request.GET.get("parent") or None,
                "period_start": start,
                "period_end": end,
            }
        )
    return render(request, "strategy/objective_form.html", {"form": form, "objective": objective})


@login_required
def objective_new(request: HttpRequest) -> HttpResponse:
    return _objective_form(request, None)


@login_required
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _objective_form(request, get_object_or_404(Objective, pk=pk))


@login_required
def objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective, pk=pk)
    _require_manager(request.user)
    if request.method == "POST":
        title = objective.title
        do_delete_objective(request.user, objective)
        messages.success(request, f"Deleted “{title}” with the work mapped to it.")
        return redirect("strategy:objectives")
    return render(
        request,
        "strategy/objective_delete.html",
        {
            "objective": objective,
            "children": list(objective.children.order_by("title")),
            "links": objective.links.count(),
            "rules": objective.rules.count(),
        },
    )


@login_required
def objective_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    _require_strategy(request.user)
    objective = get_object_or_404(Objective.objects.select_related("owner", "parent"), pk=pk)
    result = alignment.compute_alignment(objective.period_start, objective.period_end)
    counts = next(o for o in result.objectives if o.id == objective.pk)
    sees_items = visibility.sees_item_lists(request.user)
    links = list(objective.links.select_related("item", "by").order_by("item__source", "item__key"))
    children_by_epic: dict[tuple[str, str], int] = {}
    if links and sees_items:
        keys = [link.item.key for link in links]
        for source, epic_key in Item.objects.filter(epic_key__in=keys).values_list(
            "source", "epic_key"
        ):
            children_by_epic[(source, epic_key)] = children_by_epic.get((source, epic_key), 0) + 1
    link_rows = [
        {"link": link, "children": children_by_epic.get((link.item.source, link.item.key), 0)}
        for link in links
    ]
    download = requested_format(request)
    if download:
        # the items mapped by hand, for a role whose page lists them; none otherwise
        header = ["Key", "Title", "Status", "Children"]
        rows = [
            [
                link.item.key,
                link.item.title,
                link.item.status,
                children_by_epic.get((link.item.source, link.item.key), 0),
            ]  # fmt: skip
            for link in (links if sees_items else [])
        ]
        return table_download(download, f"objective-{objective.pk}-items", header, rows)
    return render(
        request,
        "strategy/objective_detail.html",
        {
            "objective": objective,
            "counts": counts,
            "children": list(objective.children.select_related("owner").order_by("title")),
            "link_rows": link_rows if sees_items else [],
            "link_count": len(links),
            "rules": list(objective.rules.order_by("kind", "value")),
            "sees_items": sees_items,
            "sees_names": visibility.sees_names(request.user),
            "can_manage": visibility.can_manage_objectives(request.user),
            "link_form": LinkForm(),
            "rule_form": RuleForm(),
        },
    )


@login_required
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective, pk=pk)
    _require_manager(request.user)
    form = LinkForm(request.POST)
    if not form.is_valid():
        for problem in form_problems(form):
            messages.error(request, problem)
        return redirect(_detail_url(objective))
    try:
        links = do_link_items(request.user, objective, form.cleaned_data["keys"])
    except ValidationError as error:
        _report(request, error)
    else:
        count = len(links)
        messages.success(
            request,
            f"Mapped {count} item{'s' if count != 1 else ''} to “{objective.title}”."
            if count
            else "These items were already mapped: nothing changed.",
        )
    return redirect(_detail_url(objective))


@login_required
@require_POST
def link_remove(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    link = get_object_or_404(
        ObjectiveLink.objects.select_related("item"), pk=link_pk, objective_id=pk
    )
    _require_manager(request.user)
    do_unlink_item(request.user, link)
    messages.success(request, f"{link.item.key} no longer maps to this objective by hand.")
    return redirect(reverse("strategy:objective_detail", args=[pk]))


@login_required
@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective, pk=pk)
    _require_manager(request.user)
    form = RuleForm(request.POST)
    if not form.is_valid():
        for problem in form_problems(form):
            messages.error(request, problem)
        return redirect(_detail_url(objective))
    try:
        rule = do_add_rule(request.user, objective, **form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(
            request, f"Added the rule: {rule.get_kind_display().lower()} {rule.value}."
        )
    return redirect(_detail_url(objective))


@login_required
@require_POST
def rule_remove(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    rule = get_object_or_404(AlignmentRule, pk=rule_pk, objective_id=pk)
    _require_manager(request.user)
    do_remove_rule(request.user, rule)
    messages.success(request, f"Removed the rule for {rule.value}.")
    return redirect(reverse("strategy:objective_detail", args=[pk]))


# -- alignment ----------------------------------------------------------------------------


def objective_bars(result: alignment.Alignment) -> list[Bar]:
    return [
        Bar(
            label=o.title,
            value=o.total,
            shown=f"{o.in_progress} in progress, {o.done} done",
        )
        for o in result.objectives
    ]


def _alignment_download(
    format: str, table: str, result: alignment.Alignment, sees_items: bool
) -> HttpResponseBase:
    """The page's objectives table, or its unaligned work for a reader who sees item lists
    (anyone else gets the objectives table, as their page shows no items)."""
    if table == "unaligned" and sees_items:
        rows = alignment_rows.unaligned_rows(result.unaligned)
        return table_download(
            format, "alignment-unaligned-work", alignment_rows.UNALIGNED_COLUMNS, rows
        )
    rows = alignment_rows.objective_rows(result.objectives)
    return table_download(format, "alignment", alignment_rows.OBJECTIVE_COLUMNS, rows)


@login_required
def alignment_page(request: HttpRequest) -> HttpResponseBase:
    _require_strategy(request.user)
    problems: list[str] = []
    try:
        start, end = alignment.period_from(request.GET.get("start"), request.GET.get("end"))
    except ValidationError as error:
        problems = list(error.messages)
        start, end = alignment.period_from(None, None)
    result = alignment.compute_alignment(start, end)
    sees_items = visibility.sees_item_lists(request.user)
    download = requested_format(request)
    if download:
        return _alignment_download(download, request.GET.get("table", ""), result, sees_items)
    page = Paginator(result.unaligned if sees_items else [], PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "strategy/alignment.html",
        {
            "result": result,
            "problems": problems,
            "period_form": PeriodForm(initial={"start": start, "end": end}),
            "in_progress_share": alignment.share_text(result.in_progress_share),
            "done_share": alignment.share_text(result.done_share),
            "chart": bar_list(
                objective_bars(result),
                title="Items in progress and done per objective",
                description="Each bar counts the items in progress and done in the period "
                "that trace to the objective.",
            ),
            "without_work": result.objectives_without_work,
            "sees_items": sees_items,
            "unaligned_count": len(result.unaligned),
            "page": page,
            "query": query.urlencode(),
            "can_manage": visibility.can_manage_objectives(request.user),
        },
    )
