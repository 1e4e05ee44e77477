"""Who sees a job: the person who started it, and admins.

ops sits beside accounts on the bottom layer, so it cannot ask accounts for roles: the
site registers how to tell an admin (`register_admin_check`, done in productops/urls.py);
until then only superusers count as admins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from productops.ops.models import Job

AdminCheck = Callable[[Any], bool]


def _superuser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


_is_admin: dict[str, AdminCheck] = {"check": _superuser}


def register_admin_check(check: AdminCheck) -> None:
    """How to tell whether a signed-in user is an admin (sees every job)."""
    _is_admin["check"] = check


def visible_jobs(user: Any) -> QuerySet[Job]:
    """The jobs `user` may see: all for an admin, their own for anyone else signed in."""
    if user is None or not user.is_authenticated:
        return Job.objects.none()
    if _is_admin["check"](user):
        return Job.objects.all()
    return Job.objects.filter(owner_id=user.pk)


def visible_job_or_404(user: Any, pk: int) -> Job:
    """The job `pk` if `user` may see it; Http404 otherwise (also for a job of someone
    else: its existence is not for them to learn)."""
    if not -(2**63) < pk < 2**63:
        raise Http404("No such job")
    job = visible_jobs(user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such job")
    return job
