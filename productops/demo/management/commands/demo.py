"""`productops demo`: load the demo organization and the demo logins.

productops demo                  # an empty database: build the demo, print the logins
productops demo --if-empty       # keep whatever is there, refresh the logins
productops demo --reset          # replace every person and team with the demo
productops demo --people 2000    # a larger company, same planted problems
"""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.demo.org import (
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    EMAIL_DOMAIN,
    MIN_PEOPLE,
    DemoOrg,
    build_demo_org,
    read_demo_org,
)
from productops.org.actions import do_clear_org
from productops.org.models import Person

DEMO_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: Role
    person: Person | None


class Command(BaseCommand):
    help = (
        "Load the demo organization (a SaaS company with problems planted for the org "
        "audit) and create the admin, manager, member and viewer logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"How many people the company has (default {DEFAULT_PEOPLE}, at least {MIN_PEOPLE}).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="The same seed always builds the same company.",
        )
        existing = parser.add_mutually_exclusive_group()
        existing.add_argument(
            "--reset",
            action="store_true",
            help="Delete every person and team first, then build the demo.",
        )
        existing.add_argument(
            "--if-empty",
            action="store_true",
            help="Build the demo only if there are no people yet; refresh the logins either way.",
        )
        parser.add_argument(
            "--url",
            default=DEMO_URL,
            help=f"The address the logins are printed for (default {DEMO_URL}).",
        )
        parser.add_argument(
            "--password",
            help="One password for all demo logins (default: a new random one for each).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people: int = options["people"]
        if people < MIN_PEOPLE:
            raise CommandError(f"--people must be at least {MIN_PEOPLE}.")
        if options["password"]:
            try:
                validate_password(options["password"])
            except ValidationError as error:
                raise CommandError(
                    "That --password is not accepted. "
                    + " ".join(error.messages)
                    + " Choose another, or leave --password out to get a random one per login."
                ) from None
        existing = Person.objects.count()
        if existing and not options["reset"] and not options["if_empty"]:
            raise CommandError(
                f"The database already has {existing} people. "
                "Use --reset to replace them with the demo organization "
                "(or --if-empty to keep them)."
            )
        if existing and not options["reset"]:
            demo = read_demo_org()
            if demo is None:
                self.stdout.write(
                    f"The database already has {existing} people, not the demo "
                    "organization; keeping them. Logins are created without people."
                )
            else:
                self.stdout.write(f"The demo org is already loaded ({existing} people).")
        else:
            demo = self._build(people, options["seed"], reset=bool(existing))
        stories = self._build_capabilities(demo, options["seed"])
        logins = self._create_logins(demo, options["password"])
        # After the logins: the coaching demo credits talking points and check-ins to them.
        stories += self._build_coaching(demo, options["seed"])
        from productops.demo.reports import build_reports_demo
        from productops.demo.status import build_status_demo

        with Console(file=sys.stderr).status("Writing six weeks of team status updates…"):
            stories += build_status_demo()
        stories += build_reports_demo()
        self._print_summary(demo, logins, options["url"])
        for story in stories:
            self.stdout.write(f"In the demo: {story}")

    def _build(self, people: int, seed: int, *, reset: bool) -> DemoOrg:
        console = Console(file=sys.stderr)
        with console.status("Building the demo organization…") as status:
            if reset:
                status.update("Removing the people and teams already there…")
                from productops.demo.backlog import clear_backlog_demo
                from productops.demo.coaching import clear_coaching_demo
                from productops.demo.competencies import clear_competency_demo
                from productops.demo.discovery import clear_discovery_demo
                from productops.demo.strategy import clear_strategy_demo

                clear_strategy_demo()
                clear_discovery_demo()
                clear_backlog_demo()
                clear_coaching_demo()
                clear_competency_demo()
                do_clear_org()
            return build_demo_org(people, seed, progress=status.update)

    def _build_capabilities(self, demo: DemoOrg | None, seed: int) -> list[str]:
        """Each capability's demo data on top of the demo org, once; returns its story lines."""
        if demo is None:
            return []
        from productops.demo.competencies import build_competency_demo, has_competency_demo

        stories: list[str] = []
        console = Console(file=sys.stderr)
        if not has_competency_demo():
            with console.status("Adding competency models, ladders and review cycles…"):
                stories += build_competency_demo(demo, seed).stories
        return stories

    def _build_coaching(self, demo: DemoOrg | None, seed: int) -> list[str]:
        if demo is None:
            return []
        from productops.demo.backlog import build_backlog_demo, has_backlog_demo
        from productops.demo.coaching import build_coaching_demo, has_coaching_demo
        from productops.demo.discovery import build_discovery_demo, has_discovery_demo
        from productops.demo.strategy import build_strategy_demo, has_strategy_demo

        stories: list[str] = []
        console = Console(file=sys.stderr)
        if not has_coaching_demo():
            with console.status("Adding coaching plans, 1:1s and communities…"):
                stories += build_coaching_demo(demo, seed).stories
        if not has_backlog_demo():
            with console.status("Importing a generated tracker export for the demo teams…"):
                stories += build_backlog_demo(demo, seed).stories
        if not has_discovery_demo():
            with console.status("Adding a quarter of customer touchpoints and opportunity trees…"):
                stories += build_discovery_demo(demo, seed).stories
        if not has_strategy_demo():
            with console.status("Adding objectives, the CEO/CPO check and the delegation board…"):
                stories += build_strategy_demo(demo, seed).stories
        return stories

    def _create_logins(self, demo: DemoOrg | None, password: str | None) -> list[DemoLogin]:
        def person(pk: int | None) -> Person | None:
            return Person.objects.filter(pk=pk).first() if pk is not None else None

        wanted = [
            ("admin", Role.ADMIN, person(demo.head_of_product_id if demo else None)),
            ("manager", Role.MANAGER, person(demo.group_pm_id if demo else None)),
            ("member", Role.MEMBER, person(demo.member_pm_id if demo else None)),
            ("viewer", Role.VIEWER, None),
            # the CEO ranks priorities in the CEO/CPO check: a manager who sees aggregates
            ("ceo", Role.MANAGER, person(demo.ceo_id if demo else None)),
        ]
        logins = []
        for username, role, linked in wanted:
            secret = password or secrets.token_urlsafe(12)
            email = linked.email if linked else f"{username}@{EMAIL_DOMAIN}"
            do_create_login(username, secret, role, person=linked, email=email)
            logins.append(DemoLogin(username, secret, role, linked))
        return logins

    def _print_summary(self, demo: DemoOrg | None, logins: list[DemoLogin], url: str) -> None:
        write = self.stdout.write
        write("")
        if demo is not None:
            write(
                self.style.SUCCESS(
                    f"Demo organization: {demo.people} people ({demo.active_people} active), "
                    f"{demo.product_teams} product teams in {demo.groups} groups."
                )
            )
        write(f"Open {url} and sign in with:")
        width = max(len(login.password) for login in logins)
        for login in logins:
            who = f" — {login.person.name}, {login.person.title}" if login.person else ""
            write(f"  {login.username:<8} {login.password:<{width}}  {login.role.label}{who}")
        if demo is not None:
            for problem in demo.planted_problems():
                write(f"Planted for the org audit: {problem}")
