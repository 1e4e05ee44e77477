"""The tracker vocabulary: item types, status categories, resolutions, by every name.

The normalized values are the plain strings of `backlog.models.ItemType`,
`StatusCategory` and `Source`, spelled out so importers need no Django; a test keeps
them in step. Each `normalize_*` turns what a tracker writes ('Story', 'Won't Fix',
'In Review') into one of them.
"""

from __future__ import annotations

from collections.abc import Iterable

# backlog.models.ItemType / StatusCategory values, spelled out so importers need no Django.
FEATURE, BUG, INCIDENT, TASK, EPIC, SUBTASK, OTHER = (
    "feature",
    "bug",
    "incident",
    "task",
    "epic",
    "subtask",
    "other",
)
ITEM_TYPES = (FEATURE, BUG, INCIDENT, TASK, EPIC, SUBTASK, OTHER)
TODO, IN_PROGRESS, DONE = "todo", "in_progress", "done"
STATUS_CATEGORIES = (TODO, IN_PROGRESS, DONE)
SOURCES = ("jira", "github", "linear", "csv")

# Resolutions are normalized to a few words the analysis can count on.
RESOLVED_DONE, WONT_DO, DUPLICATE = "done", "won't do", "duplicate"


TYPE_NAMES = {
    FEATURE: (
        "story",
        "user story",
        "feature",
        "new feature",
        "feature request",
        "improvement",
        "enhancement",
        "requirement",
    ),
    BUG: ("bug", "defect", "bug report", "regression"),
    INCIDENT: ("incident", "outage", "problem", "production incident"),
    TASK: ("task", "chore", "technical task", "spike"),
    EPIC: ("epic",),
    SUBTASK: ("sub-task", "subtask", "sub task", "sub-bug"),
}
TYPE_BY_NAME = {name: item_type for item_type, names in TYPE_NAMES.items() for name in names}


def normalize_type(name: str) -> str:
    """Jira's 'Story', GitHub's 'enhancement', a sheet's 'Defect' -> an ItemType value.

    A name nobody recognizes becomes 'other'; the importer keeps the original alongside.
    """
    return TYPE_BY_NAME.get(" ".join(name.split()).casefold(), OTHER)


def type_from_labels(labels: Iterable[str]) -> tuple[str, str]:
    """The (type, label) of the first label naming a type, or (OTHER, '') when none does."""
    for label in labels:
        item_type = normalize_type(label.split(":")[-1])
        if item_type != OTHER:
            return item_type, label
    return OTHER, ""


DONE_STATUSES = {
    "done",
    "closed",
    "resolved",
    "complete",
    "completed",
    "released",
    "shipped",
    "won't do",
    "wont do",
    "won't fix",
    "canceled",
    "cancelled",
    "duplicate",
    "rejected",
    "declined",
}
IN_PROGRESS_STATUSES = {
    "in progress",
    "in review",
    "review",
    "code review",
    "in development",
    "testing",
    "in testing",
    "qa",
    "in qa",
    "started",
    "doing",
    "wip",
    "blocked",
}
STATUS_CATEGORY_NAMES = {
    "to do": TODO,
    "todo": TODO,
    "new": TODO,
    "open": TODO,
    "in progress": IN_PROGRESS,
    "indeterminate": IN_PROGRESS,
    "done": DONE,
    "complete": DONE,
}


def status_category_from_name(status: str) -> str:
    """Infer the category when a source gives only the status name; unknown -> to do."""
    name = " ".join(status.replace("-", " ").split()).casefold()
    if name in DONE_STATUSES:
        return DONE
    if name in IN_PROGRESS_STATUSES:
        return IN_PROGRESS
    return TODO


def normalize_status_category(category: str) -> str | None:
    """Jira's 'To Do' / 'In Progress' / 'Done' column -> a StatusCategory value, or None."""
    return STATUS_CATEGORY_NAMES.get(" ".join(category.replace("_", " ").split()).casefold())


RESOLUTION_NAMES = {
    RESOLVED_DONE: ("done", "fixed", "resolved", "complete", "completed", "implemented"),
    WONT_DO: (
        "won't do",
        "wont do",
        "won't fix",
        "wont fix",
        "not planned",
        "declined",
        "rejected",
        "obsolete",
        "canceled",
        "cancelled",
        "abandoned",
    ),
    DUPLICATE: ("duplicate", "duplicated"),
}
RESOLUTION_BY_NAME = {name: value for value, names in RESOLUTION_NAMES.items() for name in names}


def normalize_resolution(resolution: str) -> str:
    """'Won't Fix' -> "won't do", 'Fixed' -> 'done'; other resolutions lower-cased as given."""
    name = " ".join(resolution.replace("’", "'").split()).casefold()
    if name in ("unresolved", "none"):
        return ""
    return RESOLUTION_BY_NAME.get(name, name)
