"""People, delegation and the 1:1 load, each against the domain call its page makes."""

import json

from django.test import TestCase, override_settings

from productops.coaching.models import OneOnOneSeries
from productops.competencies import gap_data
from productops.competencies import visibility as competency_visibility
from productops.org import visibility as org_visibility
from productops.org.audit import run_org_audit
from productops.org.models import Person
from productops.reports.health import build_health_report
from productops.strategy import visibility as strategy_visibility
from productops.strategy.dashboard import delegation_summary
from productops.strategy.delegation import load_board
from productops.strategy.models import DecisionArea, Delegation, Difficulty
from tests.cast import PASSWORD, build_cast
from tests.competencies.gap_story import build_gap_story

NAMES = ("Hana Head", "Marco Manager", "Priya PM", "Paul PM", "Dana Designer", "Tariq Tech")


def _section(report, key):
    return next(s for s in report["sections"] if s["key"] == key)


def _numbers(section):
    return {h["name"]: h["value"] for h in section["headlines"]}


class PeopleSectionTest(TestCase):
    """The gap story: H2 closed, Priya, Paul and Marco assessed. Below expectation:
    discovery Priya (2/3) and Marco (1), of 3; delivery Paul, of 3; strategy Paul, of 2."""

    @classmethod
    def setUpTestData(cls):
        cls.story = build_gap_story()
        cls.cast = cls.story.cast

    def test_without_a_closed_cycle_the_section_says_what_to_do(self):
        self.story.h2.status = self.story.h2.Status.OPEN
        self.story.h2.save()
        section = _section(build_health_report(self.cast.hana_user.username), "people")
        assert section["headlines"] == []
        assert "close an assessment cycle" in section["missing"]

    def test_admin_numbers_match_the_org_gap_page(self):
        self.client.login(username=self.cast.hana_user.username, password=PASSWORD)
        page = self.client.get("/competencies/gaps/", {"cycle": self.story.h2.pk})
        section = _section(build_health_report(self.cast.hana_user.username), "people")
        numbers = _numbers(section)
        assert numbers["People assessed"] == page.context["people_count"] == 3
        assert numbers["Latest closed cycle"] == "H2"
        assert numbers["Biggest gap"] == "Discovery"
        rows = {row[0]: row[1:] for row in section["tables"][0]["rows"]}
        assert rows == {"Discovery": [2, 3], "Delivery": [1, 3], "Strategy": [1, 2]}
        sentences = [f["sentence"] for f in section["findings"]]
        assert sentences == [
            "2 of 3 people assessed are below what their level expects on Discovery."
        ]
        chart = section["charts"][0]
        assert chart["title"] == "People below expectation per competency"
        assert chart["bars"][0] == {"label": "Discovery", "value": 2, "shown": "2 of 3"}

    def test_the_counts_come_from_the_gap_functions(self):
        people = Person.objects.filter(active=True)
        choice = gap_data.load_group_choice(people, cycle=self.story.h2.pk, live=True)
        short = sum(
            1
            for result in choice.group.results
            for row in result.rows
            if row.key == "discovery" and row.gap is not None and row.gap > 1e-9
        )
        section = _section(build_health_report(self.cast.hana_user.username), "people")
        assert section["tables"][0]["rows"][0] == ["Discovery", short, 3]

    def test_a_viewer_gets_nothing_from_a_group_below_the_minimum(self):
        report = build_health_report(self.cast.vera_user.username)
        section = _section(report, "people")
        numbers = _numbers(section)
        assert numbers["People assessed"] == 3
        assert numbers["Competencies withheld (small groups)"] == 3
        assert section["tables"][0]["rows"] == []
        assert section["findings"] == []
        assert "Biggest gap" not in numbers
        text = json.dumps(section)
        assert not any(name in text for name in NAMES)

    @override_settings(PRODUCTOPS_MIN_GROUP_SIZE=3)
    def test_a_viewer_sees_the_competencies_the_visibility_module_releases(self):
        people = Person.objects.filter(active=True)
        group = gap_data.load_group_gaps(people, self.story.h2)
        seen = competency_visibility.visible_group_gaps(self.cast.vera_user, group)
        released = {d.name for d in seen["distribution"] if not d.hidden}
        assert released == {"Discovery", "Delivery"}  # strategy: two people only
        section = _section(build_health_report(self.cast.vera_user.username), "people")
        assert {row[0] for row in section["tables"][0]["rows"]} == released
        assert _numbers(section)["Competencies withheld (small groups)"] == 1


class DelegationSectionTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cast = build_gap_story().cast
        cls.cast = cast
        roadmap = DecisionArea.objects.create(name="Roadmap", difficulty=Difficulty.HIGH)
        process = DecisionArea.objects.create(name="Process", difficulty=Difficulty.MEDIUM)
        tools = DecisionArea.objects.create(name="Tools", difficulty=Difficulty.LOW)
        Delegation.objects.create(team=cast.checkout, area=roadmap, level=7)  # above
        Delegation.objects.create(team=cast.checkout, area=process, level=4)
        Delegation.objects.create(team=cast.search, area=tools, level=1)  # below

    def test_without_levels_the_section_says_what_to_set(self):
        Delegation.objects.all().delete()
        section = _section(build_health_report(self.cast.hana_user.username), "delegation")
        assert section["headlines"] == []
        assert "delegation board" in section["missing"]

    def test_admin_numbers_match_the_board_and_the_dashboard(self):
        user = self.cast.hana_user
        summary = delegation_summary(user)
        board = load_board(competence_visible=strategy_visibility.pm_competence_shown(user))
        section = _section(build_health_report(user.username), "delegation")
        numbers = _numbers(section)
        assert numbers["Teams"] == len(board.rows)
        assert numbers["Levels set"] == 3
        assert numbers["Delegated above maturity"] == summary["over_delegation"] == 1
        assert numbers["Delegated below maturity"] == summary["micromanagement"] == 1
        sentences = " ".join(f["sentence"] for f in section["findings"])
        assert "Checkout: 1 decision area(s) delegated above" in sentences
        assert "(Roadmap)" in sentences
        assert "Search: 1 decision area(s) kept below" in sentences
        assert section["charts"][0]["rows"][0]["values"]["over"] == 1

    def test_a_viewer_gets_no_finding_that_would_tell_a_pms_competence(self):
        user = self.cast.vera_user
        summary = delegation_summary(user)
        section = _section(build_health_report(user.username), "delegation")
        numbers = _numbers(section)
        assert numbers["Recommendations withheld"] == summary["withheld"] == 3
        assert numbers["Delegated above maturity"] == 0
        assert section["findings"] == []


class OneOnOneLoadTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.cast = build_cast()
        OneOnOneSeries.objects.create(lead=cls.cast.marco, report=cls.cast.priya)

    def test_a_reader_who_sees_names_gets_each_managers_weekly_hours(self):
        user = self.cast.hana_user
        audit = run_org_audit()
        seen = org_visibility.visible_audit(user, audit)
        minutes = audit.thresholds.one_on_one_minutes
        section = _section(build_health_report(user.username), "coaching")
        table = next(t for t in section["tables"] if t["title"] == "1:1 load per manager")
        assert table["rows"] == [[s.name, s.direct, s.direct * minutes / 60] for s in seen["spans"]]
        assert ["Marco Manager", 2, 1.0] in table["rows"]
        numbers = _numbers(section)
        assert numbers["Managers over the 1:1 budget"] == 0
        assert numbers["1:1 series"] == 1

    @override_settings(PRODUCTOPS_AUDIT={"one_on_one_share": 0.02})
    def test_a_viewer_gets_the_audits_count_only(self):
        audit = run_org_audit()
        over = sum(1 for f in audit.findings if f.rule == "one_on_one_load")
        section = _section(build_health_report(self.cast.vera_user.username), "coaching")
        numbers = _numbers(section)
        assert numbers["Managers over the 1:1 budget"] == over
        assert not [t for t in section["tables"] if t["title"] == "1:1 load per manager"]
        assert not any(name in json.dumps(section) for name in NAMES)
