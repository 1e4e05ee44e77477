"""`productops create-login USERNAME --role ROLE [--person EMAIL]`: a login for someone."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.org.models import Person


class Command(BaseCommand):
    help = (
        "Create a login (or reset its password and role), optionally linked to a person. "
        "Prints the password when one is generated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=[role.value for role in Role], required=True)
        parser.add_argument("--person", metavar="EMAIL", help="link the login to this person")
        parser.add_argument(
            "--password",
            help=(
                "the password to set: at least 12 characters, not a common one, not only "
                "digits, not like the username or the person's name; a random one is "
                "generated if omitted"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        person = None
        if options["person"]:
            email = options["person"].strip().lower()
            person = Person.objects.filter(email=email).first()
            if person is None:
                raise CommandError(
                    f"No person with email {email}. Import people first "
                    "(productops import-people FILE.csv), or leave out --person."
                )
        role = Role(options["role"])
        if role is Role.MANAGER and person is None:
            raise CommandError(
                "A manager login needs --person: a manager sees the reporting chain of the "
                "person their login is linked to."
            )
        password = options["password"] or secrets.token_urlsafe(12)
        try:
            do_create_login(options["username"], password, role, person=person)
        except ValidationError as error:
            reasons = " ".join(error.messages)
            raise CommandError(
                f"That password is not accepted. {reasons} Choose another with --password, "
                "or leave --password out to have a random one generated."
            ) from None
        linked = f", linked to {person.name}" if person else ""
        self.stdout.write(f"Login {options['username']} ({role.label}){linked}.")
        if not options["password"]:
            self.stdout.write(f"Password: {password}")
