"""The check pages: the list with statuses, starting a check, ranking, closing."""

from __future__ import annotations

import pytest
from django.test import TestCase

from productops.strategy.actions import do_create_check
from productops.strategy.models import PriorityCheck, Ranking
from tests.cast import build_cast
from tests.strategy.check_story import PRIYA_Q3, build_check_story, rank, rank_q3


class EmptyList(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_a_manager_is_told_to_start_one(self) -> None:
        self.client.force_login(self.cast.marco_user)
        page = self.client.get("/strategy/checks/")
        self.assertContains(page, "No priority checks yet.")
        self.assertContains(page, 'href="/strategy/checks/new/"')

    def test_a_viewer_is_told_who_starts_one(self) -> None:
        self.client.force_login(self.cast.vera_user)
        page = self.client.get("/strategy/checks/")
        self.assertContains(page, "An admin or a manager starts one")
        self.assertNotContains(page, 'href="/strategy/checks/new/"')


class CheckPages(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast
        cls.check = cls.story.q3
        cls.ids = list(cls.check.priorities.values_list("pk", flat=True))
        cls.url = f"/strategy/checks/{cls.check.pk}/"

    def post_ranks(self, *values, user=None):
        self.client.force_login(user or self.cast.priya_user)
        data = {f"rank-{pk}": value for pk, value in zip(self.ids, values, strict=False)}
        return self.client.post(f"{self.url}rank/", data)

    def test_the_list_shows_each_status(self) -> None:
        self.client.force_login(self.cast.priya_user)
        page = self.client.get("/strategy/checks/")
        self.assertContains(page, "waiting for 2 of 2")
        self.assertContains(page, "your ranking is due")
        self.assertContains(page, "complete")  # Q2
        rank(self.cast.priya_user, self.check, PRIYA_Q3)
        page = self.client.get("/strategy/checks/")
        self.assertContains(page, "waiting for 1 of 2")
        self.assertNotContains(page, "your ranking is due")
        PriorityCheck.objects.filter(pk=self.check.pk).update(closed=True)
        self.assertContains(self.client.get("/strategy/checks/"), "closed")

    def test_a_manager_starts_a_check(self) -> None:
        self.client.force_login(self.cast.marco_user)
        self.assertEqual(self.client.get("/strategy/checks/new/").status_code, 200)
        response = self.client.post(
            "/strategy/checks/new/",
            {
                "title": "Q4 priorities",
                "priorities": "Partner API\r\nData export\r\nBilling\r\n",
                "participants": [self.cast.hana_user.pk, self.cast.paul_user.pk],
                "previous": "latest",
            },
        )
        check = PriorityCheck.objects.get(title="Q4 priorities")
        self.assertRedirects(response, f"/strategy/checks/{check.pk}/")
        self.assertEqual(check.previous, self.story.q2)
        self.assertEqual(check.priorities.count(), 3)

    def test_starting_a_check_says_what_to_fix(self) -> None:
        self.client.force_login(self.cast.marco_user)
        response = self.client.post(
            "/strategy/checks/new/",
            {
                "title": "Q4",
                "priorities": "Billing\nbilling\nAPI",
                "participants": [self.cast.hana_user.pk],
                "previous": "none",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Each priority once: “Billing” appears twice.")
        self.assertContains(response, "Choose at least two people")
        self.assertFalse(PriorityCheck.objects.filter(title="Q4").exists())

    def test_members_and_viewers_may_not_start_a_check(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            self.assertEqual(self.client.get("/strategy/checks/new/").status_code, 403)
            self.assertEqual(self.client.post("/strategy/checks/new/", {}).status_code, 403)

    def test_ranking_with_numbers_and_ties(self) -> None:
        response = self.post_ranks("1", "1", "2", "4", "5")
        self.assertRedirects(response, self.url)
        ranking = Ranking.objects.get(priority_check=self.check, author=self.cast.priya_user)
        self.assertEqual(
            list(ranking.entries.order_by("priority__position").values_list("rank", flat=True)),
            [1, 1, 2, 4, 5],
        )
        page = self.client.get(self.url)
        self.assertContains(page, "Your ranking")
        self.assertNotContains(page, "Submit my ranking")
        self.assertContains(page, "Results appear once at least two people have ranked")

    def test_missing_and_out_of_range_ranks_are_marked(self) -> None:
        response = self.post_ranks("1", "", "0", "abc")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Give every priority a rank from 1 to 5")
        self.assertContains(response, "Give “Mobile checkout” a rank from 1 to 5.")
        self.assertContains(response, "“Pricing page” has the rank 0")
        self.assertContains(response, "“Search relevance” has the rank abc")
        self.assertContains(response, "Give “Onboarding” a rank from 1 to 5.")
        self.assertContains(response, 'value="1"')  # what was typed stays
        self.assertFalse(Ranking.objects.filter(priority_check=self.check).exists())

    def test_a_second_submission_is_refused(self) -> None:
        self.post_ranks(1, 2, 3, 4, 5)
        response = self.post_ranks(5, 4, 3, 2, 1)
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        page = self.client.get(self.url)
        self.assertContains(page, "a ranking is final and cannot be changed")
        entries = Ranking.objects.get(author=self.cast.priya_user, priority_check=self.check)
        self.assertEqual(entries.entries.get(priority_id=self.ids[0]).rank, 1)

    def test_only_participants_rank(self) -> None:
        for user in (self.cast.marco_user, self.story.ada_user, self.cast.vera_user):
            self.assertEqual(self.post_ranks(1, 2, 3, 4, 5, user=user).status_code, 403)
        self.assertFalse(Ranking.objects.filter(priority_check=self.check).exists())

    def test_closing(self) -> None:
        self.client.force_login(self.cast.priya_user)
        self.assertNotContains(self.client.get(self.url), "Close the check")
        self.assertEqual(self.client.post(f"{self.url}close/").status_code, 403)
        self.client.force_login(self.cast.marco_user)
        self.assertContains(self.client.get(self.url), "Close the check")
        self.assertRedirects(self.client.post(f"{self.url}close/"), self.url)
        self.check.refresh_from_db()
        self.assertTrue(self.check.closed)
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(self.url)
        self.assertContains(page, "This check closed before you ranked")
        self.assertNotContains(page, "Submit my ranking")

    def test_an_unknown_check_is_not_found(self) -> None:
        self.client.force_login(self.cast.hana_user)
        self.assertEqual(self.client.get("/strategy/checks/99999/").status_code, 404)
        self.assertEqual(self.client.post("/strategy/checks/99999/rank/").status_code, 404)


@pytest.mark.django_db
def test_the_list_costs_the_same_for_many_checks(client, django_assert_max_num_queries) -> None:
    cast = build_cast()
    people = [cast.hana_user, cast.marco_user]
    for n in range(55):
        do_create_check(
            cast.marco_user,
            title=f"Check {n}",
            priorities=[f"A{n}", f"B{n}", f"C{n}"],
            participants=people,
            previous=None,
        )
    client.force_login(cast.vera_user)
    with django_assert_max_num_queries(8):
        page = client.get("/strategy/checks/")
    assert page.content.decode().count("waiting for 2 of 2") == 50
    second = client.get("/strategy/checks/?page=2")
    assert second.content.decode().count("waiting for 2 of 2") == 5


@pytest.mark.django_db
def test_the_check_page_costs_the_same_for_thirty_priorities(
    client, django_assert_max_num_queries
) -> None:
    cast = build_cast()
    check = do_create_check(
        cast.marco_user,
        title="Big",
        priorities=[f"Priority {n}" for n in range(30)],
        participants=[cast.hana_user, cast.priya_user],
        previous=None,
    )
    rank(cast.hana_user, check, list(range(1, 31)))
    rank(cast.priya_user, check, list(range(30, 0, -1)))
    client.force_login(cast.hana_user)
    with django_assert_max_num_queries(25):
        page = client.get(f"/strategy/checks/{check.pk}/")
    assert "no agreement or opposite views" in page.content.decode()


@pytest.mark.django_db
def test_three_people_see_every_pair_in_plain_words(client) -> None:
    story = build_check_story()
    rank_q3(story)
    cast = story.cast
    check = do_create_check(
        cast.marco_user,
        title="Three",
        priorities=["Enterprise SSO", "Data export", "Hiring"],
        participants=[cast.marco_user, cast.paul_user, story.ada_user],
    )
    assert check.previous == story.q3  # shares Enterprise SSO
    rank(cast.marco_user, check, [1, 2, 3])
    rank(cast.paul_user, check, [1, 2, 3])
    rank(story.ada_user, check, [3, 2, 1])
    # an admin who took part sees every ranking, and so every pair
    client.force_login(story.ada_user)
    html = client.get(f"/strategy/checks/{check.pk}/").content.decode()
    assert "Marco Manager and Paul PM" in html
    assert "strong agreement" in html  # Marco and Paul: 1.0
    # the viewer sees the agreement only: no pair, no name
    client.force_login(cast.vera_user)
    html = client.get(f"/strategy/checks/{check.pk}/").content.decode()
    assert "Marco Manager" not in html and "Paul PM" not in html
    assert "strong agreement" not in html
    assert "no agreement or opposite views" in html  # the mean: -1/3, and with Ada
    assert "the mean of every pair" in html
    # nobody of Q3's pair took part here: the means are compared
    assert "as the mean of every pair (not the same people both times)" in html
    assert "went from 0.60 to -0.33 (<strong>-0.93</strong>)" in html
