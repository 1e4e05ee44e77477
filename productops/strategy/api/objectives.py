"""Objectives and alignment API: objectives, their hand links and rules, and alignment.

The same actions, `strategy.alignment` computation and `strategy.visibility` rules as the
pages: every logged-in role reads; admins and managers write (others get 403 with the
action's sentence); invalid input answers 422 with a sentence; unknown ids 404. Viewers
get no item keys or titles: an objective's links and the unaligned items are left out
(their counts stay); nor any person: an objective's owner and owner id are null.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. The schemas live in
`strategy.schemas.objectives`; refusals (403), invalid input (422) and unknown records (404)
are answered by the shared handlers of `productops/api.py`, but for the writes
whose 422 names each field (`api.rejected`).
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from productops.org.models import Person
from productops.strategy import alignment, visibility
from productops.strategy.actions import (
    do_add_rule,
    do_delete_objective,
    do_link_items,
    do_remove_rule,
    do_save_objective,
    do_unlink_item,
)
from productops.strategy.api.rejected import rejected
from productops.strategy.models import AlignmentRule, Objective, ObjectiveLink
from productops.strategy.schemas.objectives import (
    AlignmentOut,
    AlignmentParams,
    ObjectiveChange,
    ObjectiveIn,
    ObjectiveLinkOut,
    ObjectiveLinksIn,
    ObjectiveListParams,
    ObjectiveOut,
    ObjectiveRejectedOut,
    ObjectiveRuleIn,
    ObjectiveRuleOut,
)

router = Router(tags=["strategy: objectives"])

PAGE_SIZE = 50


# -- helpers ------------------------------------------------------------------------------


def _require_reader(request: HttpRequest) -> None:
    if not visibility.sees_strategy(request.user):
        raise PermissionDenied("Ask an admin for a login with a role to see strategy.")


def _objective_out(objective: Objective, with_items: bool, named: bool = True) -> dict[str, Any]:
    links = list(objective.links.all())
    return {
        "id": objective.pk,
        "level": objective.level,
        "title": objective.title,
        "description": objective.description,
        "period_start": objective.period_start,
        "period_end": objective.period_end,
        "owner_id": objective.owner_id if named else None,
        "owner": objective.owner.name if objective.owner and named else None,
        "parent_id": objective.parent_id,
        "link_count": len(links),
        "rules": [{"id": r.pk, "kind": r.kind, "value": r.value} for r in objective.rules.all()],
        "links": [
            {
                "id": link.pk,
                "item_id": link.item_id,
                "source": link.item.source,
                "key": link.item.key,
                "title": link.item.title,
                "status": link.item.status,
            }
            for link in links
        ]
        if with_items
        else None,
    }


def _objectives() -> QuerySet[Objective]:
    return Objective.objects.select_related("owner").prefetch_related("rules", "links__item")


def _related(payload: dict[str, Any]) -> dict[str, Any]:
    """Owner and parent ids as rows; an unknown id is a 422 with a sentence."""
    fields = dict(payload)
    if "owner_id" in fields:
        owner_id = fields.pop("owner_id")
        fields["owner"] = None
        if owner_id is not None:
            fields["owner"] = Person.objects.filter(pk=owner_id).first()
            if fields["owner"] is None:
                raise ValidationError({"owner_id": f"No person has the id {owner_id}."})
    if "parent_id" in fields:
        parent_id = fields.pop("parent_id")
        fields["parent"] = None
        if parent_id is not None:
            fields["parent"] = Objective.objects.filter(pk=parent_id).first()
            if fields["parent"] is None:
                raise ValidationError({"parent_id": f"No objective has the id {parent_id}."})
    return fields


# -- objectives ---------------------------------------------------------------------------


@router.get("/objectives", response=list[ObjectiveOut], summary="Objectives")
def list_objectives(request: HttpRequest, params: Query[ObjectiveListParams]):
    _require_reader(request)
    objectives = _objectives().order_by("-period_start", "level", "title", "pk")
    if params.start or params.end:
        start, end = alignment.period_from(params.start, params.end)
        objectives = objectives.filter(period_start__lte=end, period_end__gte=start)
    with_items = visibility.sees_item_lists(request.user)
    named = visibility.sees_names(request.user)
    return [_objective_out(o, with_items, named) for o in objectives]


@router.get("/objectives/{objective_id}", response=ObjectiveOut, summary="One objective")
def get_objective(request: HttpRequest, objective_id: int):
    _require_reader(request)
    objective = get_object_or_404(_objectives(), pk=objective_id)
    return _objective_out(
        objective, visibility.sees_item_lists(request.user), visibility.sees_names(request.user)
    )


@router.post(
    "/objectives",
    response={201: ObjectiveOut, 422: ObjectiveRejectedOut},
    summary="Add an objective (admins and managers)",
)
def add_objective(request: HttpRequest, payload: ObjectiveIn):
    try:
        objective = do_save_objective(request.user, None, **_related(payload.model_dump()))
    except ValidationError as problem:
        return 422, rejected(problem)
    return 201, _objective_out(get_object_or_404(_objectives(), pk=objective.pk), True)


@router.put(
    "/objectives/{objective_id}",
    response={200: ObjectiveOut, 422: ObjectiveRejectedOut},
    summary="Change an objective (admins and managers)",
    description="Fields left out keep their value.",
)
def change_objective(request: HttpRequest, objective_id: int, payload: ObjectiveChange):
    objective = get_object_or_404(Objective, pk=objective_id)
    given = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {
        "level": objective.level,
        "title": objective.title,
        "description": objective.description,
        "period_start": objective.period_start,
        "period_end": objective.period_end,
        "owner": objective.owner,
        "parent": objective.parent,
    }
    try:
        fields.update(
            {k: v for k, v in _related(given).items() if v is not None or k in ("owner", "parent")}
        )
        objective = do_save_objective(request.user, objective, **fields)
    except ValidationError as problem:
        return 422, rejected(problem)
    return 200, _objective_out(get_object_or_404(_objectives(), pk=objective.pk), True)


@router.delete("/objectives/{objective_id}", response={204: None}, summary="Delete an objective")
def delete_objective(request: HttpRequest, objective_id: int):
    objective = get_object_or_404(Objective, pk=objective_id)
    do_delete_objective(request.user, objective)
    return 204, None


@router.post(
    "/objectives/{objective_id}/links",
    response={201: list[ObjectiveLinkOut], 422: ObjectiveRejectedOut},
    summary="Map items or epics to an objective by hand (admins and managers)",
    description="All or nothing: an unknown key maps nothing and is named in the answer. "
    "Answers the links made (a key already mapped makes none).",
)
def add_links(request: HttpRequest, objective_id: int, payload: ObjectiveLinksIn):
    objective = get_object_or_404(Objective, pk=objective_id)
    try:
        links = do_link_items(request.user, objective, payload.keys)
    except ValidationError as problem:
        return 422, rejected(problem)
    return 201, [
        {
            "id": link.pk,
            "item_id": link.item_id,
            "source": link.item.source,
            "key": link.item.key,
            "title": link.item.title,
            "status": link.item.status,
        }
        for link in links
    ]


@router.delete(
    "/objectives/{objective_id}/links/{link_id}",
    response={204: None},
    summary="Unmap an item mapped by hand",
)
def remove_link(request: HttpRequest, objective_id: int, link_id: int):
    link = get_object_or_404(ObjectiveLink, pk=link_id, objective_id=objective_id)
    do_unlink_item(request.user, link)
    return 204, None


@router.post(
    "/objectives/{objective_id}/rules",
    response={201: ObjectiveRuleOut, 422: ObjectiveRejectedOut},
    summary="Add a label or epic rule (admins and managers)",
)
def add_rule(request: HttpRequest, objective_id: int, payload: ObjectiveRuleIn):
    objective = get_object_or_404(Objective, pk=objective_id)
    try:
        rule = do_add_rule(request.user, objective, kind=payload.kind, value=payload.value)
    except ValidationError as problem:
        return 422, rejected(problem)
    return 201, rule


@router.delete(
    "/objectives/{objective_id}/rules/{rule_id}", response={204: None}, summary="Remove a rule"
)
def remove_rule(request: HttpRequest, objective_id: int, rule_id: int):
    rule = get_object_or_404(AlignmentRule, pk=rule_id, objective_id=objective_id)
    do_remove_rule(request.user, rule)
    return 204, None


# -- alignment ----------------------------------------------------------------------------


@router.get("/alignment", response=AlignmentOut, summary="How much work traces to objectives")
def get_alignment(request: HttpRequest, params: Query[AlignmentParams]):
    _require_reader(request)
    start, end = alignment.period_from(params.start, params.end)
    result = alignment.compute_alignment(start, end)
    with_items = visibility.sees_item_lists(request.user)
    data = result.as_dict(with_items=False)
    if not visibility.sees_names(request.user):
        for objective in data["objectives"]:
            objective["owner"] = None
    page = Paginator(result.unaligned, PAGE_SIZE).get_page(params.page)
    data["unaligned"] = [vars(item) for item in page.object_list] if with_items else None
    data["page"] = page.number
    data["pages"] = page.paginator.num_pages
    return data
