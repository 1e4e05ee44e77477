"""Starting, changing and ending 1:1 series: who may, and what is refused with a sentence."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from productops.coaching.actions import (
    do_create_series,
    do_end_series,
    do_restart_series,
    do_update_series,
)
from productops.coaching.models import OneOnOneSeries
from tests.cast import build_cast
from tests.coaching.one_on_one_cast import days


def settings(**overrides):
    base = {
        "kind": "manager",
        "cadence": "weekly",
        "duration_minutes": 30,
        "start_date": days(0),
    }
    return {**base, **overrides}


class StartingASeries(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_a_manager_starts_one_with_someone_in_their_chain(self) -> None:
        c = self.cast
        series = do_create_series(c.marco_user, lead=c.marco, report=c.priya, **settings())
        self.assertEqual(
            (series.lead, series.report, series.kind, series.cadence, series.active),
            (c.marco, c.priya, "manager", "weekly", True),
        )

    def test_someone_outside_the_chain_needs_a_coaching_series(self) -> None:
        c = self.cast
        with self.assertRaises(ValidationError) as refused:
            do_create_series(c.marco_user, lead=c.marco, report=c.otto, **settings())
        self.assertIn(
            "not in Marco Manager's reporting chain", refused.exception.message_dict["report"][0]
        )
        self.assertIn("coach and coachee", refused.exception.message_dict["report"][0])
        series = do_create_series(
            c.marco_user, lead=c.marco, report=c.otto, **settings(kind="coach")
        )
        self.assertEqual(series.kind, OneOnOneSeries.Kind.COACH)

    def test_a_member_may_coach_anyone_but_only_as_the_lead(self) -> None:
        c = self.cast
        do_create_series(c.priya_user, lead=c.priya, report=c.paul, **settings(kind="coach"))
        with self.assertRaises(PermissionDenied):
            do_create_series(c.priya_user, lead=c.marco, report=c.paul, **settings(kind="coach"))
        with self.assertRaises(PermissionDenied):
            do_create_series(c.vera_user, lead=c.marco, report=c.paul, **settings())

    def test_an_admin_starts_one_for_others(self) -> None:
        c = self.cast
        series = do_create_series(c.hana_user, lead=c.marco, report=c.paul, **settings())
        self.assertEqual(series.lead, c.marco)

    def test_one_series_per_pair_whichever_way_round(self) -> None:
        c = self.cast
        do_create_series(c.marco_user, lead=c.marco, report=c.priya, **settings())
        with self.assertRaisesMessage(ValidationError, "already have a 1:1 series"):
            do_create_series(c.priya_user, lead=c.priya, report=c.marco, **settings(kind="coach"))

    def test_an_ended_series_is_restarted_rather_than_started_again(self) -> None:
        c = self.cast
        series = do_create_series(c.marco_user, lead=c.marco, report=c.priya, **settings())
        do_end_series(c.marco_user, series)
        with self.assertRaisesMessage(ValidationError, "ended: restart it from its page"):
            do_create_series(c.marco_user, lead=c.marco, report=c.priya, **settings())
        do_restart_series(c.marco_user, series)
        self.assertTrue(series.active)

    def test_bad_settings_name_their_field(self) -> None:
        c = self.cast
        with self.assertRaises(ValidationError) as refused:
            do_create_series(
                c.marco_user,
                lead=c.marco,
                report=c.priya,
                **settings(kind="friends", cadence="daily", duration_minutes=600),
            )
        self.assertEqual(
            set(refused.exception.message_dict), {"kind", "cadence", "duration_minutes"}
        )
        self.assertIn("between 10 and 240", refused.exception.message_dict["duration_minutes"][0])
        with self.assertRaisesMessage(ValidationError, "two different people"):
            do_create_series(c.marco_user, lead=c.marco, report=c.marco, **settings(kind="coach"))
        with self.assertRaisesMessage(ValidationError, "YYYY-MM-DD"):
            do_create_series(
                c.marco_user, lead=c.marco, report=c.priya, **settings(start_date="soon")
            )

    def test_people_who_left_are_refused(self) -> None:
        c = self.cast
        c.paul.active = False
        c.paul.save()
        with self.assertRaisesMessage(ValidationError, "Paul PM has left"):
            do_create_series(c.marco_user, lead=c.marco, report=c.paul, **settings())


class ChangingASeries(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = c = build_cast()
        cls.series = do_create_series(c.marco_user, lead=c.marco, report=c.priya, **settings())

    def test_the_lead_changes_what_was_given_and_nothing_else(self) -> None:
        series = do_update_series(self.cast.marco_user, self.series, cadence="monthly")
        series.refresh_from_db()
        self.assertEqual(
            (series.cadence, series.duration_minutes, series.kind), ("monthly", 30, "manager")
        )

    def test_the_report_and_others_do_not(self) -> None:
        for user in (self.cast.priya_user, self.cast.paul_user, self.cast.vera_user):
            with self.assertRaisesMessage(PermissionDenied, "Only Marco Manager"):
                do_update_series(user, self.series, cadence="monthly")
            with self.assertRaises(PermissionDenied):
                do_end_series(user, self.series)
        do_update_series(self.cast.hana_user, self.series, duration_minutes=45)  # admin

    def test_a_kind_that_does_not_fit_the_pair_is_refused(self) -> None:
        c = self.cast
        coaching = do_create_series(
            c.marco_user, lead=c.marco, report=c.otto, **settings(kind="coach")
        )
        with self.assertRaisesMessage(ValidationError, "not in Marco Manager's reporting chain"):
            do_update_series(c.marco_user, coaching, kind="manager")

    def test_ending_keeps_the_series_and_its_history(self) -> None:
        do_end_series(self.cast.marco_user, self.series)
        self.series.refresh_from_db()
        self.assertFalse(self.series.active)
