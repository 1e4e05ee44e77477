"""The CEO/CPO check pages: the list, starting a check, ranking, the results, closing.

Thin: `strategy.visibility` decides (through `priority_check.view_for`), the actions
write, `strategy.priority_check` computes. A check is seen by every logged-in role; a
participant who has not ranked yet sees the ranking form and nothing of the others'.
Starting a check is for admins and managers (403 otherwise); ranking is for
participants (403 otherwise); a check that does not exist answers 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from productops.strategy import priority_check, visibility
from productops.strategy.actions import (
    CHECK_REFUSED,
    COMPARE_WITH_LATEST,
    MAX_PRIORITIES,
    MIN_PRIORITIES,
    do_close_check,
    do_create_check,
    do_submit_ranking,
)
from productops.strategy.models import PriorityCheck

PAGE_SIZE = 50
NO_PREVIOUS = "none"


# -- forms --------------------------------------------------------------------------------


class ParticipantChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = priority_check.display_name(obj)
        login = obj.get_username()
        return name if name == login else f"{name} ({login})"


class CheckForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="E.g. “Q3 priorities”.")
    priorities = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"One a line, {MIN_PRIORITIES} to {MAX_PRIORITIES}, each once.",
    )
    participants = ParticipantChoice(
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Two or more people with a login, typically the CEO and the head of product.",
    )
    previous = forms.ChoiceField(label="Compare with", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(is_active=True).select_related("person")
        self.fields["participants"].queryset = users.order_by("username")  # type: ignore[attr-defined]
        earlier = PriorityCheck.objects.order_by("-created_at")[:PAGE_SIZE]
        self.fields["previous"].choices = [  # type: ignore[attr-defined]
            (COMPARE_WITH_LATEST, "The most recent check that shares a priority"),
            (NO_PREVIOUS, "Nothing: this is the first check"),
            *[(str(c.pk), f"{c.title} ({c.created_at:%Y-%m-%d})") for c in earlier],
        ]

    def previous_check(self) -> PriorityCheck | str | None:
        chosen = self.cleaned_data.get("previous") or COMPARE_WITH_LATEST
        if chosen == COMPARE_WITH_LATEST:
            return COMPARE_WITH_LATEST
        if chosen == NO_PREVIOUS:
            return None
        return PriorityCheck.objects.filter(pk=int(chosen)).first()


def rank_field(priority_id: int) -> str:
    return f"rank-{priority_id}"


class RankingForm(forms.Form):
    """A number per priority; the action checks them, so every field is optional here."""

    def __init__(self, *args: Any, priorities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        total = len(priorities)
        for priority in priorities:
            self.fields[rank_field(priority.pk)] = forms.CharField(
                label=priority.title,
                required=False,
                widget=forms.NumberInput(attrs={"min": 1, "max": total, "step": 1}),
            )

    def ranks(self) -> dict[int, str]:
        """What was typed for each priority, as typed: the action says what is wrong."""
        return {
            int(name.removeprefix("rank-")): self.data.get(name, "")
            for name in self.fields
            if name.startswith("rank-")
        }


# -- helpers ------------------------------------------------------------------------------


def _check_or_404(user: Any, pk: int) -> PriorityCheck:
    check = priority_check.load_check(pk)
    if check is None or not visibility.sees_strategy(user):
        raise Http404("No such check")
    return check


def _pair_rows(seen: priority_check.CheckView) -> list[dict[str, Any]]:
    assert seen.results is not None
    return [
        {
            "names": f"{seen.names.get(pair.first, '?')} and {seen.names.get(pair.second, '?')}",
            "tau": pair.tau,
            "reading": pair.reading,
        }
        for pair in seen.results.pairs
    ]


def _disagreement_rows(seen: priority_check.CheckView) -> list[dict[str, Any]]:
    assert seen.results is not None
    return [
        {
            "title": seen.title_of(found.priority),  # type: ignore[arg-type]
            "spread": found.spread,
            "highest": found.highest_rank,
            "lowest": found.lowest_rank,
        }
        for found in seen.results.disagreements
    ]


def _detail(
    request: HttpRequest, check: PriorityCheck, form: RankingForm | None = None
) -> HttpResponse:
    seen = priority_check.view_for(request.user, check)
    if form is None and seen.can_submit:
        form = RankingForm(priorities=seen.priorities)
    rows = [
        {
            "priority": priority,
            "ranks": [column.ranks.get(priority.pk) for column in seen.rankings],
        }
        for priority in seen.priorities
    ]
    results = seen.results
    return render(
        request,
        "strategy/check_detail.html",
        {
            "check": check,
            "seen": seen,
            "ranked_count": sum(person.submitted for person in seen.participants),
            "pair_rows": _pair_rows(seen) if results else [],
            "disagreement_rows": _disagreement_rows(seen) if results else [],
            "form": form if seen.can_submit else None,
            "side_by_side": rows if len(seen.rankings) > 1 else None,
            "total": len(seen.priorities),
        },
    )


# -- pages --------------------------------------------------------------------------------


@login_required
def check_list(request: HttpRequest) -> HttpResponse:
    if not visibility.sees_strategy(request.user):
        raise PermissionDenied("Your login has no role yet: ask an admin for one.")
    checks = priority_check.with_counts(
        PriorityCheck.objects.select_related("created_by__person").order_by("-created_at", "-pk")
    )
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = set(
        request.user.priority_checks.values_list("pk", flat=True)  # type: ignore[union-attr]
    )
    ranked = set(
        request.user.priority_rankings.values_list("priority_check_id", flat=True)  # type: ignore[union-attr]
    )
    rows = [
        {
            "check": check,
            "status": priority_check.status_of(check),
            "your_turn": check.pk in mine and check.pk not in ranked and not check.closed,
        }
        for check in page.object_list
    ]
    return render(
        request,
        "strategy/check_list.html",
        {
            "page": page,
            "rows": rows,
            "query": "",
            "can_create": visibility.can_create_check(request.user),
        },
    )


@login_required
def check_new(request: HttpRequest) -> HttpResponse:
    if not visibility.can_create_check(request.user):
        raise PermissionDenied(CHECK_REFUSED)
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check = do_create_check(
                request.user,
                title=form.cleaned_data["title"],
                priorities=form.cleaned_data["priorities"],
                participants=list(form.cleaned_data["participants"]),
                previous=form.previous_check(),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request,
                "The check is open: each participant now ranks the priorities on this page.",
            )
            return redirect("strategy:check_detail", check.pk)
    return render(request, "strategy/check_new.html", {"form": form})


@login_required
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _check_or_404(request.user, pk))


@login_required
@require_POST
def check_rank(request: HttpRequest, pk: int) -> HttpResponse:
    check = _check_or_404(request.user, pk)
    priorities = list(check.priorities.all())
    form = RankingForm(request.POST, priorities=priorities)
    try:
        do_submit_ranking(request.user, check, form.ranks())
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for key, problems in error.message_dict.items():
                form.add_error(rank_field(int(key)), problems)
            messages.error(
                request,
                f"Give every priority a rank from 1 to {len(priorities)} "
                "(ties allowed); see the ranks marked below.",
            )
            return _detail(request, check, form)
        for sentence in error.messages:
            messages.error(request, sentence)
        return redirect("strategy:check_detail", check.pk)
    messages.success(request, "Your ranking is in. It is final.")
    return redirect(reverse("strategy:check_detail", args=[check.pk]))


@login_required
@require_POST
def check_close(request: HttpRequest, pk: int) -> HttpResponse:
    check = _check_or_404(request.user, pk)
    try:
        do_close_check(request.user, check)
    except ValidationError as error:
        for sentence in error.messages:
            messages.error(request, sentence)
    else:
        messages.success(request, "The check is closed: it takes no more rankings.")
    return redirect("strategy:check_detail", check.pk)


urlpatterns = [
    path("checks/", check_list, name="checks"),
    path("checks/new/", check_new, name="check_new"),
    path("checks/<int:pk>/", check_detail, name="check_detail"),
    path("checks/<int:pk>/rank/", check_rank, name="check_rank"),
    path("checks/<int:pk>/close/", check_close, name="check_close"),
]
