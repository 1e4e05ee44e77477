"""`productops status --team T | --objective O [--week 2026-W48] [--format md|json]`: a
team's, or an objective's, update.

Prints the week's update (a shared one before a draft); when the week has none yet, it
generates the draft from the data first. `--refresh` generates the draft again.
"""

from __future__ import annotations

import difflib
import json
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from productops.org.models import Team
from productops.reports.actions_status import do_generate_objective_status, do_generate_status
from productops.reports.models import StatusUpdate
from productops.reports.status import (
    last_complete_week,
    parse_week,
    status_markdown,
    update_as_dict,
    week_label,
)
from productops.strategy.models import Objective


def find_team(text: str) -> Team:
    """A team by id or name (any case); CommandError naming the close ones otherwise."""
    text = text.strip()
    if text.isdigit():
        found = Team.objects.filter(pk=int(text)).first()
        if found is not None:
            return found
    found = Team.objects.filter(name__iexact=text).first()
    if found is not None:
        return found
    names = list(Team.objects.values_list("name", flat=True))
    close = difflib.get_close_matches(text, names, n=5, cutoff=0.5)
    close += [n for n in names if text.casefold() in n.casefold() and n not in close]
    hint = f" Did you mean: {', '.join(close[:5])}?" if close else ""
    raise CommandError(
        f"No team named {text!r}.{hint} Pass a team's name or id with --team "
        "(the org pages list them)."
    )


def find_objective(text: str) -> Objective:
    """An objective by id or title (any case; the latest period first when titles repeat);
    CommandError naming the close ones otherwise."""
    text = text.strip()
    if text.isdigit():
        found = Objective.objects.filter(pk=int(text)).first()
        if found is not None:
            return found
    found = Objective.objects.filter(title__iexact=text).order_by("-period_start", "pk").first()
    if found is not None:
        return found
    titles = list(Objective.objects.values_list("title", flat=True).distinct())
    close = difflib.get_close_matches(text, titles, n=5, cutoff=0.5)
    close += [t for t in titles if text.casefold() in t.casefold() and t not in close]
    hint = f" Did you mean: {', '.join(close[:5])}?" if close else ""
    raise CommandError(
        f"No objective titled {text!r}.{hint} Pass an objective's title or id with "
        "--objective (the strategy pages list them)."
    )


class Command(BaseCommand):
    help = (
        "Print a team's or an objective's weekly status update, generating its draft when "
        "there is none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subject = parser.add_mutually_exclusive_group(required=True)
        subject.add_argument("--team", help="the team's name or id")
        subject.add_argument("--objective", help="the objective's title or id")
        parser.add_argument(
            "--week", default="", help="the ISO week, like 2026-W48 (default: the last complete)"
        )
        parser.add_argument("--format", choices=["md", "json"], default="md")
        parser.add_argument(
            "--refresh", action="store_true", help="generate the week's draft again first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            monday = (
                parse_week(options["week"])
                if options["week"]
                else last_complete_week(timezone.localdate())
            )
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        if options["objective"]:
            update = self._objective_update(find_objective(options["objective"]), monday, options)
        else:
            update = self._team_update(find_team(options["team"]), monday, options)
        data = update_as_dict(update, with_items=True)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(status_markdown(data), ending="")

    def _objective_update(
        self, objective: Objective, monday: date, options: dict[str, Any]
    ) -> StatusUpdate:
        update = (
            StatusUpdate.objects.filter(objective=objective, week_start=monday)
            .select_related("objective")
            .order_by("-state", "-pk")
            .first()
        )
        if update is None or options["refresh"]:
            try:
                update = do_generate_objective_status(None, objective, monday)
            except ValidationError as problem:
                raise CommandError(" ".join(problem.messages)) from None
            self.stderr.write(f"Generated the draft for {objective.title}, {week_label(monday)}.")
        return update

    def _team_update(self, team: Team, monday: date, options: dict[str, Any]) -> StatusUpdate:
        update = (
            StatusUpdate.objects.filter(team=team, week_start=monday)
            .select_related("team")
            .order_by("-state", "-pk")
            .first()
        )
        if update is None or options["refresh"]:
            try:
                update = do_generate_status(None, team, monday)
            except ValidationError as problem:
                raise CommandError(" ".join(problem.messages)) from None
            self.stderr.write(f"Generated the draft for {team.name}, {week_label(monday)}.")
        return update
