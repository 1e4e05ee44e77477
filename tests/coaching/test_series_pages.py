"""Starting a series from the page, ending and restarting it, and the list's rows."""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from productops.coaching.actions import (
    do_add_action,
    do_create_series,
    do_mark_held,
    do_schedule_one_on_one,
)
from productops.coaching.models import OneOnOneSeries
from tests.cast import build_cast
from tests.coaching.one_on_one_cast import days


class StartingFromThePage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def post(self, user, **data):
        self.client.force_login(user)
        form = {
            "kind": "manager",
            "cadence": "fortnightly",
            "duration_minutes": 45,
            "start_date": days(0).isoformat(),
            **data,
        }
        return self.client.post(reverse("coaching:series_new"), form)

    def test_a_manager_picks_from_the_people_they_see(self) -> None:
        c = self.cast
        self.client.force_login(c.marco_user)
        page = self.client.get(reverse("coaching:series_new"))
        self.assertContains(page, "Paul PM")
        self.assertNotContains(page, "Otto Outsider")
        response = self.post(c.marco_user, lead=c.marco.pk, report=c.paul.pk)
        series = OneOnOneSeries.objects.get(lead=c.marco, report=c.paul)
        self.assertRedirects(response, reverse("coaching:series_detail", args=[series.pk]))
        self.assertEqual((series.cadence, series.duration_minutes), ("fortnightly", 45))

    def test_refusals_come_back_as_sentences_on_the_form(self) -> None:
        c = self.cast
        response = self.post(c.marco_user, lead=c.marco.pk, report=c.hana.pk)
        self.assertContains(
            response, "is not in Marco Manager&#x27;s reporting chain", status_code=422
        )
        response = self.post(c.marco_user, lead=c.marco.pk, report=c.otto.pk)
        self.assertContains(response, "Select a valid choice", status_code=422)
        response = self.post(c.marco_user, lead=c.marco.pk, report=c.priya.pk, duration_minutes=5)
        self.assertContains(response, "between 10 and 240 minutes", status_code=422)
        self.assertFalse(OneOnOneSeries.objects.exists())

    def test_a_member_leads_only_their_own_series(self) -> None:
        c = self.cast
        response = self.post(c.priya_user, lead=c.marco.pk, report=c.paul.pk, kind="coach")
        self.assertEqual(response.status_code, 422)
        # Dana is on Priya's team, so Priya sees her in the directory and may coach her.
        self.post(c.priya_user, lead=c.priya.pk, report=c.dana.pk, kind="coach")
        self.assertTrue(OneOnOneSeries.objects.filter(lead=c.priya, report=c.dana).exists())

    def test_an_admin_chooses_the_lead(self) -> None:
        c = self.cast
        self.client.force_login(c.hana_user)
        self.assertContains(self.client.get(reverse("coaching:series_new")), 'name="lead"')
        self.post(c.hana_user, lead=c.marco.pk, report=c.priya.pk)
        self.assertTrue(OneOnOneSeries.objects.filter(lead=c.marco, report=c.priya).exists())


class EndingAndTheList(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = c = build_cast()
        cls.series = do_create_series(
            c.marco_user,
            lead=c.marco,
            report=c.priya,
            kind="manager",
            cadence="weekly",
            duration_minutes=30,
            start_date=days(-30),
        )
        held = do_schedule_one_on_one(c.marco_user, cls.series, date=days(-7))
        do_add_action(c.marco_user, held, owner=c.priya, text="Survey")
        do_mark_held(c.marco_user, held)
        do_schedule_one_on_one(c.marco_user, cls.series, date=days(3))

    def test_the_list_shows_last_held_next_planned_and_open_actions(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.get(reverse("coaching:series_list"))
        self.assertContains(response, days(-7).isoformat())
        self.assertContains(response, days(3).isoformat())
        self.assertContains(response, '<td class="num">1</td>')

    def test_ending_and_restarting(self) -> None:
        self.client.force_login(self.cast.marco_user)
        url = reverse("coaching:series_end", args=[self.series.pk])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "Ended the series")
        self.assertContains(response, "Restart the series")
        self.assertNotContains(response, "Next 1:1")
        self.series.refresh_from_db()
        self.assertFalse(self.series.active)
        list_page = self.client.get(reverse("coaching:series_list"))
        self.assertContains(list_page, "(ended)")
        response = self.client.post(url, {"restart": "1"}, follow=True)
        self.assertContains(response, "Next 1:1")
        self.series.refresh_from_db()
        self.assertTrue(self.series.active)
