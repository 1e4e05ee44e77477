"""The CEO/CPO check API: list and start checks, read one, submit my ranking, close.

The same actions, `strategy.priority_check` computations and `strategy.visibility` rules
as the pages: a check answers with its public result (the agreement) and only the
rankings the caller may see (none at all, and no result, for a participant who has not
ranked yet). The pairs and the priorities ranked least alike are filled only for who
sees every ranking (an admin); for a viewer every person's name and login is null. A
refusal is 403 with the action's sentence, invalid input 422 with the sentence, an
unknown check 404.

No `from __future__ import annotations` here: django-ninja reads the annotations of
route parameters at import time. The schemas live in
`strategy.schemas.checks`; refusals (403), invalid input (422) and unknown records (404)
are answered by the shared handlers of `productops/api.py`.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Value
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from productops.accounts.visibility import Login, visible_or_404
from productops.strategy import priority_check, visibility
from productops.strategy.actions import (
    COMPARE_WITH_LATEST,
    do_close_check,
    do_create_check,
    do_submit_ranking,
)
from productops.strategy.models import PriorityCheck
from productops.strategy.schemas.checks import (
    CheckCreateIn,
    CheckDetailOut,
    CheckRankingIn,
    CheckSummaryOut,
)

router = Router(tags=["strategy: priority checks"])

MAX_ID = 2**63 - 1  # larger ids match nothing, and would overflow the database's integers

NO_SUCH_CHECK = "No such check"


# -- helpers ------------------------------------------------------------------------------


def _sane(pk: int) -> int:
    return pk if 0 < pk <= MAX_ID else 0


def _summary(
    check: PriorityCheck, status: priority_check.CheckStatus, *, named: bool
) -> dict[str, Any]:
    return {
        "id": check.pk,
        "title": check.title,
        "created_at": check.created_at,
        "created_by": check.created_by.get_username() if check.created_by and named else None,
        "closed": check.closed,
        "status": status.key,
        "status_label": status.label,
        "previous_id": check.previous_id,
    }


def _change(change: priority_check.Change) -> dict[str, Any]:
    agreement = change.agreement
    return {
        "previous_id": change.previous_id,
        "previous_title": change.previous_title,
        "tau_then": agreement.tau_then if agreement else None,
        "tau_now": agreement.tau_now if agreement else None,
        "tau_change": agreement.change if agreement else None,
        "basis": agreement.basis if agreement else None,
        "priorities": [
            {
                "title": row.title,
                "spread_then": row.spread_then,
                "spread_now": row.spread_now,
                "change": row.change,
            }
            for row in change.priorities
        ],
    }


def _results(seen: priority_check.CheckView) -> dict[str, Any] | None:
    results = seen.results
    if results is None:
        return None
    logins = {p.id: p.username for p in seen.participants if p.id is not None}
    return {
        "rankings_in": results.rankings_in,
        "mean_tau": results.mean_tau,
        "reading": results.reading,
        "pairs": [
            {
                "first": logins.get(pair.first, str(pair.first)),
                "second": logins.get(pair.second, str(pair.second)),
                "tau": pair.tau,
                "reading": pair.reading,
            }
            for pair in results.pairs
        ],
        "disagreements": [
            {
                "priority_id": found.priority,
                "title": seen.title_of(found.priority),
                "spread": found.spread,
                "pairwise_difference": found.pairwise_difference,
                "highest_rank": found.highest_rank,
                "lowest_rank": found.lowest_rank,
            }
            for found in results.disagreements
        ],
        "change": _change(results.change) if results.change else None,
    }


def _detail(user: Login, check: PriorityCheck) -> dict[str, Any]:
    seen = priority_check.view_for(user, check)
    logins = {p.id: p.username for p in seen.participants if p.id is not None}
    order = {p.pk: p.position for p in seen.priorities}
    return {
        **_summary(check, seen.status, named=seen.sees_names),
        "priorities": [
            {"id": p.pk, "title": p.title, "position": p.position} for p in seen.priorities
        ],
        "participants": [
            {"id": p.id, "username": p.username, "name": p.name, "submitted": p.submitted}
            for p in seen.participants
        ],
        "waiting_for_you": seen.waiting,
        "can_submit": seen.can_submit,
        "can_close": seen.can_close,
        "results": _results(seen),
        "rankings": [
            {
                "author": logins.get(column.author_id, column.author_name),
                "author_name": column.author_name,
                "submitted_at": column.submitted_at,
                "ranks": [
                    {"priority_id": pk, "rank": rank}
                    for pk, rank in sorted(
                        column.ranks.items(), key=lambda item: (item[1], order.get(item[0], 0))
                    )
                ],
            }
            for column in seen.rankings
        ],
    }


def _participants(usernames: list[str]) -> list[Any]:
    wanted = [name.strip() for name in usernames if name.strip()]
    found = {
        user.get_username(): user for user in get_user_model().objects.filter(username__in=wanted)
    }
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise ValidationError(
            f"No login is named {', '.join(f'“{name}”' for name in unknown)}: check the "
            "spelling, or ask an admin to create the login.",
        )
    return list(found.values())


def _previous(previous_id: int | None) -> PriorityCheck | str | None:
    if previous_id is None:
        return COMPARE_WITH_LATEST
    if previous_id == 0:
        return None
    previous = PriorityCheck.objects.filter(pk=_sane(previous_id)).first()
    if previous is None:
        raise ValidationError(f"No priority check has the id {previous_id}.")
    return previous


# -- routes -------------------------------------------------------------------------------


@router.get("/checks", response=list[CheckSummaryOut], summary="Priority checks, newest first")
@paginate
def list_checks(request: HttpRequest):
    if not visibility.sees_strategy(request.user):
        raise PermissionDenied("Your login has no role yet: ask an admin for one.")
    checks = priority_check.with_counts(
        PriorityCheck.objects.select_related("created_by").order_by("-created_at", "-pk")
    )
    return checks.annotate(names_hidden=Value(not visibility.sees_names(request.user)))


@router.post(
    "/checks",
    response={201: CheckDetailOut},
    summary="Start a check: a title, the priorities, and two or more participants",
)
def create_check(request: HttpRequest, payload: CheckCreateIn):
    participants = _participants(payload.participants)
    check = do_create_check(
        request.user,
        title=payload.title,
        priorities=payload.priorities,
        participants=participants,
        previous=_previous(payload.previous_id),
    )
    return 201, _detail(
        request.user,
        visible_or_404(visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=check.pk),
    )


@router.get(
    "/checks/{check_id}",
    response=CheckDetailOut,
    summary="A check: its aggregates, and the rankings you may see",
)
def get_check(request: HttpRequest, check_id: int):
    return _detail(
        request.user,
        visible_or_404(visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=_sane(check_id)),
    )


@router.post(
    "/checks/{check_id}/ranking",
    response={201: CheckDetailOut},
    summary="Submit my ranking (once; it is final): a rank 1..N for every priority",
)
def submit_ranking(request: HttpRequest, check_id: int, payload: CheckRankingIn):
    check = visible_or_404(
        visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=_sane(check_id)
    )
    ranks: dict[int, int] = {}
    for entry in payload.ranks:
        if entry.priority_id in ranks:
            raise ValidationError(f"Priority {entry.priority_id} is ranked twice: rank it once.")
        ranks[entry.priority_id] = entry.rank
    do_submit_ranking(request.user, check, ranks)
    return 201, _detail(
        request.user,
        visible_or_404(visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=check.pk),
    )


@router.post(
    "/checks/{check_id}/close",
    response=CheckDetailOut,
    summary="Close a check (its creator or an admin): it takes no more rankings",
)
def close_check(request: HttpRequest, check_id: int):
    check = visible_or_404(
        visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=_sane(check_id)
    )
    do_close_check(request.user, check)
    return _detail(
        request.user,
        visible_or_404(visibility.visible_checks(request.user), NO_SUCH_CHECK, pk=check.pk),
    )
