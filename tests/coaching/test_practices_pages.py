"""The practice library pages, opened by each member of the cast."""

from __future__ import annotations

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productops.coaching.actions import do_load_builtin_practices, do_set_practice_active
from productops.coaching.models import Practice
from productops.competencies.actions import do_load_builtin_models
from tests.cast import build_cast

INTERVIEWS = "Run one customer interview a week with your trio and share the notes"
REFUSED = "Only an admin can change the practice library."


class BrowsingByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_models()
        do_load_builtin_practices()
        cls.retired = Practice.objects.get(
            competency_key="discovery",
            title="Keep an opportunity map for your team's outcome and review it monthly",
        )
        do_set_practice_active(cls.cast.hana_user, cls.retired, False)

    def open(self, user, **query):
        self.client.force_login(user)
        return self.client.get(reverse("coaching:practices"), query)

    def titles(self, response) -> list[str]:
        return [p.title for group in response.context["groups"] for p in group.practices]

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get(reverse("coaching:practices"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_every_role_browses_the_active_practices(self) -> None:
        for user in (self.cast.marco_user, self.cast.priya_user, self.cast.vera_user):
            response = self.open(user, competency="discovery")
            self.assertEqual(response.status_code, 200, user)
            self.assertContains(response, INTERVIEWS)
            self.assertNotContains(response, self.retired.title)
            self.assertNotContains(response, "Add a practice")
            self.assertNotContains(response, "Deactivate")
            self.assertNotIn("status", response.context["form"].fields)

    def test_a_shared_competency_names_every_model_that_has_it(self) -> None:
        response = self.open(self.cast.priya_user, competency="discovery")
        self.assertContains(
            response, "In Engineering lead, Product design, Product management toolkit."
        )

    def test_hana_sees_deactivated_practices_when_she_asks_and_can_edit(self) -> None:
        response = self.open(self.cast.hana_user, competency="discovery")
        self.assertNotIn(self.retired.title, self.titles(response))
        self.assertContains(response, "Add a practice")
        interviews = Practice.objects.get(competency_key="discovery", title=INTERVIEWS)
        self.assertContains(response, reverse("coaching:practice_edit", args=[interviews.pk]))
        response = self.open(self.cast.hana_user, competency="discovery", status="inactive")
        self.assertEqual(self.titles(response), [self.retired.title])
        self.assertContains(response, "Reactivate")
        self.assertContains(response, "deactivated")

    def test_filters_by_kind_effort_and_model(self) -> None:
        response = self.open(self.cast.priya_user, kind="reading", effort="low")
        practices = [p for group in response.context["groups"] for p in group.practices]
        self.assertTrue(practices)
        self.assertEqual({(p.kind, p.effort) for p in practices}, {("reading", "low")})

        response = self.open(self.cast.priya_user, model="product-design")
        keys = [group.key for group in response.context["groups"]]
        # The design model's own order: craft first, then user insight, then the rest.
        self.assertEqual(
            keys[:4], ["interaction-design", "visual-design", "prototyping", "discovery"]
        )
        self.assertNotIn("prioritization", keys)
        self.assertIn("team-leadership", keys)

    def test_a_bad_filter_value_is_explained_and_left_out(self) -> None:
        response = self.open(self.cast.priya_user, competency="discovery", kind="telepathy")
        self.assertContains(response, "This filter was left out.")
        self.assertIn(INTERVIEWS, self.titles(response))

    def test_filters_that_match_nothing_say_what_to_do(self) -> None:
        response = self.open(self.cast.priya_user, competency="accessibility", kind="mentoring")
        self.assertContains(response, "No practice matches these filters. Clear one of them")
        response = self.open(self.cast.hana_user, competency="accessibility", kind="mentoring")
        self.assertContains(response, "add a practice")
        self.assertContains(response, "?competency=accessibility")

    def test_htmx_filtering_returns_only_the_results(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.get(
            reverse("coaching:practices"), {"competency": "delivery"}, HTTP_HX_REQUEST="true"
        )
        self.assertNotContains(response, "<h1>")
        self.assertContains(response, 'id="competency-delivery"')

    def test_the_list_is_paginated(self) -> None:
        response = self.open(self.cast.priya_user)
        self.assertEqual(response.context["page"].paginator.num_pages, 3)
        self.assertContains(response, "Page 1 of 3")
        second = self.open(self.cast.priya_user, page=2)
        self.assertEqual(len(second.context["page"].object_list), 50)


class EmptyLibrary(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_an_empty_library_tells_each_role_what_to_do_next(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(reverse("coaching:practices"))
        self.assertContains(response, "The practice library is empty.")
        self.assertContains(response, "productops load-builtin-practices")
        self.assertContains(response, "productops load-builtin-models")
        self.client.force_login(self.cast.paul_user)
        response = self.client.get(reverse("coaching:practices"))
        self.assertContains(response, "An admin can load the practices that ship with productops")
        self.assertNotContains(response, "load-builtin-practices")


class EditingByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_models()
        do_load_builtin_practices()
        cls.interviews = Practice.objects.get(competency_key="discovery", title=INTERVIEWS)

    def test_only_hana_opens_the_edit_pages_others_get_a_sentence(self) -> None:
        pages = [
            reverse("coaching:practice_new"),
            reverse("coaching:practice_edit", args=[self.interviews.pk]),
        ]
        for user in (self.cast.marco_user, self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            for url in pages:
                response = self.client.get(url)
                self.assertEqual(response.status_code, 403, (user, url))
                self.assertContains(response, REFUSED, status_code=403)
            response = self.client.post(
                reverse("coaching:practice_toggle", args=[self.interviews.pk])
            )
            self.assertEqual(response.status_code, 403)
        self.interviews.refresh_from_db()
        self.assertTrue(self.interviews.active)

    def test_hana_adds_a_practice_for_a_competency(self) -> None:
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(reverse("coaching:practice_new"), {"competency": "delivery"})
        self.assertEqual(response.context["form"].initial["competency_key"], "delivery")
        response = self.client.post(
            reverse("coaching:practice_new"),
            {
                "competency_key": "delivery",
                "title": "Demo to a customer at the end of every sprint",
                "description": "Show what shipped and ask what they would change.",
                "kind": "on_the_job",
                "effort": "low",
            },
        )
        practice = Practice.objects.get(title="Demo to a customer at the end of every sprint")
        self.assertRedirects(
            response,
            reverse("coaching:practices") + f"?competency=delivery#practice-{practice.pk}",
            fetch_redirect_response=False,
        )
        self.assertFalse(practice.built_in)
        self.assertEqual(practice.shipped_title, "")

    def test_mistakes_come_back_on_the_form_and_nothing_is_saved(self) -> None:
        self.client.force_login(self.cast.hana_user)
        count = Practice.objects.count()
        response = self.client.post(
            reverse("coaching:practice_new"),
            {
                "competency_key": "discovery",
                "title": INTERVIEWS.upper(),
                "kind": "reading",
                "effort": "low",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "discovery already has a practice called")
        response = self.client.post(
            reverse("coaching:practice_new"),
            {
                "competency_key": "astrology",
                "title": "Read the stars",
                "kind": "book",
                "effort": "low",
            },
        )
        self.assertEqual(set(response.context["form"].errors), {"competency_key", "kind"})
        self.assertEqual(Practice.objects.count(), count)

    def test_hana_edits_a_built_in_practice_and_is_told_her_edit_is_kept(self) -> None:
        self.client.force_login(self.cast.hana_user)
        url = reverse("coaching:practice_edit", args=[self.interviews.pk])
        response = self.client.get(url)
        self.assertContains(response, "Your changes are kept")
        self.assertTrue(response.context["form"].fields["competency_key"].disabled)
        self.assertEqual(response.context["form"].initial["title"], INTERVIEWS)
        response = self.client.post(
            url,
            {
                "competency_key": "discovery",
                "title": "Interview a customer every week as a trio",
                "description": "Tuesdays at 10.",
                "kind": "on_the_job",
                "effort": "medium",
            },
        )
        self.assertEqual(response.status_code, 302)
        do_load_builtin_practices()
        self.interviews.refresh_from_db()
        self.assertEqual(self.interviews.title, "Interview a customer every week as a trio")
        self.assertEqual(self.interviews.description, "Tuesdays at 10.")
        self.assertFalse(Practice.objects.filter(title=INTERVIEWS).exists())

    def test_hana_toggles_a_practice_with_htmx_and_without(self) -> None:
        self.client.force_login(self.cast.hana_user)
        url = reverse("coaching:practice_toggle", args=[self.interviews.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url, HTTP_HX_REQUEST="true")
        self.assertContains(response, f'id="practice-{self.interviews.pk}"')
        self.assertContains(response, "Reactivate")
        self.assertNotContains(response, "<h1>")
        self.interviews.refresh_from_db()
        self.assertFalse(self.interviews.active)
        response = self.client.post(url)
        self.assertRedirects(
            response,
            reverse("coaching:practices")
            + f"?competency=discovery&status=all#practice-{self.interviews.pk}",
            fetch_redirect_response=False,
        )
        self.interviews.refresh_from_db()
        self.assertTrue(self.interviews.active)

    def test_unknown_practices_are_404_for_hana(self) -> None:
        self.client.force_login(self.cast.hana_user)
        self.assertEqual(
            self.client.get(reverse("coaching:practice_edit", args=[999999])).status_code, 404
        )


class BrowsePageCost(TestCase):
    """The browse page for 600 practices costs the queries of the page for 30."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        do_load_builtin_models()

    def build(self, per_competency: int) -> None:
        Practice.objects.all().delete()
        keys = [
            "discovery",
            "delivery",
            "communication",
            "prioritization",
            "accessibility",
            "own-key",
        ]
        Practice.objects.bulk_create(
            Practice(
                competency_key=key,
                title=f"Practice {n} of {key}",
                kind=("on_the_job", "reading")[n % 2],
                effort="low",
                active=n % 7 != 0,
            )
            for key in keys
            for n in range(per_competency)
        )

    def cost(self, user, **query) -> int:
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("coaching:practices"), query)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_query_count_does_not_grow_with_practices(self) -> None:
        for user, query in [
            (self.cast.hana_user, {"status": "all"}),
            (self.cast.priya_user, {}),
            (self.cast.vera_user, {"model": "pm-toolkit", "kind": "reading"}),
        ]:
            self.build(5)
            small = self.cost(user, **query)
            self.build(100)
            large = self.cost(user, **query)
            self.assertEqual(small, large, (user, query))
