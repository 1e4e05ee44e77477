"""The login a backlog command writes as: `--as USERNAME`, an admin or manager.

The reporter and label actions authorize a user, as the page and the API do, and record
them as the author. A command names the login it acts for, and that login must pass the
same predicate as the button on the page (`visibility.can_assign_reporters`,
`visibility.can_map_labels`). Not a command: Django skips modules starting with "_".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from productops.accounts.roles import Login, role_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User

AS_HELP = (
    "The login to act as (an admin or a manager); the change is recorded as theirs and a "
    "manager assigns only the people they can see. Required to assign, clear, map or unmap."
)


def add_as_option(parser: CommandParser) -> None:
    parser.add_argument("--as", dest="as_login", metavar="USERNAME", help=AS_HELP)


def acting_login(username: str | None, *, doing: str, allowed: Callable[[Login], bool]) -> User:
    """The active login `username` names when it may do this, else a CommandError that
    says which login to name. `doing` completes "only an admin or a manager may ..."."""
    from django.contrib.auth.models import User

    if not username:
        raise CommandError(
            f"Say who does this with --as USERNAME: only an admin or a manager may {doing}. "
            "Create a login with `productops create-login USERNAME --role admin` if you "
            "have none."
        )
    user = User.objects.filter(username=username).first()
    if user is None or not user.is_active:
        state = "is not active" if user is not None else "does not exist"
        raise CommandError(
            f"The login '{username}' {state}: name an admin or manager login with --as, or "
            "create one with `productops create-login USERNAME --role admin`."
        )
    if not allowed(user):
        role = role_of(user)
        raise CommandError(
            f"'{username}' is a {role.value if role else 'viewer'} login: only an admin or a "
            f"manager may {doing}. Name an admin or manager login with --as."
        )
    return user


def problem_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def changes_text(what: str, before: dict[int, str], after: dict[int, str], names: dict) -> str:
    """'origin changed on 3 (unknown → sales: 3)' or 'origin unchanged', from the values
    of one dimension before and after, item by item."""
    moves: dict[tuple[str, str], int] = {}
    for pk, was in before.items():
        now = after.get(pk, was)
        if now != was:
            moves[(was, now)] = moves.get((was, now), 0) + 1
    if not moves:
        return f"{what} unchanged"
    changed = sum(moves.values())
    shown = ", ".join(
        f"{names.get(was, was)} → {names.get(now, now)}: {n}"
        for (was, now), n in sorted(moves.items(), key=lambda move: -move[1])
    )
    return f"{what} changed on {changed} ({shown})"


def plural(n: int, word: str = "item") -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def listed(values: Iterable[str]) -> str:
    return ", ".join(values)
