"""Answering a request: drafts, validation, submitting, the lock, and reopening with a reason."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from productops.competencies.actions import (
    do_close_cycle,
    do_reopen_request,
    do_save_ratings,
    do_submit_request,
)
from productops.competencies.models import AssessmentRequest, Rating, Reopening
from tests.competencies.cycle_cast import KEYS, answer_all, build_cycle_cast, in_days
from tests.competencies.factories import make_model_version

Status = AssessmentRequest.Status


def stored(request: AssessmentRequest) -> dict[str, tuple]:
    return {
        r.competency_key: (r.score, r.not_observed, r.evidence)
        for r in Rating.objects.filter(request=request)
    }


class Drafts(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cls.cast = cls.c.cast

    def test_a_draft_keeps_what_was_given(self) -> None:
        do_save_ratings(
            self.cast.priya_user,
            self.c.priya_self,
            {"discovery": (4, False, "Ran 6 interviews"), "delivery": (None, True, "")},
        )
        self.c.priya_self.refresh_from_db()
        self.assertEqual(self.c.priya_self.status, Status.DRAFT)
        self.assertEqual(
            stored(self.c.priya_self),
            {"discovery": (4, False, "Ran 6 interviews"), "delivery": (None, True, "")},
        )

    def test_saving_one_competency_leaves_the_others(self) -> None:
        do_save_ratings(self.cast.priya_user, self.c.priya_self, {"discovery": (4, False, "a")})
        do_save_ratings(self.cast.priya_user, self.c.priya_self, {"strategy": (2, False, "b")})
        do_save_ratings(self.cast.priya_user, self.c.priya_self, {"discovery": (5, False, "c")})
        self.assertEqual(
            stored(self.c.priya_self),
            {"discovery": (5, False, "c"), "strategy": (2, False, "b")},
        )

    def test_scores_must_be_on_the_scale(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            do_save_ratings(
                self.cast.priya_user,
                self.c.priya_self,
                {
                    "discovery": (6, False, ""),
                    "delivery": (3, True, ""),
                    "negotiation": (3, False, ""),
                },
            )
        problems = raised.exception.message_dict
        self.assertEqual(
            problems["discovery"],
            ["Discovery: 6 is not on the scale; choose one of 1, 2, 3, 4, 5."],
        )
        self.assertEqual(
            problems["delivery"], ["Delivery: choose a score or 'not observed', not both."]
        )
        self.assertIn(
            "'negotiation' is not a competency of Test PM model v1", problems["negotiation"][0]
        )
        self.assertEqual(stored(self.c.priya_self), {})

    def test_evidence_has_a_sane_length(self) -> None:
        with self.assertRaisesMessage(ValidationError, "keep it under 10,000"):
            do_save_ratings(
                self.cast.priya_user, self.c.priya_self, {"discovery": (3, False, "x" * 10_001)}
            )

    def test_only_the_rater_answers(self) -> None:
        for user in (self.cast.marco_user, self.cast.hana_user, self.cast.paul_user):
            with self.assertRaisesMessage(PermissionDenied, "Only Priya PM answers this request"):
                do_save_ratings(user, self.c.priya_self, {"discovery": (3, False, "")})

    def test_a_nomination_is_answered_only_once_approved(self) -> None:
        self.c.dana_on_priya.status = Status.NOMINATED
        self.c.dana_on_priya.save()
        with self.assertRaisesMessage(ValidationError, "awaits the approval of Priya PM's manager"):
            answer_all(self.c.dana_user, self.c.dana_on_priya)

    def test_a_closed_cycle_takes_no_answers(self) -> None:
        do_close_cycle(self.cast.hana_user, self.c.cycle)
        self.c.priya_self.refresh_from_db()
        with self.assertRaisesMessage(
            ValidationError, "is closed; its ratings can no longer change"
        ):
            answer_all(self.cast.priya_user, self.c.priya_self)


class SubmittingAndReopening(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cls.cast = cls.c.cast

    def test_submitting_needs_every_competency_answered(self) -> None:
        do_save_ratings(self.cast.priya_user, self.c.priya_self, {"discovery": (4, False, "")})
        with self.assertRaisesMessage(
            ValidationError,
            "Rate every competency or mark it not observed before submitting. Still open: "
            "Delivery, Strategy.",
        ):
            do_submit_request(self.cast.priya_user, self.c.priya_self)
        self.c.priya_self.refresh_from_db()
        self.assertEqual(self.c.priya_self.status, Status.DRAFT)

    def test_not_observed_counts_as_an_answer(self) -> None:
        do_save_ratings(
            self.cast.priya_user,
            self.c.priya_self,
            {key: (None, True, "") for key in KEYS},
        )
        do_submit_request(self.cast.priya_user, self.c.priya_self)
        self.assertEqual(self.c.priya_self.status, Status.SUBMITTED)

    def test_submitted_ratings_are_locked(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self, score=4)
        self.c.priya_self.refresh_from_db()
        self.assertEqual(self.c.priya_self.status, Status.SUBMITTED)
        self.assertIsNotNone(self.c.priya_self.submitted_at)
        with self.assertRaisesMessage(
            ValidationError,
            "and are locked. If something needs to change, ask Priya PM's manager to reopen "
            "them with a reason.",
        ):
            do_save_ratings(self.cast.priya_user, self.c.priya_self, {"discovery": (1, False, "")})
        with self.assertRaisesMessage(ValidationError, "are locked"):
            do_submit_request(self.cast.priya_user, self.c.priya_self)
        self.assertEqual(stored(self.c.priya_self)["discovery"][0], 4)

    def test_a_manager_reopens_with_a_reason_that_is_recorded(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        reopening = do_reopen_request(
            self.cast.marco_user, self.c.priya_self, "  Discovery evidence is from last year  "
        )
        self.c.priya_self.refresh_from_db()
        self.assertEqual(self.c.priya_self.status, Status.DRAFT)
        self.assertIsNone(self.c.priya_self.submitted_at)
        self.assertEqual(reopening.reason, "Discovery evidence is from last year")
        self.assertEqual(reopening.by, self.cast.marco_user)
        self.assertEqual(list(self.c.priya_self.reopenings.all()), [reopening])
        # The answers stay, for the rater to change and submit again.
        do_save_ratings(self.cast.priya_user, self.c.priya_self, {"discovery": (2, False, "new")})
        do_submit_request(self.cast.priya_user, self.c.priya_self)
        self.assertEqual(stored(self.c.priya_self)["strategy"][0], 3)

    def test_a_reason_is_required(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        with self.assertRaisesMessage(ValidationError, "Say why the ratings are reopened"):
            do_reopen_request(self.cast.marco_user, self.c.priya_self, "   ")
        self.assertFalse(Reopening.objects.exists())

    def test_only_managers_and_admins_reopen(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        for user in (self.cast.priya_user, self.cast.paul_user, self.c.dana_user):
            with self.assertRaisesMessage(
                PermissionDenied, "Only Priya PM's manager or an admin can reopen"
            ):
                do_reopen_request(user, self.c.priya_self, "please")
        do_reopen_request(self.cast.hana_user, self.c.priya_self, "Admin check")

    def test_only_submitted_ratings_are_reopened(self) -> None:
        with self.assertRaisesMessage(
            ValidationError, "Only submitted ratings can be reopened; these are not started."
        ):
            do_reopen_request(self.cast.marco_user, self.c.priya_self, "why")

    def test_old_cycles_keep_their_model_version(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        make_model_version(number=2, keys=("discovery", "coaching"))
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(reverse("competencies:request_rate", args=[self.c.priya_self.pk]))
        self.assertContains(page, "Test PM model v1")
        self.assertContains(page, "Strategy")
        self.assertNotContains(page, 'id="competency-coaching"')


class TheRatingPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cls.cast = cls.c.cast

    def url(self, name: str = "competencies:request_rate", request=None) -> str:
        return reverse(name, args=[(request or self.c.priya_self).pk])

    def form(self, **answers) -> dict[str, str]:
        data = {}
        for key in KEYS:
            score, evidence = answers.get(key, ("", ""))
            data[f"score-{key}"] = score
            data[f"evidence-{key}"] = evidence
        return data

    def test_each_competency_shows_the_steps_and_what_they_mean(self) -> None:
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(self.url())
        self.assertContains(page, "Your self-assessment")
        self.assertContains(page, "<h2>Core</h2>", html=True)
        self.assertContains(page, "4 · Step 4")
        self.assertContains(page, "discovery 4")  # the competency's descriptor of step 4
        self.assertContains(page, 'value="na"')
        self.assertContains(page, 'name="evidence-strategy"')
        self.assertContains(page, "Save draft")
        self.assertContains(page, "Submit")
        self.assertNotContains(page, "style=")

    def test_save_a_draft_then_submit(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.post(
            self.url(), self.form(discovery=("4", "Weekly interviews")), follow=True
        )
        self.assertContains(response, "Draft saved")
        self.assertContains(response, "1 of 3 answered")
        self.assertEqual(stored(self.c.priya_self), {"discovery": (4, False, "Weekly interviews")})
        response = self.client.post(
            self.url("competencies:request_submit"),
            self.form(
                discovery=("4", "Weekly interviews"), delivery=("3", ""), strategy=("na", "")
            ),
            follow=True,
        )
        self.assertRedirects(response, reverse("competencies:my_requests"))
        self.assertContains(response, "Submitted your ratings of Priya PM. They are locked now")
        self.c.priya_self.refresh_from_db()
        self.assertEqual(self.c.priya_self.status, Status.SUBMITTED)
        self.assertEqual(stored(self.c.priya_self)["strategy"], (None, True, ""))

    def test_an_incomplete_submission_is_kept_as_a_draft_and_says_what_is_missing(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.post(
            self.url("competencies:request_submit"), self.form(discovery=("2", "x"))
        )
        self.assertContains(response, "Still open: Delivery, Strategy", status_code=422)
        self.assertContains(response, "Your answers are saved as a draft", status_code=422)
        self.assertEqual(stored(self.c.priya_self), {"discovery": (2, False, "x")})

    def test_an_invalid_choice_is_shown_beside_its_competency(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.post(self.url(), self.form(discovery=("9", "")))
        self.assertContains(response, "Select a valid choice", status_code=422)
        self.assertContains(response, "cyc-has-error", status_code=422)
        self.assertEqual(stored(self.c.priya_self), {})

    def test_htmx_saves_one_competency_and_returns_only_it(self) -> None:
        self.client.force_login(self.cast.priya_user)
        data = {**self.form(discovery=("5", "Led the pricing study")), "competency": "discovery"}
        response = self.client.post(self.url(), data, HTTP_HX_REQUEST="true")
        # Only the status line: the rater's inputs in the page are left as they are.
        self.assertContains(response, "Saved as a draft.")
        self.assertNotContains(response, "<html")
        self.assertNotContains(response, "<fieldset")
        self.assertEqual(
            stored(self.c.priya_self), {"discovery": (5, False, "Led the pricing study")}
        )

    def test_htmx_on_a_locked_request_explains_the_lock(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        self.client.force_login(self.cast.priya_user)
        data = {**self.form(discovery=("1", "")), "competency": "discovery"}
        response = self.client.post(self.url(), data, HTTP_HX_REQUEST="true")
        self.assertContains(response, "are locked")
        self.assertEqual(stored(self.c.priya_self)["discovery"][0], 3)

    def test_a_submitted_request_is_shown_locked(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(self.url())
        self.assertContains(page, "and locked. If something must change, ask Priya PM")
        self.assertContains(page, "disabled")
        self.assertNotContains(page, "Save draft")
        response = self.client.post(self.url(), self.form(discovery=("1", "")))
        self.assertContains(response, "are locked", status_code=422)

    def test_the_manager_reopens_from_the_page_and_the_rater_sees_why(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        self.client.force_login(self.cast.marco_user)
        page = self.client.get(self.url())
        self.assertContains(page, "Reopen as a draft")
        empty = self.client.post(self.url("competencies:request_reopen"), {"reason": ""})
        self.assertContains(empty, "Say why the ratings are reopened", status_code=422)
        response = self.client.post(
            self.url("competencies:request_reopen"),
            {"reason": "Add evidence for strategy"},
            follow=True,
        )
        self.assertContains(response, "Reopened Priya PM")
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(self.url())
        self.assertContains(page, "Add evidence for strategy")
        self.assertContains(page, "Save draft")

    def test_a_manager_reads_a_submitted_self_assessment_without_editing_it(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        self.client.force_login(self.cast.marco_user)
        page = self.client.get(self.url())
        self.assertContains(page, "<h1>Priya PM's self-assessment</h1>", html=True)
        self.assertContains(page, "Read-only")
        self.assertNotContains(page, "Save draft")
        response = self.client.post(self.url(), self.form(discovery=("1", "")))
        self.assertContains(response, "Only Priya PM answers this request", status_code=403)
        response = self.client.post(self.url("competencies:request_submit"), {})
        self.assertEqual(response.status_code, 403)

    def test_due_dates_do_not_block_answers(self) -> None:
        self.c.cycle.due_date = in_days(-2)
        self.c.cycle.save()
        self.c.priya_self.refresh_from_db()
        answer_all(self.cast.priya_user, self.c.priya_self)
        self.assertEqual(self.c.priya_self.status, Status.SUBMITTED)
