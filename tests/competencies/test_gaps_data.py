"""Loading the gap analysis from the database: matching levels, choosing cycles, change,
and a query count that does not grow with the number of people."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.competencies import gap_data
from productops.competencies.models import Expectation, LadderLevel
from productops.org.models import Discipline, Person
from tests.competencies.factories import make_ladder, make_model_version
from tests.competencies.gap_story import build_assessed_org, build_gap_story


class ExpectationsForPeople(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast

    def test_level_matched_by_name_alias_and_key_in_any_case(self) -> None:
        cast = self.cast
        Person.objects.filter(pk=cast.hana.pk).update(level="  SENIOR-PM ")  # the key
        people = Person.objects.filter(
            pk__in=[cast.priya.pk, cast.paul.pk, cast.marco.pk, cast.hana.pk]
        )
        expected = gap_data.expectations_for_people(people, self.story.version.model)
        assert expected[cast.priya.pk] == {"discovery": 3, "delivery": 3, "strategy": 2}
        senior = {"discovery": 4, "delivery": 4, "strategy": 3}
        assert expected[cast.paul.pk] == senior  # "senior pm"
        assert expected[cast.marco.pk] == senior  # alias "L5"
        assert expected[cast.hana.pk] == senior  # key, with stray spaces

    def test_no_match_or_another_discipline_gives_nothing(self) -> None:
        cast = self.cast
        Person.objects.filter(pk=cast.dana.pk).update(level="PM")  # a designer
        Person.objects.filter(pk=cast.tariq.pk).update(level="")
        Person.objects.filter(pk=cast.otto.pk).update(level="Wizard")
        people = Person.objects.filter(pk__in=[cast.dana.pk, cast.tariq.pk, cast.otto.pk])
        assert gap_data.expectations_for_people(people, self.story.version.model) == {
            cast.dana.pk: {},
            cast.tariq.pk: {},
            cast.otto.pk: {},
        }

    def test_a_ladder_per_discipline(self) -> None:
        make_ladder(
            self.story.version,
            {"PM": {"discovery": 1}},
            name="Design ladder",
            discipline=Discipline.DESIGN,
        )
        Person.objects.filter(pk=self.cast.dana.pk).update(level="pm")
        people = Person.objects.filter(pk__in=[self.cast.dana.pk, self.cast.priya.pk])
        expected = gap_data.expectations_for_people(people, self.story.version.model.pk)
        assert expected[self.cast.dana.pk] == {"discovery": 1}
        assert expected[self.cast.priya.pk]["discovery"] == 3

    def test_two_queries_whatever_the_number_of_people(self) -> None:
        people = list(Person.objects.all())
        with CaptureQueriesContext(connection) as queries:
            gap_data.expectations_for_people(people, self.story.version.model)
        assert len(queries) == 2

    def test_another_model_has_its_own_ladders(self) -> None:
        other = make_model_version(name="Other model", keys=("craft",))
        expected = gap_data.expectations_for_people([self.cast.priya], other.model)
        assert expected == {self.cast.priya.pk: {}}


class LoadPersonGaps(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast

    def test_defaults_to_the_latest_cycle_with_answers(self) -> None:
        result = gap_data.load_person_gaps(self.cast.priya)
        assert result.cycle.name == "H2"
        assert result.previous_cycle.name == "H1"
        assert result.expected_for == "PM (Product ladder)"
        assert result.steps == (1, 2, 3, 4, 5)

    def test_priya_in_h2_by_hand(self) -> None:
        result = gap_data.load_person_gaps(self.cast.priya)
        discovery = result.row("discovery")
        assert discovery.self_score == 4
        assert discovery.manager_score == 2
        assert discovery.peer_count == 3  # Otto's draft does not count
        assert discovery.peer_mean == pytest.approx(8 / 3)
        assert discovery.consensus == pytest.approx(7 / 3)
        assert discovery.gap == pytest.approx(2 / 3)
        assert discovery.change == pytest.approx(4 / 3)
        assert discovery.signal == "blind_spot"
        strategy = result.row("strategy")
        assert strategy.peer_count == 2
        assert strategy.peer_mean is None
        assert strategy.consensus == 3
        assert strategy.gap == -1
        assert strategy.change == 0
        assert result.row("delivery").change == 1
        assert [row.key for row in result.top_gaps] == ["discovery"]

    def test_paul_by_hand(self) -> None:
        result = gap_data.load_person_gaps(self.cast.paul)
        assert result.row("discovery").others == 4  # two peers left out
        assert result.row("discovery").signal == "hidden_strength"
        assert [row.key for row in result.top_gaps] == ["delivery", "strategy"]
        assert result.total_gap == 2
        assert result.previous_cycle is None

    def test_an_earlier_cycle_by_choice(self) -> None:
        result = gap_data.load_person_gaps(self.cast.priya, self.story.h1)
        assert result.cycle.name == "H1"
        assert result.row("discovery").consensus == 1
        assert result.row("discovery").self_score == 3
        assert result.previous_cycle is None

    def test_nobody_assessed_gives_none(self) -> None:
        assert gap_data.load_person_gaps(self.cast.otto) is None
        assert gap_data.cycles_for_person(self.cast.otto) == []

    def test_choose_cycle(self) -> None:
        cycles = gap_data.cycles_for_person(self.cast.priya)
        assert [c.name for c in cycles] == ["H2", "H1"]
        assert gap_data.choose_cycle(cycles, None).name == "H2"
        assert gap_data.choose_cycle(cycles, str(self.story.h1.pk)).name == "H1"
        with pytest.raises(LookupError):
            gap_data.choose_cycle(cycles, 999999)
        with pytest.raises(LookupError):
            gap_data.choose_cycle(cycles, "nope")

    def test_previous_cycle_of_another_model_does_not_count(self) -> None:
        other = make_model_version(name="Other model")
        from tests.competencies.gap_story import open_cycle, rate

        older = open_cycle("Other H0", other, days_ago=300)
        rate(older, self.cast.paul, self.cast.marco, "manager", {"discovery": 1})
        result = gap_data.load_person_gaps(self.cast.paul)
        assert result.previous_cycle is None

    def test_a_later_version_of_the_same_model_compares_by_key(self) -> None:
        v2 = make_model_version(number=2, keys=("discovery", "delivery", "outcomes"))
        from tests.competencies.gap_story import open_cycle, rate

        h3 = open_cycle("H3", v2, days_ago=1)
        rate(h3, self.cast.priya, self.cast.marco, "manager", {"discovery": 4, "outcomes": 3})
        result = gap_data.load_person_gaps(self.cast.priya)
        assert result.cycle.name == "H3"
        assert result.previous_cycle.name == "H2"
        assert [row.key for row in result.rows] == ["discovery", "delivery", "outcomes"]
        assert result.row("discovery").change == pytest.approx(4 - 7 / 3)
        assert result.row("outcomes").change is None
        assert result.row("outcomes").expected is None  # the ladder has no such key


class GroupQueries(TestCase):
    """Loading a group costs the same queries for 10 people as for 60."""

    def cost(self, count: int) -> tuple[int, int]:
        Person.objects.all().delete()
        version = make_model_version(name=f"Model {count}", keys=tuple(f"c{i}" for i in range(12)))
        make_ladder(version, {"PM": {f"c{i}": 3 for i in range(12)}}, name=f"Ladder {count}")
        build_assessed_org(count, version)
        people = Person.objects.filter(active=True)
        cycle = gap_data.cycles_with_answers(people)[0]
        with CaptureQueriesContext(connection) as captured:
            group = gap_data.load_group_gaps(people, cycle, with_previous=True)
        assert len(group.results) == count
        return len(captured), len(group.results[0].rows)

    def test_query_count_does_not_grow_with_people(self) -> None:
        small, rows = self.cost(10)
        large, _ = self.cost(60)
        assert rows == 12
        assert small == large, (small, large)
        assert large <= 8

    def test_person_load_is_bounded(self) -> None:
        story = build_gap_story()
        with CaptureQueriesContext(connection) as captured:
            gap_data.load_person_gaps(story.cast.priya)
        assert len(captured) <= 9


def test_expectations_unaffected_by_expectation_order(db) -> None:
    version = make_model_version()
    ladder = make_ladder(version, {"PM": {"discovery": 2}})
    level = LadderLevel.objects.get(ladder=ladder)
    Expectation.objects.create(level=level, competency_key="delivery", step=4)
    person = Person.objects.create(name="X", email="x@x.test", discipline="product", level="pm")
    assert gap_data.expectations_for_people([person], version.model) == {
        person.pk: {"discovery": 2, "delivery": 4}
    }
