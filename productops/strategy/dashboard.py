"""What the overview page shows each user about strategy.

- **CEO/CPO checks waiting for their ranking**: the open checks they take part in and
  have not ranked yet (`visibility.checks_awaiting_ranking`, the checks for which
  `can_submit_ranking` holds). A to-do, so it comes first.
- **Alignment**: of the work in progress now, the share that traces to an objective of
  the current calendar quarter (`alignment.compute_alignment`, its `in_progress_share`),
  with the counts. Aggregates only: no item is named, so every role sees it. Shown when
  the quarter has an objective and some work is in progress.
- **Delegation findings**: the number of over-delegation and micromanagement findings
  over every team on the board (`delegation.load_board().findings`), leaving out the
  cells whose recommendation the user may not see (it would tell a PM's competence).
  Shown once a level has been chosen for some team.

For the CEO block of the overview (`latest_check`): the newest CEO/CPO check with its
status and, for who may see its results (`visibility.sees_check_results`), its public
result only (rankings in, the mean agreement and its reading, the change since the earlier
check): nothing per priority or per pair, so it names no one and gives no ranking away.
`takes_part_in_checks` tells a leader who ranks priorities (the CEO, typically) from
everyone else; there is no CEO role.

Each part is left out when there is nothing behind it; with no part, the context is
empty and the page shows no strategy section. A fixed number of queries (about fifteen
with every part shown), whatever the number of checks, items, teams or areas.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from productops.accounts.roles import Login
from productops.strategy import visibility
from productops.strategy.alignment import compute_alignment, quarter_of
from productops.strategy.delegation import MICROMANAGEMENT, OVER_DELEGATION, Board, load_board
from productops.strategy.models import Delegation, Objective, PriorityCheck
from productops.strategy.priority_check import load_results, status_of, with_counts

SHOWN = 8


def alignment_summary() -> dict[str, Any] | None:
    """The current quarter's share of work in progress that traces to an objective."""
    start, end = quarter_of(timezone.localdate())
    if not Objective.objects.filter(period_start__lte=end, period_end__gte=start).exists():
        return None
    alignment = compute_alignment(start, end)
    if alignment.in_progress_share is None:
        return None
    return {
        "start": start,
        "end": end,
        "in_progress": alignment.in_progress,
        "aligned": alignment.in_progress_aligned,
        "percent": round(100 * alignment.in_progress_share),
    }


def delegation_summary(user: Login) -> dict[str, int] | None:
    """How many cells of the whole board are over-delegated or micromanaged, counting
    only the cells whose recommendation `user` may see (the board's own rule)."""
    if not Delegation.objects.exists():
        return None
    return board_summary(load_board(competence_visible=visibility.pm_competence_shown(user)))


def board_summary(board: Board) -> dict[str, int]:
    """A loaded board's counts: findings by kind, and the recommendations it withholds."""
    kinds = [cell.finding for cell in board.findings]
    withheld = sum(
        1
        for row in board.rows
        for cell in row.cells
        if cell.chosen is not None and cell.recommendation_withheld
    )
    return {
        "total": len(kinds),
        "withheld": withheld,
        "over_delegation": kinds.count(OVER_DELEGATION),
        "micromanagement": kinds.count(MICROMANAGEMENT),
    }


def dashboard_context(user: Login) -> dict[str, Any]:
    if not visibility.sees_strategy(user):
        return {}
    waiting = list(visibility.checks_awaiting_ranking(user))
    context: dict[str, Any] = {}
    if waiting:
        context["checks_to_rank"] = waiting[:SHOWN]
        context["checks_to_rank_total"] = len(waiting)
    alignment = alignment_summary()
    if alignment:
        context["strategy_alignment"] = alignment
    delegation = delegation_summary(user)
    if delegation:
        context["delegation_findings"] = delegation
    if context:
        context["strategy_shown"] = True
    return context


def takes_part_in_checks(user: Login) -> bool:
    """Whether the user was asked to rank priorities in some CEO/CPO check (one query)."""
    if not user.is_authenticated:
        return False
    return PriorityCheck.objects.filter(participants=user).exists()


def latest_check(user: Login) -> dict[str, Any] | None:
    """The newest CEO/CPO check, its status and its public result when the user may see
    it; None when there is no check. A fixed number of queries."""
    if not visibility.sees_strategy(user):
        return None
    check = (
        with_counts(PriorityCheck.objects.select_related("previous"))
        .order_by("-created_at", "-pk")
        .first()
    )
    if check is None:
        return None
    waiting = visibility.waiting_to_submit(user, check)
    results = None
    # a participant who has not ranked sees nothing of the others (`sees_check_results`)
    if not waiting and visibility.sees_check_results(user, check):
        previous = check.previous
        with_change = previous is not None and visibility.sees_check_results(user, previous)
        results = load_results(check, with_change=with_change, detailed=False)
    agreement = results.change.agreement if results and results.change else None
    return {
        "check": check,
        "status": status_of(check),
        "waiting": waiting,
        "can_submit": waiting and not check.closed,
        "results": results,
        "tau_change": agreement.change if agreement else None,
    }
