"""The practice library pages: browse practices by competency, and the admins' editing.

Thin: parse the request, ask `coaching.visibility`, `coaching.practices` and the
actions, render. Every logged-in user browses the active practices, filtered by
competency, model, kind and effort; admins also see deactivated ones, add and edit
practices and switch them on and off with an htmx toggle. The browse page costs a fixed
number of queries whatever the number of practices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from productops.accounts.roles import Login
from productops.coaching import visibility
from productops.coaching.actions import (
    PRACTICE_EDIT_REFUSED,
    do_save_practice,
    do_set_practice_active,
)
from productops.coaching.forms.practices import (
    PracticeFilterForm,
    PracticeForm,
    competency_choices,
)
from productops.coaching.models import Practice
from productops.coaching.practices import (
    CompetencyCatalog,
    competency_catalog,
)

PAGE_SIZE = 50


# -- browsing -----------------------------------------------------------------------------


@dataclass
class PracticeGroup:
    """The practices of one competency on the current page."""

    key: str
    name: str
    models: str
    practices: list[Practice]


def _filtered(user: Login, form: PracticeFilterForm, catalog: CompetencyCatalog) -> list[Practice]:
    """The practices the filters ask for, ordered as the models order their competencies
    (the chosen model's order when the filter names one).

    A filter with a bad value is shown as an error on the form and left out.
    """
    wanted = _wanted(form)
    practices = visibility.visible_practices(user).only(
        "competency_key", "title", "description", "kind", "effort", "built_in", "active"
    )
    status = wanted.get("status") or "active"
    if status == "active":
        practices = practices.filter(active=True)
    elif status == "inactive":
        practices = practices.filter(active=False)
    if wanted.get("competency"):
        practices = practices.filter(competency_key=wanted["competency"])
    order = [item.key for item in catalog.competencies]
    if wanted.get("model"):
        order = list(catalog.keys_by_model.get(wanted["model"], ()))
        practices = practices.filter(competency_key__in=order)
    if wanted.get("kind"):
        practices = practices.filter(kind=wanted["kind"])
    if wanted.get("effort"):
        practices = practices.filter(effort=wanted["effort"])
    position = {key: index for index, key in enumerate(order)}
    return sorted(
        practices,
        key=lambda p: (position.get(p.competency_key, len(position)), p.competency_key, p.title),
    )


def _groups(practices: list[Practice], catalog: CompetencyCatalog) -> list[PracticeGroup]:
    by_key = {item.key: item for item in catalog.competencies}
    groups: list[PracticeGroup] = []
    for practice in practices:
        if not groups or groups[-1].key != practice.competency_key:
            item = by_key.get(practice.competency_key)
            groups.append(
                PracticeGroup(
                    key=practice.competency_key,
                    name=item.name if item else practice.competency_key,
                    models=item.model_names if item else "",
                    practices=[],
                )
            )
        groups[-1].practices.append(practice)
    return groups


def _wanted(form: PracticeFilterForm) -> dict[str, Any]:
    if not form.is_bound:
        return {}
    form.is_valid()  # fills cleaned_data with the fields that are valid
    return form.cleaned_data


def _narrowed(form: PracticeFilterForm) -> bool:
    """Whether a filter narrows the list, so the empty state can say to loosen it."""
    wanted = _wanted(form)
    return any(wanted.get(name) for name in ("competency", "model", "kind", "effort")) or (
        wanted.get("status") not in (None, "", "active")
    )


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    catalog = competency_catalog()
    admin = visibility.can_edit_practices(request.user)
    extra_keys = sorted(
        set(
            visibility.visible_practices(request.user)
            .exclude(competency_key__in=catalog.keys)
            .values_list("competency_key", flat=True)
            .distinct()
        )
    )
    form = PracticeFilterForm(
        request.GET or None,
        catalog=catalog,
        extra_keys=extra_keys,
        admin=admin,
    )
    practices = _filtered(request.user, form, catalog)
    page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    narrowed = _narrowed(form)
    context = {
        "form": form,
        "page": page,
        "groups": _groups(list(page.object_list), catalog),
        "query": query.urlencode(),
        "can_edit": admin,
        "narrowed": narrowed,
        "has_models": bool(catalog.competencies),
        "new_url": _new_url(_wanted(form).get("competency") or ""),
    }
    template = "coaching/practice_list.html"
    if request.headers.get("HX-Request"):
        template += "#results"
    return render(request, template, context)


def _new_url(competency_key: str) -> str:
    url = reverse("coaching:practice_new")
    return f"{url}?{urlencode({'competency': competency_key})}" if competency_key else url


def _listing_url(competency_key: str, **extra: str) -> str:
    query = urlencode({"competency": competency_key, **extra})
    return f"{reverse('coaching:practices')}?{query}"


# -- editing (admins) ---------------------------------------------------------------------


def _require_editor(request: HttpRequest) -> None:
    if not visibility.can_edit_practices(request.user):
        raise PermissionDenied(PRACTICE_EDIT_REFUSED)


def _edit(request: HttpRequest, practice: Practice | None) -> HttpResponse:
    _require_editor(request)
    catalog = competency_catalog()
    choices = competency_choices(catalog, [])
    if practice is not None and practice.competency_key not in {key for key, _ in choices}:
        choices.append((practice.competency_key, practice.competency_key))
    if practice is not None:
        initial = {
            "competency_key": practice.competency_key,
            "title": practice.title,
            "description": practice.description,
            "kind": practice.kind,
            "effort": practice.effort,
        }
    else:
        initial = {"competency_key": request.GET.get("competency", "")}
    built_in = practice is not None and practice.built_in
    data = request.POST if request.method == "POST" else None
    form = PracticeForm(data, initial=initial, choices=choices, built_in=built_in)
    if form.is_bound and form.is_valid():
        try:
            saved = do_save_practice(request.user, practice, **form.cleaned_data)
        except ValidationError as problem:
            _add_errors(form, problem)
        else:
            verb = "Added" if practice is None else "Saved"
            messages.success(request, f"{verb} “{saved.title}”.")
            return redirect(f"{_listing_url(saved.competency_key)}#practice-{saved.pk}")
    return render(
        request,
        "coaching/practice_form.html",
        {"form": form, "practice": practice, "has_models": bool(catalog.competencies)},
    )


def _add_errors(form: forms.Form, problem: ValidationError) -> None:
    if hasattr(problem, "error_dict"):
        for name, errors in problem.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, problem.messages)


@login_required
def practice_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def practice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    return _edit(request, get_object_or_404(Practice, pk=pk))


@login_required
@require_POST
def practice_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_editor(request)
    practice = get_object_or_404(Practice, pk=pk)
    do_set_practice_active(request.user, practice, not practice.active)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "coaching/practice_list.html#practice",
            {"practice": practice, "can_edit": True},
        )
    state = "active again" if practice.active else "deactivated: only admins see it now"
    messages.success(request, f"“{practice.title}” is {state}.")
    return redirect(f"{_listing_url(practice.competency_key, status='all')}#practice-{pk}")
