"""Weak passwords are refused wherever a password is set: `create-login`, the action
every login is made with (the demo's included), and the password change page.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.org.models import Discipline, Person

TOO_SHORT = "This password is too short. It must contain at least 12 characters."
NUMERIC = "This password is entirely numeric."


@pytest.mark.django_db
def test_create_login_refuses_password_1_with_the_rules_it_breaks():
    with pytest.raises(CommandError) as refused:
        call_command("create_login", "weakpw", role="viewer", password="1")
    message = str(refused.value)
    assert TOO_SHORT in message
    assert NUMERIC in message
    assert "Choose another with --password" in message
    assert not User.objects.filter(username="weakpw").exists()


@pytest.mark.django_db
def test_create_login_refuses_a_password_like_the_persons_name():
    Person.objects.create(
        name="Jamal Taylor", email="jamal.taylor@example.com", discipline=Discipline.PRODUCT
    )
    with pytest.raises(CommandError, match="too similar to the name"):
        call_command(
            "create_login",
            "member",
            role="member",
            person="jamal.taylor@example.com",
            password="jamal-taylor-1",
        )
    assert not User.objects.filter(username="member").exists()


@pytest.mark.django_db
def test_resetting_an_existing_login_to_a_weak_password_changes_nothing():
    user = do_create_login("vera", "a-good-long-password", Role.VIEWER)
    with pytest.raises(CommandError, match="too short"):
        call_command("create_login", "vera", role="admin", password="short-1")
    user.refresh_from_db()
    assert user.check_password("a-good-long-password")
    assert not user.is_superuser


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("98127364501234", "entirely numeric"),
        ("productops", "too short"),
        ("password1234", "too common"),
        ("jamal-taylor-1", "too similar to the name"),
        ("jamal.taylor@example.com", "too similar to the email"),
    ],
)
def test_the_action_refuses_each_kind_of_weak_password(password, broken):
    jamal = Person.objects.create(
        name="Jamal Taylor", email="jamal.taylor@example.com", discipline=Discipline.PRODUCT
    )
    with pytest.raises(ValidationError) as refused:
        do_create_login("member", password, Role.MEMBER, person=jamal)
    assert any(broken in sentence for sentence in refused.value.messages), refused.value.messages
    assert not User.objects.filter(username="member").exists()


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused():
    with pytest.raises(ValidationError, match="too similar to the username"):
        do_create_login("jamaltaylor", "jamaltaylor-1", Role.VIEWER)


@pytest.mark.django_db
def test_a_linked_login_is_checked_against_its_persons_name_everywhere():
    jamal = Person.objects.create(
        name="Jamal Taylor", email="jamal@example.com", discipline=Discipline.PRODUCT
    )
    user = do_create_login("member", "a-good-long-password", Role.MEMBER, person=jamal)
    # What the admin site's and the password change page's forms call.
    with pytest.raises(ValidationError, match="too similar to the name"):
        validate_password("taylorjamal99", User.objects.get(pk=user.pk))
    validate_password("correct horse battery staple", User.objects.get(pk=user.pk))


@pytest.mark.django_db
def test_a_strong_password_is_accepted_and_a_generated_one_too():
    call_command("create_login", "vera", role="viewer", password="a-good-long-password")
    assert authenticate(username="vera", password="a-good-long-password") is not None
