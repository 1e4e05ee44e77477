"""Every write in the strategy app: `check_*` validates and authorizes, `do_*` writes.

Sections: objectives and alignment; priority checks; delegation board. Add to your
section only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from productops.accounts.roles import Login
from productops.backlog.models import Item
from productops.org.models import Person, Team
from productops.strategy import priority_check, visibility
from productops.strategy.delegation import SUGGESTED_AREAS
from productops.strategy.models import (
    DELEGATION_LEVELS,
    AlignmentRule,
    DecisionArea,
    Delegation,
    Difficulty,
    Objective,
    ObjectiveLevel,
    ObjectiveLink,
    Priority,
    PriorityCheck,
    RankEntry,
    Ranking,
)

# ---------------------------------------------------------------------------------------
# Objectives and alignment
# ---------------------------------------------------------------------------------------

OBJECTIVES_REFUSED = (
    "Only admins and managers write objectives and map work to them. "
    "Ask one of them to make this change."
)


def check_manage_objectives(user: Login) -> None:
    if not visibility.can_manage_objectives(user):
        raise PermissionDenied(OBJECTIVES_REFUSED)


def check_objective(
    user: Login,
    objective: Objective | None,
    *,
    level: str,
    title: str,
    period_start: dt.date | None,
    period_end: dt.date | None,
    parent: Objective | None,
) -> None:
    check_manage_objectives(user)
    problems: dict[str, str] = {}
    if level not in ObjectiveLevel.values:
        problems["level"] = f"Choose the level: {' or '.join(ObjectiveLevel.values)}."
    if not title.strip():
        problems["title"] = "Give the objective a title, e.g. “Grow repeat purchases”."
    if period_start is None:
        problems["period_start"] = "Give the first day of the objective's period."
    if period_end is None:
        problems["period_end"] = "Give the last day of the objective's period."
    elif period_start is not None and period_end < period_start:
        problems["period_end"] = (
            f"The period ends on {period_end}, before it starts on {period_start}: "
            "pick an end on or after the start."
        )
    if parent is not None:
        if level == ObjectiveLevel.COMPANY:
            problems["parent"] = (
                "A company objective serves no other objective: leave it empty, "
                "or make this a product objective."
            )
        elif parent.level != ObjectiveLevel.COMPANY:
            problems["parent"] = (
                f"“{parent.title}” is a product objective: a product objective serves a "
                "company objective."
            )
        elif objective is not None and parent.pk == objective.pk:
            problems["parent"] = "An objective cannot serve itself."
    if problems:
        raise ValidationError(problems)


@transaction.atomic
def do_save_objective(
    user: Login,
    objective: Objective | None,
    *,
    level: str,
    title: str,
    description: str = "",
    period_start: dt.date | None,
    period_end: dt.date | None,
    owner: Person | None = None,
    parent: Objective | None = None,
) -> Objective:
    """Create an objective (when `objective` is None) or change one."""
    check_objective(
        user,
        objective,
        level=level,
        title=title,
        period_start=period_start,
        period_end=period_end,
        parent=parent,
    )
    assert period_start is not None and period_end is not None  # check_objective asks for both
    objective = objective or Objective()
    objective.level = level
    objective.title = title.strip()
    objective.description = description.strip()
    objective.period_start = period_start
    objective.period_end = period_end
    objective.owner = owner
    objective.parent = parent if level == ObjectiveLevel.PRODUCT else None
    objective.save()
    if level == ObjectiveLevel.PRODUCT:
        # a company objective turned product objective no longer has anything beneath it
        Objective.objects.filter(parent=objective).update(parent=None)
    return objective


@transaction.atomic
def do_delete_objective(user: Login, objective: Objective) -> None:
    """Delete an objective with its links and rules; product objectives beneath it stay,
    no longer tied to a company objective."""
    check_manage_objectives(user)
    objective.delete()


def split_keys(text: str | list[str]) -> list[str]:
    """Item keys from a text ("SHOP-12, SHOP-14 SHOP-20") or a list, in order, once each."""
    parts = text if isinstance(text, list) else text.replace(",", " ").split()
    keys: list[str] = []
    for part in parts:
        key = str(part).strip()
        if key and key not in keys:
            keys.append(key)
    return keys


def check_link_items(user: Login, objective: Objective, keys: list[str]) -> list[Item]:
    """The items with these keys (every source that has one), or a sentence naming the
    keys no item has."""
    check_manage_objectives(user)
    if not keys:
        raise ValidationError("Give the key of at least one backlog item or epic, e.g. SHOP-12.")
    items = list(Item.objects.filter(key__in=keys).order_by("source", "key"))
    known = {item.key for item in items}
    unknown = [key for key in keys if key not in known]
    if unknown:
        names = ", ".join(unknown)
        raise ValidationError(
            f"No backlog item has the key{'s' if len(unknown) > 1 else ''} {names}: "
            "check the spelling (keys are case-sensitive), or import the tracker first. "
            "Nothing was mapped."
        )
    return items


@transaction.atomic
def do_link_items(user: Login, objective: Objective, keys: str | list[str]) -> list[ObjectiveLink]:
    """Map items (or epics, with their children) to an objective by hand; all or nothing.
    A key already mapped stays as it was."""
    items = check_link_items(user, objective, split_keys(keys))
    taken = set(objective.links.values_list("item_id", flat=True))
    links = [
        ObjectiveLink(objective=objective, item=item, by=user if user.is_authenticated else None)
        for item in items
        if item.pk not in taken
    ]
    return ObjectiveLink.objects.bulk_create(links)


@transaction.atomic
def do_unlink_item(user: Login, link: ObjectiveLink) -> None:
    check_manage_objectives(user)
    link.delete()


def check_rule(user: Login, objective: Objective, *, kind: str, value: str) -> None:
    check_manage_objectives(user)
    if kind not in AlignmentRule.Kind.values:
        raise ValidationError(
            f"“{kind}” is not a kind of rule: use {' or '.join(AlignmentRule.Kind.values)}."
        )
    what = "label" if kind == AlignmentRule.Kind.LABEL else "epic's key"
    if not value.strip():
        raise ValidationError(f"Give the {what} the rule maps to “{objective.title}”.")
    if len(value.strip()) > 200:
        raise ValidationError(f"The {what} is longer than 200 characters: shorten it.")
    if AlignmentRule.objects.filter(objective=objective, kind=kind, value=value.strip()).exists():
        raise ValidationError(
            f"“{objective.title}” already has a rule for the {what} {value.strip()}."
        )


@transaction.atomic
def do_add_rule(user: Login, objective: Objective, *, kind: str, value: str) -> AlignmentRule:
    """Every item with this label, or under this epic (and the epic itself), traces to
    the objective."""
    check_rule(user, objective, kind=kind, value=value)
    return AlignmentRule.objects.create(objective=objective, kind=kind, value=value.strip())


@transaction.atomic
def do_remove_rule(user: Login, rule: AlignmentRule) -> None:
    check_manage_objectives(user)
    rule.delete()


# ---------------------------------------------------------------------------------------
# Priority checks (the CEO/CPO check)
# ---------------------------------------------------------------------------------------

CHECK_REFUSED = "Only admins and managers start a priority check. Ask one of them to start it."
MIN_PRIORITIES = 3
MAX_PRIORITIES = 30
PRIORITY_TITLE_LIMIT = 200
COMPARE_WITH_LATEST = "latest"  # `previous=`: the most recent earlier check that overlaps


def split_priorities(text: str | list[str]) -> list[str]:
    """Priorities from a text (one a line) or a list: spacing tidied, blank lines dropped."""
    lines = text if isinstance(text, list) else str(text).splitlines()
    return [" ".join(str(line).split()) for line in lines if str(line).strip()]


def _quoted(titles: list[str]) -> str:
    return ", ".join(f"“{title}”" for title in titles)


def _priority_problem(priorities: list[str]) -> str | None:
    if len(priorities) < MIN_PRIORITIES:
        return (
            f"List at least {MIN_PRIORITIES} priorities, one a line "
            f"(there {'is' if len(priorities) == 1 else 'are'} {len(priorities)})."
        )
    if len(priorities) > MAX_PRIORITIES:
        return (
            f"List at most {MAX_PRIORITIES} priorities (there are {len(priorities)}): "
            "keep the ones leadership must choose between."
        )
    seen: dict[str, str] = {}
    twice: list[str] = []
    for title in priorities:
        key = priority_check.title_key(title)
        if key in seen and seen[key] not in twice:
            twice.append(seen[key])
        seen.setdefault(key, title)
    if twice:
        return f"Each priority once: {_quoted(twice)} appear{'s' if len(twice) == 1 else ''} twice."
    too_long = [title for title in priorities if len(title) > PRIORITY_TITLE_LIMIT]
    if too_long:
        return (
            f"Keep each priority under {PRIORITY_TITLE_LIMIT} characters: "
            f"shorten “{too_long[0][:40]}…”."
        )
    return None


def check_create_check(
    user: Login, *, title: str, priorities: list[str], participants: list[Any]
) -> None:
    if not visibility.can_create_check(user):
        raise PermissionDenied(CHECK_REFUSED)
    problems: dict[str, str] = {}
    if not title.strip():
        problems["title"] = "Give the check a title, e.g. “Q3 priorities”."
    elif len(title.strip()) > 200:
        problems["title"] = "Keep the title under 200 characters."
    problem = _priority_problem(priorities)
    if problem:
        problems["priorities"] = problem
    people = {person.pk: person for person in participants}
    if len(people) < 2:
        problems["participants"] = (
            "Choose at least two people to rank the priorities, e.g. the CEO and the head "
            "of product."
        )
    else:
        inactive = [p.get_username() for p in people.values() if not p.is_active]
        if inactive:
            problems["participants"] = (
                f"{', '.join(inactive)} cannot log in (the login is inactive): choose "
                "someone who can."
            )
    if problems:
        raise ValidationError(problems)


def latest_overlapping_check(priorities: list[str]) -> PriorityCheck | None:
    """The most recent check that shares at least one priority (by title) with these."""
    wanted = {priority_check.title_key(title) for title in priorities}
    rows = Priority.objects.order_by(
        "-priority_check__created_at", "-priority_check_id"
    ).values_list("priority_check_id", "title")
    for check_id, title in rows.iterator():
        if priority_check.title_key(title) in wanted:
            return PriorityCheck.objects.get(pk=check_id)
    return None


@transaction.atomic
def do_create_check(
    user: Login,
    *,
    title: str,
    priorities: str | list[str],
    participants: list[Any],
    previous: PriorityCheck | str | None = COMPARE_WITH_LATEST,
) -> PriorityCheck:
    """Start a check. `previous`: the check to compare with; by default the most recent
    earlier one whose priorities overlap; None compares with nothing."""
    titles = split_priorities(priorities)
    check_create_check(user, title=title, priorities=titles, participants=participants)
    assert user.is_authenticated  # check_create_check refuses a visitor without a role
    if previous == COMPARE_WITH_LATEST:
        previous = latest_overlapping_check(titles)
    check = PriorityCheck.objects.create(
        title=title.strip(),
        created_by=user,
        previous=previous if isinstance(previous, PriorityCheck) else None,
    )
    Priority.objects.bulk_create(
        Priority(priority_check=check, title=name, position=place)
        for place, name in enumerate(titles, start=1)
    )
    check.participants.set(participants)
    return check


def _whole_rank(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    digits = text.removeprefix("-")
    # only 0-9: str.isdigit() also accepts "²", which int() refuses
    if digits and len(digits) <= 6 and digits.isascii() and digits.isdigit():
        return int(text)
    return None


def check_submit_ranking(
    user: Login, check: PriorityCheck, ranks: Mapping[Any, Any]
) -> dict[int, int]:
    """The ranks (priority id -> 1..N, ties allowed) once every priority has one; or a
    sentence per problem, keyed by the priority's id."""
    if not user.is_authenticated or not visibility.is_participant(user, check):
        raise PermissionDenied(
            f"Only the people taking part in “{check.title}” rank its priorities."
        )
    mine = Ranking.objects.filter(priority_check=check, author=user).first()
    if mine is not None:
        raise ValidationError(
            f"You ranked these priorities on {mine.submitted_at:%Y-%m-%d}; a ranking is final "
            "and cannot be changed."
        )
    if check.closed:
        raise ValidationError(f"“{check.title}” is closed: it takes no more rankings.")
    priorities = list(check.priorities.all())
    known = {str(priority.pk) for priority in priorities}
    unknown = sorted(str(key) for key in ranks if str(key) not in known)
    if unknown:
        raise ValidationError(
            f"{', '.join(unknown)} {'is not a priority' if len(unknown) == 1 else 'are not priorities'}"
            f" of “{check.title}”: rank only its own priorities."
        )
    given = {str(key): value for key, value in ranks.items()}
    total = len(priorities)
    problems: dict[str, str] = {}
    clean: dict[int, int] = {}
    for priority in priorities:
        raw = given.get(str(priority.pk))
        rank = _whole_rank(raw)
        if raw is None or str(raw).strip() == "":
            problems[str(priority.pk)] = f"Give “{priority.title}” a rank from 1 to {total}."
        elif rank is None or not 1 <= rank <= total:
            problems[str(priority.pk)] = (
                f"“{priority.title}” has the rank {str(raw).strip()[:12]}: ranks are whole "
                f"numbers from 1 (most important) to {total}."
            )
        else:
            clean[priority.pk] = rank
    if problems:
        raise ValidationError(problems)
    return clean


def do_submit_ranking(user: Login, check: PriorityCheck, ranks: Mapping[Any, Any]) -> Ranking:
    """Record one participant's ranking, once: it is final."""
    with transaction.atomic():
        clean = check_submit_ranking(user, check, ranks)
        assert user.is_authenticated  # check_submit_ranking refuses who does not take part
        try:
            with transaction.atomic():
                ranking = Ranking.objects.create(priority_check=check, author=user)
        except IntegrityError:
            raise ValidationError(
                "You already ranked these priorities; a ranking is final and cannot be changed."
            ) from None
        RankEntry.objects.bulk_create(
            RankEntry(ranking=ranking, priority_id=priority_id, rank=rank)
            for priority_id, rank in clean.items()
        )
    return ranking


def check_close_check(user: Login, check: PriorityCheck) -> None:
    if not visibility.can_close_check(user, check):
        raise PermissionDenied(
            f"Only the person who started “{check.title}”, or an admin, closes it."
        )
    if check.closed:
        raise ValidationError(f"“{check.title}” is already closed.")


@transaction.atomic
def do_close_check(user: Login, check: PriorityCheck) -> PriorityCheck:
    """Close a check: it takes no more rankings; the results stay as they are."""
    check_close_check(user, check)
    check.closed = True
    check.save(update_fields=["closed"])
    return check


# ---------------------------------------------------------------------------------------
# Delegation board
# ---------------------------------------------------------------------------------------

DELEGATION_REFUSED = (
    "Only admins and managers set delegation levels. Ask one of them to make this change."
)
AREAS_REFUSED = (
    "Only admins add, change and remove decision areas. Ask an admin to make this change."
)
AREA_NAME_MAX = 200


def _level_number(level: Any) -> int | None:
    """A whole number given as an int, a whole float or digits in a text; else None."""
    if isinstance(level, bool):
        return None
    if isinstance(level, int):
        return level
    if isinstance(level, float):
        return int(level) if level.is_integer() else None
    text = str(level).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def check_set_delegation(user: Login, team: Team, area: DecisionArea, level: Any) -> int:
    """The level as a whole number from 1 to 7; refuses other roles and other values."""
    if not visibility.can_set_delegation(user):
        raise PermissionDenied(DELEGATION_REFUSED)
    number = _level_number(level)
    if number not in DELEGATION_LEVELS:
        raise ValidationError(
            {
                "level": f"“{level}” is not a delegation level: choose a whole number from "
                f"{min(DELEGATION_LEVELS)} (Tell) to {max(DELEGATION_LEVELS)} (Delegate)."
            }
        )
    return number


@transaction.atomic
def do_set_delegation(
    user: Login, team: Team, area: DecisionArea, level: Any, note: str | None = None
) -> Delegation:
    """Set (or change) how far the team decides in the area. `note` None keeps the note."""
    number = check_set_delegation(user, team, area, level)
    defaults: dict[str, Any] = {"level": number, "updated_by": user, "updated_at": timezone.now()}
    if note is not None:
        defaults["note"] = note.strip()
    delegation, _ = Delegation.objects.update_or_create(team=team, area=area, defaults=defaults)
    return delegation


@transaction.atomic
def do_clear_delegation(user: Login, team: Team, area: DecisionArea) -> None:
    """Back to "not set": the board then shows only the recommendation."""
    if not visibility.can_set_delegation(user):
        raise PermissionDenied(DELEGATION_REFUSED)
    Delegation.objects.filter(team=team, area=area).delete()


def check_save_area(
    user: Login, area: DecisionArea | None, *, name: str, description: str, difficulty: str
) -> dict[str, str]:
    """The cleaned fields; refuses non-admins, empty or taken names, unknown difficulties."""
    if not visibility.can_manage_areas(user):
        raise PermissionDenied(AREAS_REFUSED)
    errors = {}
    clean_name = " ".join((name or "").split())
    if not clean_name:
        errors["name"] = "Give the decision area a name, such as “Pricing”."
    elif len(clean_name) > AREA_NAME_MAX:
        errors["name"] = (
            f"Keep the name to {AREA_NAME_MAX} characters; put details in the description."
        )
    else:
        taken = DecisionArea.objects.filter(name__iexact=clean_name)
        if area is not None:
            taken = taken.exclude(pk=area.pk)
        if taken.exists():
            errors["name"] = (
                f"There is already a decision area called “{clean_name}”: pick another name or change that one."
            )
    if difficulty not in Difficulty.values:
        errors["difficulty"] = (
            f"“{difficulty}” is not a difficulty: use one of {', '.join(Difficulty.values)}."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "name": clean_name,
        "description": (description or "").strip(),
        "difficulty": difficulty,
    }


@transaction.atomic
def do_save_area(
    user: Login,
    area: DecisionArea | None,
    *,
    name: str,
    description: str = "",
    difficulty: str = Difficulty.MEDIUM,
) -> DecisionArea:
    """Add a decision area (`area` None) or change one."""
    fields = check_save_area(
        user, area, name=name, description=description, difficulty=str(difficulty)
    )
    if area is None:
        return DecisionArea.objects.create(**fields)
    for key, value in fields.items():
        setattr(area, key, value)
    area.save()
    return area


@transaction.atomic
def do_delete_area(user: Login, area: DecisionArea) -> int:
    """Remove an area with every team's level in it; returns how many levels went with it."""
    if not visibility.can_manage_areas(user):
        raise PermissionDenied(AREAS_REFUSED)
    levels = area.delegations.count()
    area.delete()
    return levels


@transaction.atomic
def do_add_suggested_areas(user: Login) -> list[DecisionArea]:
    """Add the suggested decision areas the board does not have yet (by name, any case)."""
    if not visibility.can_manage_areas(user):
        raise PermissionDenied(AREAS_REFUSED)
    have = {name.casefold() for name in DecisionArea.objects.values_list("name", flat=True)}
    added = [
        DecisionArea(name=name, description=description, difficulty=difficulty)
        for name, description, difficulty in SUGGESTED_AREAS
        if name.casefold() not in have
    ]
    DecisionArea.objects.bulk_create(added)
    return list(
        DecisionArea.objects.filter(name__in=[area.name for area in added]).order_by("name")
    )
