"""The health rules on hand-built weeks: each rule firing and not, and how they combine."""

from __future__ import annotations

from django.test import SimpleTestCase

from productops.reports.status import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    WeekNumbers,
    health_of,
    health_reasons,
    risks_of,
)


def fired(numbers: WeekNumbers) -> dict[str, str]:
    return {reason.rule: reason.level for reason in health_reasons(numbers)}


class CalmWeekTest(SimpleTestCase):
    def test_a_calm_week_is_on_track_with_no_reason(self) -> None:
        calm = WeekNumbers(committed=10, carried_over=2, added=1, touchpoints=1)
        self.assertEqual(fired(calm), {})
        self.assertEqual(health_of(health_reasons(calm)), ON_TRACK)


class CarryOverRuleTest(SimpleTestCase):
    def test_below_the_bar(self) -> None:
        self.assertNotIn("carry_over", fired(WeekNumbers(committed=10, carried_over=3)))

    def test_at_risk_from_forty_percent(self) -> None:
        numbers = WeekNumbers(committed=10, carried_over=4)
        self.assertEqual(fired(numbers)["carry_over"], AT_RISK)
        self.assertEqual(health_of(health_reasons(numbers)), AT_RISK)

    def test_off_track_from_sixty_percent(self) -> None:
        numbers = WeekNumbers(committed=10, carried_over=6)
        self.assertEqual(fired(numbers)["carry_over"], OFF_TRACK)
        self.assertEqual(health_of(health_reasons(numbers)), OFF_TRACK)
        sentence = health_reasons(numbers)[0].sentence
        self.assertIn("6 items were carried over", sentence)
        self.assertIn("10 committed (60%)", sentence)

    def test_no_commitment_no_rule(self) -> None:
        self.assertNotIn("carry_over", fired(WeekNumbers(committed=0, carried_over=4)))


class SalesScopeRuleTest(SimpleTestCase):
    def test_fires_when_half_the_additions_are_sales(self) -> None:
        self.assertEqual(fired(WeekNumbers(added=4, added_sales=2))["sales_scope"], AT_RISK)

    def test_not_below_half(self) -> None:
        self.assertNotIn("sales_scope", fired(WeekNumbers(added=5, added_sales=2)))

    def test_not_for_a_single_addition(self) -> None:
        self.assertNotIn("sales_scope", fired(WeekNumbers(added=1, added_sales=1)))


class RepeatCarryOverRuleTest(SimpleTestCase):
    def test_fires_from_three_items(self) -> None:
        numbers = WeekNumbers(committed=8, carried_repeatedly=3)
        self.assertEqual(fired(numbers)["repeat_carry_over"], AT_RISK)
        self.assertIn("3 of 8 committed items", health_reasons(numbers)[0].sentence)

    def test_not_for_two(self) -> None:
        self.assertNotIn("repeat_carry_over", fired(WeekNumbers(committed=8, carried_repeatedly=2)))


class ShelvedRuleTest(SimpleTestCase):
    def test_fires_from_two(self) -> None:
        self.assertEqual(fired(WeekNumbers(shelved=2))["shelved"], AT_RISK)

    def test_not_for_one(self) -> None:
        self.assertNotIn("shelved", fired(WeekNumbers(shelved=1)))


class NoDiscoveryRuleTest(SimpleTestCase):
    def test_two_quiet_weeks_are_a_risk_not_a_rule(self) -> None:
        numbers = WeekNumbers(quiet_weeks=2)
        self.assertNotIn("no_discovery", fired(numbers))
        self.assertIn("2 weeks without a discovery touchpoint.", risks_of(numbers))

    def test_at_risk_from_three_weeks(self) -> None:
        self.assertEqual(fired(WeekNumbers(quiet_weeks=3))["no_discovery"], AT_RISK)

    def test_off_track_from_six_weeks(self) -> None:
        self.assertEqual(fired(WeekNumbers(quiet_weeks=6))["no_discovery"], OFF_TRACK)

    def test_no_touchpoint_in_every_week_read_says_or_more(self) -> None:
        [reason] = health_reasons(WeekNumbers(quiet_weeks=13, quiet_for_longer=True))
        self.assertEqual(reason.sentence, "No discovery touchpoint for 13 weeks or more.")


class ObjectivesRuleTest(SimpleTestCase):
    def test_fires_when_no_served_objective_moved(self) -> None:
        numbers = WeekNumbers(objectives_served=2, objectives_moved=0)
        self.assertEqual(fired(numbers)["objectives_still"], AT_RISK)

    def test_not_when_one_moved(self) -> None:
        self.assertNotIn(
            "objectives_still", fired(WeekNumbers(objectives_served=2, objectives_moved=1))
        )

    def test_not_when_the_work_serves_no_objective(self) -> None:
        self.assertNotIn("objectives_still", fired(WeekNumbers(objectives_served=0)))


class CombinationTest(SimpleTestCase):
    def test_one_or_two_at_risk_rules_are_at_risk(self) -> None:
        two = WeekNumbers(shelved=3, quiet_weeks=3)
        self.assertEqual(len(health_reasons(two)), 2)
        self.assertEqual(health_of(health_reasons(two)), AT_RISK)

    def test_three_at_risk_rules_are_off_track(self) -> None:
        three = WeekNumbers(shelved=3, quiet_weeks=3, objectives_served=1)
        self.assertEqual(set(fired(three).values()), {AT_RISK})
        self.assertEqual(health_of(health_reasons(three)), OFF_TRACK)
