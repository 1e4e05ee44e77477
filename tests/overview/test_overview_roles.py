"""The overview `/`, per role: what each one is shown first, and what it must not be shown.

Hana (head of product, admin) reads the latest org health report's summary and what
changed; Marco (manager) reads his PMs' gaps, plans, 1:1s and what is overdue; Priya (PM,
member) reads her plan goals, her next 1:1 and her team; Vera (viewer) reads aggregates
and no name at all. The CEO, who has no role of their own, is whoever ranks in a CEO/CPO
check: they (and admins) get the check's public result and the quarter's alignment.
"""

from __future__ import annotations

import datetime as dt
import re

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.org.models import Discipline, Person
from productops.reports.actions import do_generate_health_report
from productops.reports.models import ReportSnapshot
from productops.strategy.actions import do_create_check
from tests.cast import PASSWORD
from tests.overview.story import build_overview_story
from tests.strategy.check_story import Q3, build_check_story, rank, rank_q3


def section(page: str, css: str) -> str:
    """The `<section class="card css">` of the page, or "" when there is none."""
    found = re.search(rf'<section class="card {css}">(.*?)</section>', page, re.S)
    return found.group(1) if found else ""


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


class OverviewPages(TestCase):
    """The overview story (`tests.overview.story`)."""

    @classmethod
    def setUpTestData(cls) -> None:
        story = build_overview_story()
        cls.cast = story.cast
        cls.plan = story.plan
        cls.next_meeting = story.next_meeting

    def page(self, user) -> str:
        self.client.force_login(user)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    # -- the head of product ------------------------------------------------------------

    def test_without_a_report_the_admin_gets_an_empty_state_and_nothing_is_generated(self):
        block = section(self.page(self.cast.hana_user), "home-report")
        assert "No org health report yet" in block
        assert f'href="{reverse("reports:health")}"' in block
        assert ReportSnapshot.objects.count() == 0

    def test_the_admin_reads_the_latest_summary_and_what_changed(self):
        c = self.cast
        first = do_generate_health_report(c.hana_user, now=timezone.now() - dt.timedelta(days=30))
        Person.objects.create(name="Nina New", email="nina@example.com", manager=c.hana)
        latest = do_generate_health_report(c.hana_user)
        assert latest.summary, "the story has findings to summarize"
        block = section(self.page(c.hana_user), "home-report")
        for finding in latest.summary:
            assert escape(finding["sentence"]) in block
        changes = text(block[block.index("What changed") :])
        assert "Organization · People: 8 people (+1)" in changes
        assert f"report of {first.generated_at:%Y-%m-%d}" in changes
        assert reverse("reports:health_snapshot", args=[latest.pk]) in block
        assert "Generate a new report" in block
        assert ReportSnapshot.objects.count() == 2  # the page view added none

    def test_a_first_report_says_the_next_one_will_show_the_change(self):
        do_generate_health_report(self.cast.hana_user)
        block = section(self.page(self.cast.hana_user), "home-report")
        assert "This was the first report" in block

    def test_the_admin_reads_an_admins_report_before_a_later_viewers_one(self):
        named = do_generate_health_report(self.cast.hana_user)
        do_generate_health_report(self.cast.vera_user)
        block = section(self.page(self.cast.hana_user), "home-report")
        assert reverse("reports:health_snapshot", args=[named.pk]) in block

    # -- a manager ------------------------------------------------------------------------

    def test_the_manager_reads_each_pm_with_gaps_plan_one_on_ones_and_what_is_overdue(self):
        block = section(self.page(self.cast.marco_user), "home-people")
        rows = block.split("<tr>")[2:]  # after the header row
        assert [text(row).split(" Product Manager")[0].strip() for row in rows] == [
            "Priya PM",  # a lapsed 1:1 and a goal past due come first
            "Paul PM",
        ]
        priya, paul = map(text, rows)
        assert "Discovery (0.7 below)" in priya
        assert "Active" in priya and "2 of 2 goals open" in priya
        assert "Lapsed" in priya and "1:1s lapsed" in priya
        assert "1 plan goal past due" in priya
        assert "Delivery (1.0 below) , Strategy (1.0 below)" in paul
        assert "No plan" in paul and "no 1:1 series" in paul
        assert "2 with something overdue" in text(block)

    def test_the_manager_sees_only_the_people_they_manage(self):
        page = self.page(self.cast.marco_user)
        block = section(page, "home-people")
        for outsider in ("Dana Designer", "Tariq Tech", "Otto Outsider", "Hana Head"):
            assert outsider not in block
        # no report of his own, no CEO/CPO check to rank: neither block
        assert section(page, "home-report") == ""
        assert section(page, "home-ceo") == ""

    def test_a_manager_with_nobody_to_manage_gets_no_people_block(self):
        lone = Person.objects.create(name="Lone Lead", email="lone@example.com")
        login = do_create_login("lone", PASSWORD, Role.MANAGER, person=lone)
        assert section(self.page(login), "home-people") == ""

    # -- a PM -------------------------------------------------------------------------------

    def test_the_pm_reads_plan_goals_next_one_on_one_and_team(self):
        page = self.page(self.cast.priya_user)
        block = section(page, "home-me")
        plain = text(block)
        assert "Priya&#x27;s discovery year" in block
        assert "1 goal past due" in plain
        assert "past due Discovery: reach step 3 from 2.3" in plain
        assert "Delivery: reach step 4 from 3.0" in plain
        assert reverse("coaching:one_on_one_detail", args=[self.next_meeting.pk]) in block
        assert f"1:1 with Marco Manager on {self.next_meeting.date:%Y-%m-%d}" in plain
        assert reverse("reports:status_team", args=[self.cast.checkout.pk]) in block
        assert reverse("discovery:team_cadence", args=[self.cast.checkout.pk]) in block
        assert "Discovery: customers met in 1 of" in plain

    def test_the_pm_sees_nothing_of_a_peer_and_no_manager_block(self):
        page = self.page(self.cast.priya_user)
        assert section(page, "home-people") == ""
        assert section(page, "home-report") == ""
        me = section(page, "home-me")
        assert "Search" not in me  # Paul's team, not hers
        assert "Delivery (1.0 below)" not in page  # Paul's gaps

    def test_a_pm_without_plan_or_series_is_told_so(self):
        plain = text(section(self.page(self.cast.paul_user), "home-me"))
        assert "No coaching plan yet" in plain
        assert "No 1:1 series yet" in plain
        assert "Search" in plain and "Checkout" not in plain

    # -- a viewer ---------------------------------------------------------------------------

    def test_the_viewer_reads_aggregates_and_no_name(self):
        do_generate_health_report(self.cast.hana_user)  # names people: not the viewer's
        page = self.page(self.cast.vera_user)
        assert "1:1s across the org" in page
        assert "1 1:1 series: 0 on cadence, 0 overdue, 1 lapsed" in text(page)
        assert "No org health report yet" in section(page, "home-report")
        for name in Person.objects.values_list("name", flat=True):
            assert name not in page, name
        for css in ("home-people", "home-me", "home-ceo"):
            assert section(page, css) == ""

    def test_the_viewer_reads_their_own_report_without_names(self):
        own = do_generate_health_report(self.cast.vera_user)
        page = self.page(self.cast.vera_user)
        assert reverse("reports:health_snapshot", args=[own.pk]) in page
        for name in Person.objects.values_list("name", flat=True):
            assert name not in page, name


class CeoBlock(TestCase):
    """The check story: Hana and Priya rank "Q3 priorities", compared with Q2."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()

    def block(self, user) -> str:
        self.client.force_login(user)
        return section(self.client.get("/").content.decode(), "home-ceo")

    def test_who_ranks_and_admins_get_the_public_result_only(self):
        rank_q3(self.story)
        for user in (self.story.cast.priya_user, self.story.ada_user):
            plain = text(self.block(user))
            assert "Q3 priorities" in plain
            assert "2 rankings in: agreement 0.60 (moderate agreement), +1.60 since “Q2" in plain
            for title in Q3:  # nothing per priority
                assert title not in plain

    def test_a_participant_who_has_not_ranked_is_asked_to_and_sees_no_result(self):
        plain = text(self.block(self.story.cast.priya_user))
        assert "Your ranking is missing" in plain
        assert "agreement 0" not in plain

    def test_a_manager_who_ranks_in_no_check_gets_no_ceo_block(self):
        assert self.block(self.story.cast.marco_user) == ""

    def test_the_ceo_is_the_leader_who_ranks(self):
        cast = self.story.cast
        chief = Person.objects.create(
            name="Cleo Chief", email="cleo@example.com", discipline=Discipline.LEADERSHIP
        )
        ceo = do_create_login("ceo", PASSWORD, Role.MANAGER, person=chief)
        check = do_create_check(
            cast.hana_user,
            title="Next half",
            priorities=["Growth", "Margin", "Hiring"],
            participants=[ceo, cast.hana_user],
            previous=None,
        )
        rank(ceo, check, [1, 2, 3])
        rank(cast.hana_user, check, [1, 2, 3])
        plain = text(self.block(ceo))
        assert "Next half" in plain and "2 rankings in: agreement 1.00" in plain
        assert "Alignment" in plain
