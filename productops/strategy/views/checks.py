"""The CEO/CPO check pages: the list, starting a check, ranking, the results, closing.

Thin: `strategy.visibility` decides (through `priority_check.view_for`), the actions
write, `strategy.priority_check` computes. A check is seen by every logged-in role; a
participant who has not ranked yet sees the ranking form and nothing of the others'.
The results are the agreement; the pairs and the priorities ranked least alike are for
admins only, and viewers see no one's name.
`?format=csv|xlsx&table=…` downloads one of the tables the page shows to that person
at that moment (`priority_check.check_tables`), and only those: nothing while one still
has to rank, no pair or spread for who may not see every ranking (404 otherwise).
Starting a check is for admins and managers (403 otherwise); ranking is for
participants (403 otherwise); a check that does not exist answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from productops.accounts.visibility import visible_or_404
from productops.imports.tables import requested_format, table_download
from productops.strategy import priority_check, visibility
from productops.strategy.actions import (
    CHECK_REFUSED,
    do_close_check,
    do_create_check,
    do_submit_ranking,
)
from productops.strategy.forms import CheckForm, RankingForm, add_errors, rank_field
from productops.strategy.models import PriorityCheck

PAGE_SIZE = 50


# -- helpers ------------------------------------------------------------------------------


NO_SUCH_CHECK = "No such check"


def _page_rows(
    tables: list[priority_check.CheckTable], key: str, names: tuple[str, ...]
) -> list[dict[str, Any]]:
    """A table of `check_tables` as the template reads it: the same rows as its download,
    each a dict of `names`; empty when the page does not show that table."""
    table = next((t for t in tables if t.key == key), None)
    return [dict(zip(names, row, strict=False)) for row in table.rows] if table else []


def _detail(
    request: HttpRequest, check: PriorityCheck, form: RankingForm | None = None
) -> HttpResponseBase:
    seen = priority_check.view_for(request.user, check)
    if form is None and seen.can_submit:
        form = RankingForm(priorities=seen.priorities)
    download = requested_format(request) if request.method == "GET" else None
    tables = priority_check.check_tables(seen)
    if download:
        return _check_table_download(download, request.GET.get("table", ""), check, tables)
    rankings = next((t for t in tables if t.key == "rankings"), None)
    return render(
        request,
        "strategy/check_detail.html",
        {
            "check": check,
            "seen": seen,
            "ranked_count": sum(person.submitted for person in seen.participants),
            "pair_rows": _page_rows(tables, "pairs", ("names", "tau", "reading")),
            "disagreement_rows": _page_rows(
                tables, "differences", ("title", "spread", "highest", "lowest")
            ),
            "form": form if seen.can_submit else None,
            "side_by_side": (
                [{"title": row[0], "ranks": row[1:]} for row in rankings.rows] if rankings else None
            ),
            "total": len(seen.priorities),
            "downloads": {table.key for table in tables},
        },
    )


def _check_table_download(
    format: str, key: str, check: PriorityCheck, tables: list[priority_check.CheckTable]
) -> HttpResponseBase:
    """One of the tables the page shows to this person (the first when none is named);
    a table the page does not show them is not found, as nothing on the page names it."""
    table = next((t for t in tables if t.key == key or not key), None)
    if table is None:
        shown = ", ".join(t.key for t in tables)
        raise Http404(
            f"This check shows you no table {key!r}: "
            + (f"ask for one of {shown}." if shown else "there is nothing to download yet.")
        )
    return table_download(format, f"check-{check.pk}-{table.key}", table.header, table.rows)


# -- pages --------------------------------------------------------------------------------


def _check_list_download(format: str, checks: Any, sees_names: bool) -> HttpResponseBase:
    """Every check of the list: its title, start, status, and who started it only for a
    role whose page names them. No ranking: those stay on each check's page."""
    header = ["Check", "Started", *(["By"] if sees_names else []), "Status"]
    rows = []
    for check in checks:
        by = ""
        if check.created_by:
            person = getattr(check.created_by, "person", None)
            by = person.name if person else check.created_by.get_username()
        rows.append(
            [
                check.title,
                timezone.localtime(check.created_at).date(),
                *([by] if sees_names else []),
                priority_check.status_of(check).label,
            ]
        )
    return table_download(format, "priority-checks", header, rows)


@login_required
def check_list(request: HttpRequest) -> HttpResponseBase:
    if not request.user.is_authenticated or not visibility.sees_strategy(request.user):
        raise PermissionDenied("Your login has no role yet: ask an admin for one.")
    checks = priority_check.with_counts(
        PriorityCheck.objects.select_related("created_by__person").order_by("-created_at", "-pk")
    )
    download = requested_format(request)
    if download:
        return _check_list_download(download, checks, visibility.sees_names(request.user))
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = set(request.user.priority_checks.values_list("pk", flat=True))
    ranked = set(request.user.priority_rankings.values_list("priority_check_id", flat=True))
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
            "sees_names": visibility.sees_names(request.user),
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
            add_errors(form, error)
        else:
            messages.success(
                request,
                "The check is open: each participant now ranks the priorities on this page.",
            )
            return redirect("strategy:check_detail", check.pk)
    return render(request, "strategy/check_new.html", {"form": form})


@login_required
def check_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _detail(
        request, visible_or_404(visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=pk)
    )


@login_required
@require_POST
def check_rank(request: HttpRequest, pk: int) -> HttpResponseBase:
    check = visible_or_404(visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=pk)
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
    check = visible_or_404(visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=pk)
    try:
        do_close_check(request.user, check)
    except ValidationError as error:
        for sentence in error.messages:
            messages.error(request, sentence)
    else:
        messages.success(request, "The check is closed: it takes no more rankings.")
    return redirect("strategy:check_detail", check.pk)
