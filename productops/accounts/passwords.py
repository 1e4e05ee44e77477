"""Password rules, for every place a password is set: the `create-login` command, the
demo, the page where a user changes their own password, and the admin site.

The rules are Django's validators (`AUTH_PASSWORD_VALIDATORS` in settings): not too like
the username or email, at least 12 characters, not a common password, not only digits.
`PersonSimilarityValidator` adds the name and email of the person a login is linked to:
the login `member` of Jamal Taylor may not have the password `jamaltaylor`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import (
    UserAttributeSimilarityValidator,
    validate_password,
)
from django.core.exceptions import ObjectDoesNotExist, ValidationError


def linked_person(user: Any) -> Any:
    """The person a login is linked to (the org's `Person.user`), or None."""
    try:
        return getattr(user, "person", None)
    except ObjectDoesNotExist:
        return None


class PersonSimilarityValidator(UserAttributeSimilarityValidator):
    """Refuses a password too like the name or email of the login's person."""

    def __init__(self, max_similarity: float = 0.7) -> None:
        super().__init__(user_attributes=("name", "email"), max_similarity=max_similarity)

    def validate(self, password: str, user: Any = None) -> None:
        self.validate_for_person(password, linked_person(user))

    def validate_for_person(self, password: str, person: Any) -> None:
        if person is not None:
            super().validate(password, person)

    def get_error_message(self) -> str:
        return "The password is too similar to the %(verbose_name)s of the person this login is linked to."

    def get_help_text(self) -> str:
        return "Your password can’t be too similar to your name or email."


def validate_new_password(password: str, user: Any, person: Any = None) -> None:
    """Every rule of settings for `password` on `user`, and on `person` it is being linked to.

    Raises one ValidationError with every sentence that applies.
    """
    problems: list[ValidationError] = []
    try:
        validate_password(password, user)
    except ValidationError as error:
        problems.extend(error.error_list)
    if person is not None and person != linked_person(user):
        try:
            PersonSimilarityValidator().validate_for_person(password, person)
        except ValidationError as error:
            problems.extend(error.error_list)
    if problems:
        raise ValidationError(problems)
