"""The weekly status digest: every team's latest shared status update, once a week.

Who receives it: admins (every team that builds, and the objectives) and managers (the
teams where someone of their reporting chain works, as `org.visibility.visible_teams`
says, and the objectives strategy lets them see). Members write the updates of their own
team and viewers see aggregates; neither gets the digest. It goes from the Tuesday after
the week (`DIGEST_FROM_WEEKDAY`): PMs share a week's update on the Monday after it. It
holds shared updates only, no item titles (the counts, the health and its reasons), and
it is not sent when none of the recipient's teams shared one for that week. Registered
with notify in `ReportsConfig.ready`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from productops.accounts.models import Role
from productops.accounts.roles import role_of
from productops.notify.kinds import Reminder, absolute_url, register_kind
from productops.org import visibility as org_visibility
from productops.reports import visibility
from productops.reports.models import StatusState
from productops.reports.status import (
    HEADLINES,
    OBJECTIVE_HEADLINES,
    last_complete_week,
    leader_rows,
    objective_rows,
    week_label,
)
from productops.strategy import visibility as strategy_visibility

KIND = "status_digest"
DIGEST_FROM_WEEKDAY = 1  # Tuesday: the week's updates were shared on the Monday


def recipients() -> list[User]:
    """Active admin and manager logins."""
    candidates = User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(account__role__in=[Role.ADMIN, Role.MANAGER])
    )
    return [
        user
        for user in candidates.order_by("username")
        if role_of(user) in (Role.ADMIN, Role.MANAGER)
    ]


def _row_line(
    name: str, row: dict[str, Any], monday: datetime.date, headlines: Any = HEADLINES
) -> list[str]:
    update = row["update"]
    if update is None or update.week_start != monday:
        return [f"- {name}: no update shared for this week"]
    numbers = ", ".join(
        f"{label.lower()} {row['numbers'][key]}"
        for key, label in headlines
        if key in row["numbers"]
    )
    url = absolute_url(reverse("reports:status_detail", args=[update.pk]))
    lines = [f"- {name}: {row['health_label']}" + (f" ({numbers})" if numbers else "")]
    lines += [f"    {reason['sentence']}" for reason in update.reasons if reason.get("sentence")]
    lines.append(f"    {url}")
    return lines


def _digest(user: User, monday: datetime.date, today: datetime.date) -> Reminder | None:
    shared = visibility.visible_status_updates(user).filter(state=StatusState.SHARED)
    rows = leader_rows(shared, today)
    if role_of(user) is not Role.ADMIN:
        led = set(org_visibility.visible_teams(user).values_list("pk", flat=True))
        rows = [row for row in rows if row["team"].pk in led]
    objectives: list[dict[str, Any]] = []
    if strategy_visibility.sees_strategy(user):
        objectives = objective_rows(
            visibility.visible_objective_updates(user).filter(state=StatusState.SHARED),
            today,
            with_owner=False,
        )
        objectives = [row for row in objectives if row["update"] is not None]
    this_week = [
        row for row in [*rows, *objectives] if row["update"] and row["update"].week_start == monday
    ]
    if not this_week:
        return None
    label = week_label(monday)
    lines = [f"The status updates shared for {label}.", "", "Teams:"]
    for row in rows:
        lines += _row_line(row["team"].name, row, monday)
    if objectives:
        lines += ["", "Objectives:"]
        for row in objectives:
            lines += _row_line(row["objective"].title, row, monday, OBJECTIVE_HEADLINES)
    lines += ["", f"Every team at once: {absolute_url(reverse('reports:status'))}"]
    return Reminder(f"week-{label}", user, f"Status digest for {label}", "\n".join(lines))


def due(now: datetime.datetime) -> Iterator[Reminder]:
    today = timezone.localdate(now)
    if today.weekday() < DIGEST_FROM_WEEKDAY:
        return
    monday = last_complete_week(today)
    for user in recipients():
        reminder = _digest(user, monday, today)
        if reminder is not None:
            yield reminder


def register() -> None:
    register_kind(
        KIND,
        "Weekly status digest",
        "For admins and managers, on Tuesdays: the health of the teams you lead (every "
        "team for admins) from their status updates shared for the week before.",
        due,
    )
