"""Who sees what of the backlog diagnostics: the one place that decides it.

Tracker items are work items, not private records: every logged-in role except viewers
sees the item list and the reasons; viewers see the report's aggregates only (mixes,
churn, verdict) and no item titles. Importing tracker exports, correcting labels and
retraining the learned model are for admins and managers. Who files the backlog by name
(reporters and their counts) is for admins and managers, who also assign them; the
label vocabulary names no one and is for every role.
"""

from __future__ import annotations

from typing import Any

from productops.accounts.models import Role
from productops.accounts.roles import Login, role_of

ITEMS_REFUSED = (
    "Viewers see only the aggregates of the backlog report; ask an admin for a member "
    "login to browse the items."
)


def sees_items(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def can_import(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def can_correct(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def sees_report(user: Login) -> bool:
    return role_of(user) is not None


# Who files the backlog (issue 12). How much each named person files is a count per
# person, a league table of colleagues: admins and managers (who assign reporters) see
# the names; members and viewers see the counts without names (how many reporters, how
# many matched, the share of items from reporters nobody matched).
REPORTERS_REFUSED = (
    "Only admins and managers see who files the backlog by name; the page shows you the "
    "counts. Ask an admin or a manager to match the reporters."
)


def sees_reporter_names(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def can_assign_reporters(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


# The label vocabulary names no person and no item: every role sees it; mapping a label
# changes how every item is read, so it is for admins and managers, like a correction.
def sees_vocabulary(user: Login) -> bool:
    return role_of(user) is not None


def can_map_labels(user: Login) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


# Keys of the report's dictionary that list single items (keys, titles): withheld from
# viewers, who see the aggregates only.
ITEM_LISTS = ("items", "item_keys", "keys", "titles")


def aggregates_only(report: dict[str, Any]) -> dict[str, Any]:
    """The report's dictionary without any list of items, at any depth (counts stay)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: strip(v)
                for k, v in value.items()
                if not (k in ITEM_LISTS and isinstance(v, list))
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(report)
