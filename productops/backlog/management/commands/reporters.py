"""`reporters`: who files the backlog, with their count and share, matched to a person or not,
and saying who a reporter is.

    productops reporters [--json] [--unmatched] [--source jira]
    productops reporters --assign REPORTER (--person EMAIL | --discipline DISCIPLINE)
                         [--source jira] --as USERNAME
    productops reporters --clear REPORTER [--source jira] --as USERNAME

The rows come from `reporters.reporters()`, the same call the page and the API make.
`--assign` and `--clear` call `actions.do_assign_reporter` and
`do_clear_reporter_assignment`, as the page (/backlog/reporters/) and the API
(`POST /api/backlog/reporters/assignments`) do: everything the reporter filed is
reclassified. REPORTER is a key from the list (`email:…`, `account:…`, `name:…`), or the
reporter's email or name when only one reporter has it. The actions authorize a user, so
a write names the admin or manager login it acts as with `--as`.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.backlog import actions
from productops.backlog import reporters as reporters_domain
from productops.backlog.classification import LABEL_NAMES
from productops.backlog.management.commands._acting import (
    acting_login,
    add_as_option,
    changes_text,
    listed,
    plural,
    problem_text,
)
from productops.backlog.models import Item, ReporterAssignment, Source
from productops.backlog.visibility import can_assign_reporters
from productops.org.models import Discipline, Person
from productops.org.visibility import visible_people

DISCIPLINES = listed(Discipline.values)
LIST_HINT = "Run `productops reporters` to see each reporter's key."


class Command(BaseCommand):
    help = (
        "List the reporters of the imported tracker items: how many items each filed, "
        "their share, and whether the import matched them to a person of the org. With "
        "--assign or --clear, say who a reporter is (or forget it): everything they filed "
        "is reclassified."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the list as JSON.")
        parser.add_argument(
            "--unmatched", action="store_true", help="Only the reporters nobody matched."
        )
        parser.add_argument("--source", choices=Source.values, help="Only this tracker.")
        write = parser.add_mutually_exclusive_group()
        write.add_argument(
            "--assign",
            metavar="REPORTER",
            help="Say who this reporter is (a key from the list, or their email or name); "
            "with --person or --discipline.",
        )
        write.add_argument(
            "--clear",
            metavar="REPORTER",
            help="Forget who this reporter was said to be: their items go back to what the "
            "import matched.",
        )
        who = parser.add_mutually_exclusive_group()
        who.add_argument(
            "--person", metavar="EMAIL", help="With --assign: the person of the org they are."
        )
        who.add_argument(
            "--discipline",
            metavar="DISCIPLINE",
            help=f"With --assign: only their discipline ({DISCIPLINES}).",
        )
        add_as_option(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["assign"] or options["clear"]:
            if options["json"] or options["unmatched"]:
                raise CommandError(
                    "--json and --unmatched are for the list: leave them out with "
                    "--assign or --clear."
                )
            self.write_assignment(options)
            return
        if options["person"] or options["discipline"]:
            raise CommandError(
                "--person and --discipline say who a reporter is: add --assign REPORTER. "
                + LIST_HINT
            )
        self.list_reporters(options)

    # -- the list ------------------------------------------------------------------------

    def list_reporters(self, options: dict[str, Any]) -> None:
        found = reporters_domain.reporters(options["source"])
        rows = [
            row
            for row in found.rows
            if not options["unmatched"] or row.status == reporters_domain.UNMATCHED
        ]
        if options["json"]:
            data = {"summary": found.summary.as_dict(), "reporters": [r.as_dict() for r in rows]}
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        summary = found.summary
        if not summary.items:
            raise CommandError(
                "No tracker items yet: import an export with `productops import-tracker` first."
            )
        self.stdout.write(
            f"{summary.items} items from {summary.reporters} reporters: {summary.matched} "
            f"matched to a person, {summary.assigned} assigned, {summary.unmatched} not matched "
            f"({round(100 * summary.share(summary.items_unmatched))}% of the items)."
        )
        width = max([len(row.name) for row in rows] + [8])
        for row in rows:
            who = row.name if row.key else "(no reporter)"
            to = row.person_name or reporters_domain.discipline_label(row.discipline) or "—"
            key = f"  key {row.key}" if row.key else ""
            self.stdout.write(
                f"{who:<{width}}  {row.source:<7} {row.items:>6}  {100 * row.share:5.1f}%  "
                f"{reporters_domain.STATUS_TEXT[row.status]}: {to}{key}"
            )
        if summary.unmatched:
            self.stdout.write(
                "Assign the reporters not matched to a person or a discipline on the "
                "reporters page (/backlog/reporters/), or with `productops reporters --assign "
                "KEY --discipline DISCIPLINE --as USERNAME`: their items are reclassified."
            )

    # -- assigning -----------------------------------------------------------------------

    def write_assignment(self, options: dict[str, Any]) -> None:
        assigning = bool(options["assign"])
        typed = options["assign"] or options["clear"]
        if assigning and not (options["person"] or options["discipline"]):
            raise CommandError(
                f"Say who '{typed}' is: add --person EMAIL (a person of the org) or "
                f"--discipline DISCIPLINE (one of {DISCIPLINES})."
            )
        if not assigning and (options["person"] or options["discipline"]):
            raise CommandError(
                "--clear forgets the assignment: leave out --person and --discipline."
            )
        user = acting_login(
            options["as_login"],
            doing="assign reporters" if assigning else "clear a reporter's assignment",
            allowed=can_assign_reporters,
        )
        source, key, name = find_reporter(typed, options["source"], clearing=not assigning)
        ids = reporters_domain.item_ids_of(source, key)
        before = origins(ids)
        shown = f"'{name}' ({source}, {plural(len(ids))})"
        try:
            if assigning:
                person = None
                if options["person"]:
                    person = find_person(user, options["person"])
                    to = f"{person.name} <{person.email}>"
                    if person.discipline:
                        to += f" ({reporters_domain.discipline_label(person.discipline)})"
                    discipline = ""
                else:
                    discipline = find_discipline(options["discipline"])
                    to = reporters_domain.discipline_label(discipline)
                actions.do_assign_reporter(
                    user, source=source, key=key, person=person, discipline=discipline, name=name
                )
                said = f"Assigned {shown} to {to}"
            else:
                assignment = ReporterAssignment.objects.filter(
                    source=source, reporter_key=key
                ).first()
                if assignment is None:
                    self.stdout.write(
                        f"'{name}' ({source}) has no assignment to clear: nothing changed. "
                        "Run `productops reporters` to see who is assigned."
                    )
                    return
                was = (
                    assignment.person.name
                    if assignment.person
                    else reporters_domain.discipline_label(assignment.discipline)
                )
                actions.do_clear_reporter_assignment(user, source=source, key=key)
                said = f"Cleared the assignment of {shown} to {was}"
        except ValidationError as problem:
            raise CommandError(problem_text(problem)) from None
        except PermissionDenied as problem:
            raise CommandError(str(problem)) from None
        change = changes_text("origin", before, origins(ids), LABEL_NAMES)
        self.stdout.write(f"{said}; {plural(len(ids))} reclassified, {change}.")


def origins(ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(ids), reporters_domain.CHUNK):
        chunk = ids[start : start + reporters_domain.CHUNK]
        found.update(Item.objects.filter(pk__in=chunk).values_list("pk", "origin"))
    return found


def find_reporter(typed: str, source: str | None, *, clearing: bool) -> tuple[str, str, str]:
    """(source, key, name) of the one reporter `typed` names: their key, email or name."""
    wanted = " ".join(typed.split())
    rows = [row for row in reporters_domain.reporters(source).rows if row.key]
    matches = [row for row in rows if row.key == wanted]
    if not matches:
        folded = wanted.casefold()
        matches = [
            row
            for row in rows
            if folded
            in (row.key.partition(":")[2].casefold(), row.email.casefold(), row.name.casefold())
        ]
    if not matches and clearing:
        # an assignment outlives its reporter's items (deleted, or not imported again)
        kept = ReporterAssignment.objects.filter(reporter_key=wanted)
        if source:
            kept = kept.filter(source=source)
        found = list(kept.values_list("source", "reporter_key", "reporter_name"))
        if len(found) == 1:
            src, key, name = found[0]
            return src, key, name or key
    if not matches:
        where = f" from {source}" if source else ""
        if not rows:
            raise CommandError(
                f"No imported item{where} has a reporter: import an export with "
                "`productops import-tracker` first."
            )
        raise CommandError(f"No reporter '{typed}' among the imported items{where}. {LIST_HINT}")
    if len(matches) > 1:
        names = "; ".join(f"{row.name} ({row.source}) key {row.key}" for row in matches)
        raise CommandError(
            f"'{typed}' names {len(matches)} reporters: {names}. Give the key, and --source "
            "when two trackers have the same key."
        )
    row = matches[0]
    return row.source, row.key, row.name or row.key


def find_person(user: Any, typed: str) -> Person:
    """The person with this email among those `user` may see (an unseen one is not named)."""
    email = typed.strip()
    if "<" in email and email.endswith(">"):  # "Name <email>", as the page offers them
        email = email.rsplit("<", 1)[1][:-1].strip()
    person = visible_people(user).filter(email__iexact=email).first()
    if person is None:
        raise CommandError(
            f"No person with the email '{email}' among the people {user.username} can see: "
            "check the address, import the people with `productops import-people FILE.csv`, "
            f"or assign a discipline with --discipline (one of {DISCIPLINES})."
        )
    return person


def find_discipline(typed: str) -> str:
    """A discipline by its value or its name, in any case ('design', 'Design')."""
    folded = typed.strip().casefold()
    for value, label in Discipline.choices:
        if folded in (value, str(label).casefold()):
            return str(value)
    raise CommandError(f"'{typed}' is not a discipline: use one of {DISCIPLINES}.")
