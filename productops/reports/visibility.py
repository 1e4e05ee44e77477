"""Who may reopen which health report snapshot.

A snapshot holds what its reader could see, so it reopens for that login and for admins
only: a viewer never opens an admin's named report through its id.
"""

from __future__ import annotations

from django.db.models import QuerySet

from productops.accounts.models import Role
from productops.accounts.roles import Login, role_of
from productops.reports.models import ReportSnapshot


def visible_snapshots(user: Login) -> QuerySet[ReportSnapshot]:
    role = role_of(user)
    if role is None:
        return ReportSnapshot.objects.none()
    if role is Role.ADMIN:
        return ReportSnapshot.objects.all()
    return ReportSnapshot.objects.filter(generated_by=user.get_username())
