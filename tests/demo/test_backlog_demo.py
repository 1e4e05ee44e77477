"""The backlog demo tells its story: one sales-led area drowning in sales asks, the rest healthy."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Count, Q
from django.test import TestCase

from productops.backlog.models import Change, Item, Origin, Sprint, TrackerImport
from productops.demo.backlog import (
    DEMO_FILE_PREFIX,
    UNLISTED_REPORTERS,
    build_backlog_demo,
    clear_backlog_demo,
    has_backlog_demo,
    origin_shares,
)
from productops.demo.org import EMAIL_DOMAIN, build_demo_org
from productops.org.models import Discipline, Team

TODAY = date(2026, 11, 20)


class BacklogDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo_org(150, 7)
        cls.demo = build_backlog_demo(cls.org, seed=7, today=TODAY)

    def test_every_product_team_gets_a_project_of_items_filed_by_demo_people(self):
        product_teams = set(
            Team.objects.filter(parent__isnull=False).values_list("name", flat=True)
        )
        projects = set(Item.objects.values_list("project", flat=True))

        assert projects == product_teams
        assert self.demo.projects == len(product_teams)
        assert 1000 <= self.demo.items == Item.objects.count() <= 5000
        unlisted = {f"{local}@{EMAIL_DOMAIN}" for _, local, _ in UNLISTED_REPORTERS}
        unmatched = Item.objects.filter(reporter_person__isnull=True)
        assert set(unmatched.values_list("reporter_email", flat=True)) == unlisted
        assert Change.objects.count() == self.demo.changes

    def test_the_history_covers_the_last_six_months_with_two_week_sprints(self):
        first = Item.objects.order_by("created").first()
        last = Item.objects.order_by("-created").first()

        assert first.created.date() >= TODAY - timedelta(days=190)
        assert last.created.date() <= TODAY
        assert Sprint.objects.filter(state="closed").count() >= 10 * self.demo.projects
        assert Sprint.objects.filter(state="active").count() == self.demo.projects

    def test_the_sales_led_area_is_dominated_by_sales_and_the_others_are_not(self):
        focus, elsewhere = origin_shares(self.org.enterprise_team_name)

        assert focus >= 0.4
        assert elsewhere <= 0.15
        assert focus >= 3 * elsewhere
        assert self.demo.focus_area == self.org.enterprise_team_name
        assert f"{round(focus * 100)}%" in self.demo.stories[0]

    def test_sales_people_report_the_sales_asks(self):
        by_discipline = Item.objects.filter(origin=Origin.SALES).aggregate(
            total=Count("pk"),
            sales=Count("pk", filter=Q(reporter_person__discipline=Discipline.SALES)),
        )
        focus = Item.objects.filter(project=self.org.enterprise_team_name)
        focus_sales = focus.filter(reporter_person__discipline=Discipline.SALES).count()
        rest = Item.objects.exclude(project=self.org.enterprise_team_name)
        rest_sales = rest.filter(reporter_person__discipline=Discipline.SALES).count()

        assert by_discipline["sales"] >= 0.8 * by_discipline["total"]
        assert focus_sales / focus.count() > 4 * rest_sales / rest.count()

    def test_the_sales_led_area_churns_its_sprints_and_shelves_work(self):
        def mid_sprint_additions(project: str, exclude: bool = False) -> float:
            items = Item.objects.exclude(sprints=[])
            items = items.exclude(project=project) if exclude else items.filter(project=project)
            additions = 0
            starts = dict(Sprint.objects.values_list("source_id", "start"))
            for at, to_value, from_value in Change.objects.filter(
                item__in=items, field="sprint"
            ).values_list("at", "to_value", "from_value"):
                added = set(to_value.split(", ")) - set(from_value.split(", ")) - {""}
                additions += sum(
                    1 for sprint in added if starts.get(sprint) and at > starts[sprint]
                )
            return additions / max(items.count(), 1)

        def shelved(project: str, exclude: bool = False) -> float:
            items = (
                Item.objects.exclude(project=project)
                if exclude
                else Item.objects.filter(project=project)
            )
            back = items.filter(
                changes__field="status",
                changes__from_value="In Progress",
                changes__to_value__in=["To Do", "Closed"],
            ).distinct()
            return back.count() / items.count()

        focus = self.org.enterprise_team_name
        assert mid_sprint_additions(focus) > 2 * mid_sprint_additions(focus, exclude=True)
        assert shelved(focus) > 2 * shelved(focus, exclude=True)

    def test_clearing_removes_the_demo_and_only_the_demo(self):
        assert has_backlog_demo()
        runs = TrackerImport.objects.count()
        assert runs >= 1
        assert all(
            name.startswith(DEMO_FILE_PREFIX)
            for run in TrackerImport.objects.all()
            for name in run.files
        )

        clear_backlog_demo()

        assert not has_backlog_demo()
        assert Item.objects.count() == 0 and Change.objects.count() == 0
        assert Sprint.objects.count() == 0 and TrackerImport.objects.count() == 0


class BacklogDemoDeterminismTests(TestCase):
    def test_the_same_seed_builds_the_same_backlog(self):
        org = build_demo_org(150, 7)

        def signature() -> list[tuple]:
            return list(
                Item.objects.order_by("key").values_list(
                    "key", "title", "status", "reporter_email", "sprints", "origin"
                )
            )

        build_backlog_demo(org, seed=7, today=TODAY)
        first = signature()
        clear_backlog_demo()
        build_backlog_demo(org, seed=7, today=TODAY)

        assert signature() == first
