"""What a status name or a resolution means, whatever the tracker called it.

Changes record status *names* ("In Review", "Won't Do"), not categories, and an item's
status mapping at the time is not known. `status_category_of` is the one place that
turns a name into a category; `status_category_expr` is the same rule for a column.

- done: done, closed, resolved, released, shipped, won't do / won't fix, cancelled /
  canceled, duplicate, rejected, declined, obsolete, not planned, completed;
- in progress: in progress, in review, review, code review, testing, in test, QA,
  doing, in development, development, started, blocked, verification;
- to do: everything else (to do, open, backlog, new, selected for development, ...).

The comparison ignores case, surrounding spaces, apostrophes and hyphens, so "Won't Do",
"wont do" and "WONT-DO" are the same name.
"""

from __future__ import annotations

import polars as pl

DONE_NAMES = frozenset(
    {
        "done",
        "closed",
        "resolved",
        "released",
        "shipped",
        "completed",
        "complete",
        "fixed",
        "wont do",
        "wont fix",
        "cancelled",
        "canceled",
        "duplicate",
        "rejected",
        "declined",
        "obsolete",
        "not planned",
        "abandoned",
    }
)
IN_PROGRESS_NAMES = frozenset(
    {
        "in progress",
        "in review",
        "review",
        "code review",
        "in code review",
        "peer review",
        "testing",
        "in test",
        "in testing",
        "qa",
        "in qa",
        "doing",
        "in development",
        "development",
        "in dev",
        "started",
        "blocked",
        "verification",
        "ready for review",
        "ready for qa",
    }
)
# Resolutions (or status names) that close an item without doing it.
WONT_DO_NAMES = frozenset(
    {
        "wont do",
        "wont fix",
        "cancelled",
        "canceled",
        "duplicate",
        "rejected",
        "declined",
        "obsolete",
        "not planned",
        "abandoned",
        "incomplete",
        "cannot reproduce",
    }
)


def normalize_name(name: str | None) -> str:
    text = (name or "").strip().lower().replace("'", "").replace("\u2019", "")
    return " ".join(text.replace("-", " ").replace("_", " ").split())


def status_category_of(name: str | None) -> str:
    """ "done", "in_progress" or "todo" for a status name (see the module's rules)."""
    normal = normalize_name(name)
    if normal in DONE_NAMES:
        return "done"
    if normal in IN_PROGRESS_NAMES:
        return "in_progress"
    return "todo"


def is_wont_do(name: str | None) -> bool:
    """Whether a resolution or status name closes an item without doing it."""
    return normalize_name(name) in WONT_DO_NAMES


def normalized_expr(column: pl.Expr) -> pl.Expr:
    """`normalize_name` as a Polars expression."""
    return (
        column.fill_null("")
        .str.to_lowercase()
        .str.replace_all("['\u2019]", "")
        .str.replace_all(r"[-_\s]+", " ")
        .str.strip_chars()
    )


def status_category_expr(column: pl.Expr) -> pl.Expr:
    """`status_category_of` for a column of status names."""
    normal = normalized_expr(column)
    return (
        pl.when(normal.is_in(list(DONE_NAMES)))
        .then(pl.lit("done"))
        .when(normal.is_in(list(IN_PROGRESS_NAMES)))
        .then(pl.lit("in_progress"))
        .otherwise(pl.lit("todo"))
    )


def wont_do_expr(column: pl.Expr) -> pl.Expr:
    """`is_wont_do` for a column of resolutions or status names."""
    return normalized_expr(column).is_in(list(WONT_DO_NAMES))
