"""Who sees what of the backlog diagnostics: the one place that decides it.

Tracker items are work items, not private records: every logged-in role except viewers
sees the item list and the reasons; viewers see the report's aggregates only (mixes,
churn, verdict) and no item titles. Importing tracker exports, correcting labels and
retraining the learned model are for admins and managers.
"""

from __future__ import annotations

from typing import Any

from productops.accounts.models import Role
from productops.accounts.roles import role_of


def sees_items(user: Any) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER, Role.MEMBER)


def can_import(user: Any) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def can_correct(user: Any) -> bool:
    return role_of(user) in (Role.ADMIN, Role.MANAGER)


def sees_report(user: Any) -> bool:
    return role_of(user) is not None
