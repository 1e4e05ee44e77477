from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from productops.accounts.roles import role_of
from productops.org.models import Discipline, Person


@pytest.mark.django_db
def test_creates_a_manager_login_linked_to_a_person():
    marco = Person.objects.create(
        name="Marco Manager", email="marco@example.com", discipline=Discipline.PRODUCT
    )
    out = StringIO()
    call_command("create_login", "marco", role="manager", person="Marco@Example.com", stdout=out)
    password = out.getvalue().split("Password: ")[1].strip()
    user = authenticate(username="marco", password=password)
    assert user is not None
    assert role_of(user).value == "manager"
    marco.refresh_from_db()
    assert marco.user == user


@pytest.mark.django_db
def test_refuses_an_unknown_person_and_a_manager_without_one():
    with pytest.raises(CommandError, match="No person with email"):
        call_command("create_login", "x", role="member", person="nobody@example.com")
    with pytest.raises(CommandError, match="needs --person"):
        call_command("create_login", "y", role="manager")


@pytest.mark.django_db
def test_a_given_password_is_set_and_not_printed():
    out = StringIO()
    call_command("create_login", "vera", role="viewer", password="long-enough-1", stdout=out)
    assert "long-enough-1" not in out.getvalue()
    assert authenticate(username="vera", password="long-enough-1") is not None
