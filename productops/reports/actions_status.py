"""Every write of the team status updates: `check_*` validates and authorizes, `do_*` writes.

Generating refreshes the week's draft (what the PM wrote is kept) or starts one. A shared
update is history: editing it is refused; generating the week again starts a new draft
that, once shared, replaces the earlier one (both are kept, the newer one is shown).
`user=None` is the command line (or the demo), run by whoever operates the installation;
`author` then names who wrote or shared it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from productops.accounts.roles import Login
from productops.backlog.frames import BacklogFrames
from productops.org.models import Team, builds_product
from productops.reports import visibility
from productops.reports.models import StatusHealth, StatusState, StatusUpdate
from productops.reports.status import (
    change_since,
    generate_objective_week,
    generate_week,
    objective_overlaps,
    week_label,
)
from productops.reports.visibility import (
    can_edit_objective_status,
    can_edit_update,
)
from productops.strategy.models import Objective

COMMAND_LINE = "command line"  # who wrote or shared it, without a login (`author` names one)
EDIT_REFUSED = (
    "Only the team's product manager, a manager who sees the team, or an admin may "
    "generate, edit and share its status update."
)
SHARED_REFUSED = (
    "This update is shared and kept as history: generate the week again to start a new "
    "draft that replaces it once shared."
)


OBJECTIVE_EDIT_REFUSED = (
    "Only an admin or the objective's owner (an admin or a manager when it has no owner) "
    "may generate, edit and share its status update."
)


def _refused(update: StatusUpdate) -> str:
    return OBJECTIVE_EDIT_REFUSED if update.objective_id is not None else EDIT_REFUSED


def check_team_builds(team: Team) -> None:
    if not Team.objects.filter(builds_product(), pk=team.pk).exists():
        raise ValidationError(
            f"{team.name} is a group or has no members: status updates are for the teams "
            "that build. Pick one of its teams."
        )


def check_generate(user: Login | None, team: Team) -> None:
    if user is not None and not visibility.can_edit_status(user, team):
        raise PermissionDenied(EDIT_REFUSED)
    check_team_builds(team)


def previous_update(team: Team, monday: date) -> StatusUpdate | None:
    """The team's latest update of an earlier week, a shared one first."""
    return _previous({"team": team}, monday)


def _previous(subject: dict[str, Any], monday: date) -> StatusUpdate | None:
    """The subject's (`{"team": …}` or `{"objective": …}`) latest update of an earlier
    week, a shared one first."""
    earlier = StatusUpdate.objects.filter(**subject, week_start__lt=monday)
    latest = earlier.order_by("-week_start", "-pk").first()
    if latest is None:
        return None
    shared = earlier.filter(week_start=latest.week_start, state=StatusState.SHARED)
    return shared.order_by("-pk").first() or latest


def _previous_dict(update: StatusUpdate | None) -> dict[str, Any] | None:
    if update is None:
        return None
    return {
        "id": update.pk,
        "week": update.week,
        "health": update.final_health,
        "generated": update.generated,
    }


def do_generate_status(
    user: Login | None,
    team: Team,
    monday: date,
    *,
    now: datetime | None = None,
    frames: BacklogFrames | None = None,
) -> StatusUpdate:
    """The week's draft, generated afresh from the data (the PM's part kept); `frames`,
    the team's tracker frames, when the caller generates many weeks at a time."""
    check_generate(user, team)
    generated = generate_week(team, monday, frames)
    change = change_since(generated, _previous_dict(previous_update(team, monday)))
    return _save_draft({"team": team}, monday, generated, change, now or timezone.now())


def _save_draft(
    subject: dict[str, Any],
    monday: date,
    generated: dict[str, Any],
    change: dict[str, Any],
    moment: datetime,
) -> StatusUpdate:
    """The subject's draft for the week with what was just generated: the existing draft
    (its writer's part kept) or a new one, replacing the week's shared update if any."""
    with transaction.atomic():
        week = StatusUpdate.objects.filter(**subject, week_start=monday)
        draft = week.select_for_update().filter(state=StatusState.DRAFT).first()
        if draft is None:
            draft = StatusUpdate(
                **subject,
                week=week_label(monday),
                week_start=monday,
                replaces=week.filter(state=StatusState.SHARED).order_by("-pk").first(),
            )
        draft.generated = generated
        draft.generated_at = moment
        draft.health = generated["health"]
        draft.reasons = generated["reasons"]
        draft.change = change
        draft.save()
    return draft


def check_edit(
    user: Login | None, update: StatusUpdate, corrected_health: str, correction_reason: str
) -> None:
    if user is not None and not can_edit_update(user, update):
        raise PermissionDenied(_refused(update))
    if update.is_shared:
        raise ValidationError(SHARED_REFUSED)
    if corrected_health and corrected_health not in StatusHealth.values:
        raise ValidationError(
            f"{corrected_health!r} is not a health: use one of {', '.join(StatusHealth.values)}."
        )
    if corrected_health and corrected_health != update.health and not correction_reason.strip():
        raise ValidationError("Say why you correct the health: the reason is kept with it.")


def do_edit_status(
    user: Login | None,
    update: StatusUpdate,
    *,
    note: str,
    corrected_health: str = "",
    correction_reason: str = "",
    now: datetime | None = None,
    author: str = COMMAND_LINE,
) -> StatusUpdate:
    """The PM's paragraph and, optionally, a corrected health with its reason."""
    check_edit(user, update, corrected_health, correction_reason)
    corrected = corrected_health if corrected_health != update.health else ""
    update.note = note.strip()
    update.corrected_health = corrected
    update.correction_reason = correction_reason.strip() if corrected else ""
    update.written_by = user.get_username() if user is not None else author
    update.written_at = now or timezone.now()
    update.save(
        update_fields=[
            "note",
            "corrected_health",
            "correction_reason",
            "written_by",
            "written_at",
        ]
    )
    return update


def check_share(user: Login | None, update: StatusUpdate) -> None:
    if user is not None and not can_edit_update(user, update):
        raise PermissionDenied(_refused(update))
    if update.is_shared:
        raise ValidationError("This update is already shared.")


def do_share_status(
    user: Login | None,
    update: StatusUpdate,
    *,
    now: datetime | None = None,
    author: str = COMMAND_LINE,
) -> StatusUpdate:
    """Draft → shared: from now on the update is history."""
    check_share(user, update)
    update.state = StatusState.SHARED
    update.shared_by = user.get_username() if user is not None else author
    update.shared_at = now or timezone.now()
    update.save(update_fields=["state", "shared_by", "shared_at"])
    return update


# -- an objective's update ----------------------------------------------------------------


def check_generate_objective(user: Login | None, objective: Objective, monday: date) -> None:
    if user is not None and not can_edit_objective_status(user, objective):
        raise PermissionDenied(OBJECTIVE_EDIT_REFUSED)
    if not objective_overlaps(objective, monday):
        raise ValidationError(
            f"{objective.title} runs from {objective.period_start} to {objective.period_end}: "
            f"{week_label(monday)} is outside it. Pick a week in the objective's period."
        )


def previous_objective_update(objective: Objective, monday: date) -> StatusUpdate | None:
    """The objective's latest update of an earlier week, a shared one first."""
    return _previous({"objective": objective}, monday)


def do_generate_objective_status(
    user: Login | None,
    objective: Objective,
    monday: date,
    *,
    now: datetime | None = None,
    frames: BacklogFrames | None = None,
) -> StatusUpdate:
    """The objective's draft for the week, generated afresh (the owner's part kept)."""
    check_generate_objective(user, objective, monday)
    generated = generate_objective_week(objective, monday, frames=frames)
    previous = previous_objective_update(objective, monday)
    change = change_since(generated, _previous_dict(previous))
    return _save_draft({"objective": objective}, monday, generated, change, now or timezone.now())
