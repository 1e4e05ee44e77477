"""The named cast every story-like test reuses.

Hana is head of product (admin). Marco manages product managers and reports to Hana.
Priya and Paul are PMs reporting to Marco. Dana is a designer on Priya's team, reporting
to Hana. Otto is an outsider from sales with no manager in the product org. Vera has a
viewer login and no person record.

Checkout (Priya PM, Dana design lead, Tariq tech lead) is a full trio; Search has only
Paul.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole

PASSWORD = "cast-password-1"


@dataclass
class Cast:
    hana: Person
    marco: Person
    priya: Person
    paul: Person
    dana: Person
    tariq: Person
    otto: Person
    checkout: Team
    search: Team
    hana_user: User
    marco_user: User
    priya_user: User
    paul_user: User
    vera_user: User


def build_cast() -> Cast:
    person = Person.objects.create
    hana = person(
        name="Hana Head",
        email="hana@example.com",
        discipline=Discipline.PRODUCT,
        title="VP Product",
    )
    marco = person(
        name="Marco Manager",
        email="marco@example.com",
        discipline=Discipline.PRODUCT,
        title="Group PM",
        manager=hana,
    )
    priya = person(
        name="Priya PM",
        email="priya@example.com",
        discipline=Discipline.PRODUCT,
        title="Product Manager",
        manager=marco,
    )
    paul = person(
        name="Paul PM",
        email="paul@example.com",
        discipline=Discipline.PRODUCT,
        title="Product Manager",
        manager=marco,
    )
    dana = person(
        name="Dana Designer",
        email="dana@example.com",
        discipline=Discipline.DESIGN,
        title="Product Designer",
        manager=hana,
    )
    tariq = person(
        name="Tariq Tech",
        email="tariq@example.com",
        discipline=Discipline.ENGINEERING,
        title="Tech Lead",
        manager=hana,
    )
    otto = person(
        name="Otto Outsider",
        email="otto@example.com",
        discipline=Discipline.SALES,
        title="Account Executive",
    )
    checkout = Team.objects.create(name="Checkout", mission="Make paying effortless")
    search = Team.objects.create(name="Search", mission="Help people find things")
    member = TeamMembership.objects.create
    member(team=checkout, person=priya, role=TeamRole.PRODUCT_MANAGER)
    member(team=checkout, person=dana, role=TeamRole.DESIGN_LEAD)
    member(team=checkout, person=tariq, role=TeamRole.TECH_LEAD)
    member(team=search, person=paul, role=TeamRole.PRODUCT_MANAGER)
    return Cast(
        hana=hana,
        marco=marco,
        priya=priya,
        paul=paul,
        dana=dana,
        tariq=tariq,
        otto=otto,
        checkout=checkout,
        search=search,
        hana_user=do_create_login("hana", PASSWORD, Role.ADMIN, person=hana),
        marco_user=do_create_login("marco", PASSWORD, Role.MANAGER, person=marco),
        priya_user=do_create_login("priya", PASSWORD, Role.MEMBER, person=priya),
        paul_user=do_create_login("paul", PASSWORD, Role.MEMBER, person=paul),
        vera_user=do_create_login("vera", PASSWORD, Role.VIEWER),
    )
