"""The reporters and label vocabulary pages and API lists cost as many queries for many
items, reporters and labels as for few."""

from __future__ import annotations

from django.test import TestCase

from productops.backlog.actions import do_assign_reporter, do_map_label
from productops.backlog.models import Item
from productops.org.models import Person
from tests.cast import build_cast
from tests.query_counts import assert_cost_does_not_grow

URLS = ["/backlog/reporters/", "/backlog/labels/", "/api/backlog/reporters", "/api/backlog/labels"]


class Costs(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def grow(self, size: int) -> None:
        """`size` items: half from people matched by email, half from unmatched reporters,
        each with its own label and component, and a few assignments and mappings."""
        have = Item.objects.count()
        people = Person.objects.bulk_create(
            Person(name=f"Person {n}", email=f"cost{n}@example.com") for n in range(have, size)
        )
        Item.objects.bulk_create(
            Item(
                source="jira",
                key=f"K-{n}",
                title=f"Item {n}",
                labels=[f"label-{n}", "ops"],
                components=[f"Part {n % 7}"],
                reporter=f"Reporter {n}",
                reporter_email=f"cost{n}@example.com" if n % 2 else f"r{n}@elsewhere.example",
                reporter_person=people[n - have] if n % 2 else None,
            )
            for n in range(have, size)
        )
        hana = self.cast.hana_user
        do_assign_reporter(
            hana, source="jira", key=f"email:r{have}@elsewhere.example", discipline="sales"
        )
        do_map_label(hana, f"label-{have}", "kind", "ktlo")

    def test_the_cost_does_not_grow(self) -> None:
        for login in (self.cast.hana_user, self.cast.marco_user):
            with self.subTest(login=login.username):
                Item.objects.all().delete()
                Person.objects.filter(email__startswith="cost").delete()
                assert_cost_does_not_grow(self.grow, urls=URLS, login=login, sizes=(20, 200))

    def test_the_viewers_counts_cost_the_same_too(self) -> None:
        urls = ["/backlog/reporters/", "/backlog/labels/", "/api/backlog/labels"]
        assert_cost_does_not_grow(self.grow, urls=urls, login=self.cast.vera_user, sizes=(20, 200))
