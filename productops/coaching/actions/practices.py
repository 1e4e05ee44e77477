"""The practice library: loading the built-in practices, saving and retiring practices."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from productops.accounts.roles import Login
from productops.coaching import practices, visibility
from productops.coaching.models import (
    Effort,
    Practice,
)

PRACTICE_EDIT_REFUSED = (
    "Only an admin can change the practice library. Suggest a practice to your head of "
    "product, or write your own on a goal of your coaching plan."
)


def do_load_builtin_practices() -> int:
    """Add the shipped practices productops does not have yet; returns how many it added.

    A shipped practice is recognized by its competency key and its shipped title (kept
    when an admin renames it), or by a practice of that key with the same title. Loading
    again therefore writes nothing, and a practice an admin edited, renamed or
    deactivated stays as they left it; a newer release adds only its new practices. Two
    queries whatever the size of the library. Raises `practices.InvalidLibrary`.
    """
    library = practices.builtin_library()
    have: set[tuple[str, str]] = set()
    for key, title, shipped in Practice.objects.values_list(
        "competency_key", "title", "shipped_title"
    ):
        have.add((key, practices.title_identity(title)))
        if shipped:
            have.add((key, practices.title_identity(shipped)))
    missing = [
        Practice(
            competency_key=entry.competency_key,
            title=entry.title,
            description=entry.description,
            kind=entry.kind,
            effort=entry.effort,
            built_in=True,
            shipped_title=entry.title,
        )
        for entry in library
        if (entry.competency_key, practices.title_identity(entry.title)) not in have
    ]
    # A second loader racing this one adds the same rows: the unique title wins, quietly.
    Practice.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def check_save_practice(
    user: Login,
    practice: Practice | None,
    *,
    competency_key: str | None = None,
    title: str | None = None,
    description: str | None = None,
    kind: str | None = None,
    effort: str | None = None,
) -> dict[str, str]:
    """Authorize and validate a new practice or a change; returns the cleaned fields.

    A field left out keeps its current value (a new practice: no description, medium
    effort). Raises PermissionDenied, or ValidationError with a sentence per field.
    """
    if not visibility.can_edit_practices(user):
        raise PermissionDenied(PRACTICE_EDIT_REFUSED)

    def given(value: str | None, current: str) -> str:
        return current if value is None else " ".join(str(value).split())

    fields = {
        "competency_key": given(competency_key, practice.competency_key if practice else ""),
        "title": given(title, practice.title if practice else ""),
        "description": (
            str(description).strip()
            if description is not None
            else (practice.description if practice else "")
        ),
        "kind": given(kind, practice.kind if practice else ""),
        "effort": given(effort, practice.effort if practice else Effort.MEDIUM),
    }
    known = practices.known_competency_keys(practices.competency_catalog())
    if practice is not None:
        known.add(practice.competency_key)  # a key whose model was since replaced stays valid
    problems = practices.practice_problems(known_keys=known, **fields)
    if (
        practice is not None
        and practice.built_in
        and fields["competency_key"] != practice.competency_key
    ):
        problems["competency_key"] = (
            "A practice that ships with productops stays with its competency, so reloading the "
            "library recognizes it. Add a practice of your own for the other competency."
        )
    if "title" not in problems and "competency_key" not in problems:
        others = Practice.objects.filter(competency_key=fields["competency_key"])
        if practice is not None:
            others = others.exclude(pk=practice.pk)
        for other in others.only("title"):
            if practices.same_title(other.title, fields["title"]):
                problems["title"] = (
                    f"{fields['competency_key']} already has a practice called “{other.title}”; "
                    "edit that one, or give this one a title of its own."
                )
                break
    if problems:
        raise ValidationError(problems)
    return fields


def do_save_practice(
    user: Login,
    practice: Practice | None,
    *,
    competency_key: str | None = None,
    title: str | None = None,
    description: str | None = None,
    kind: str | None = None,
    effort: str | None = None,
) -> Practice:
    """Add a practice (None) or change one; an edited built-in keeps its shipped title.

    The shipped title is how a reload of the library recognizes the row, so an admin's
    edit is never undone and a renamed practice is not added back.
    """
    with transaction.atomic():
        fields = check_save_practice(
            user,
            practice,
            competency_key=competency_key,
            title=title,
            description=description,
            kind=kind,
            effort=effort,
        )
        target = practice if practice is not None else Practice(built_in=False)
        for name, value in fields.items():
            setattr(target, name, value)
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError:
            raise ValidationError(
                {"title": "Someone just saved a practice with this title; choose another."}
            ) from None
    return target


def do_set_practice_active(user: Login, practice: Practice, active: bool) -> Practice:
    """Deactivate a practice (hidden from everyone but admins, no longer suggested) or back.

    Goals that already name the practice keep it.
    """
    if not visibility.can_edit_practices(user):
        raise PermissionDenied(PRACTICE_EDIT_REFUSED)
    if practice.active != active:
        practice.active = active
        practice.save(update_fields=["active"])
    return practice
