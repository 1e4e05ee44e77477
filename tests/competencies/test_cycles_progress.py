"""Cycle progress: completion per subject and rater kind, overdue requests, the overview."""

from __future__ import annotations

import datetime

from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from productops.competencies.actions import do_close_cycle, do_decide_nomination, do_nominate_peer
from productops.competencies.models import AssessmentRequest
from productops.competencies.progress import (
    Completion,
    RequestFacts,
    completion,
    completion_by_kind,
    completion_by_subject,
    completion_from_counts,
    is_overdue,
    load_cycle_progress,
)
from tests.competencies.cycle_cast import answer_all, build_cycle_cast, in_days

Status = AssessmentRequest.Status
TODAY = datetime.date(2025, 6, 10)


class CompletionArithmetic(SimpleTestCase):
    def test_nominations_and_declines_are_owed_by_nobody(self) -> None:
        facts = [
            RequestFacts(1, "self", Status.SUBMITTED),
            RequestFacts(1, "manager", Status.DRAFT),
            RequestFacts(1, "peer", Status.PENDING),
            RequestFacts(1, "peer", Status.NOMINATED),
            RequestFacts(1, "peer", Status.DECLINED),
            RequestFacts(2, "self", Status.SUBMITTED),
            RequestFacts(2, "peer", Status.SUBMITTED),
        ]
        self.assertEqual(completion(facts), Completion(submitted=3, total=5))
        self.assertEqual(completion_by_subject(facts), {1: Completion(1, 3), 2: Completion(2, 2)})
        self.assertEqual(
            completion_by_kind(facts),
            {"self": Completion(2, 2), "manager": Completion(0, 1), "peer": Completion(1, 2)},
        )

    def test_percentages_round_and_nothing_owed_is_zero(self) -> None:
        self.assertEqual(Completion(1, 3).percent, 33)
        self.assertEqual(Completion(2, 3).percent, 67)
        self.assertEqual(Completion(0, 0).percent, 0)
        self.assertFalse(Completion(0, 0).is_complete)
        self.assertTrue(Completion(2, 2).is_complete)
        self.assertEqual(str(Completion(1, 4)), "1 / 4")

    def test_completion_from_status_counts(self) -> None:
        counts = {Status.SUBMITTED: 4, Status.PENDING: 2, Status.NOMINATED: 7, Status.DECLINED: 1}
        self.assertEqual(completion_from_counts(counts), Completion(4, 6))

    def test_overdue_is_past_due_in_an_open_cycle_and_not_submitted(self) -> None:
        yesterday = TODAY - datetime.timedelta(days=1)
        for status, expected in [
            (Status.PENDING, True),
            (Status.DRAFT, True),
            (Status.SUBMITTED, False),
            (Status.NOMINATED, False),
            (Status.DECLINED, False),
        ]:
            self.assertEqual(
                is_overdue(status, due_date=yesterday, today=TODAY, cycle_open=True), expected
            )
        self.assertFalse(is_overdue(Status.PENDING, due_date=TODAY, today=TODAY, cycle_open=True))
        self.assertFalse(
            is_overdue(Status.PENDING, due_date=yesterday, today=TODAY, cycle_open=False)
        )


class CycleProgress(TestCase):
    """Priya: self, Marco, Paul (peer), Dana (peer). Paul: self, Marco."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cls.cast = cls.c.cast

    def by_name(self, progress) -> dict:
        return {row.subject.name: row for row in progress.subjects}

    def test_per_subject_and_per_kind(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        answer_all(self.cast.paul_user, self.c.paul_on_priya)
        answer_all(self.cast.marco_user, self.c.marco_on_paul, submit=False)
        progress = load_cycle_progress(self.c.cycle)
        rows = self.by_name(progress)
        self.assertEqual(rows["Priya PM"].overall, Completion(2, 4))
        self.assertEqual(
            rows["Priya PM"].by_kind,
            {"self": Completion(1, 1), "manager": Completion(0, 1), "peer": Completion(1, 2)},
        )
        self.assertEqual(rows["Paul PM"].overall, Completion(0, 2))
        self.assertEqual(progress.overall, Completion(2, 6))
        self.assertEqual(
            progress.kind_totals,
            [("self", Completion(1, 2)), ("manager", Completion(0, 2)), ("peer", Completion(1, 2))],
        )

    def test_declined_and_waiting_nominations_do_not_count(self) -> None:
        waiting = do_nominate_peer(
            self.cast.priya_user, self.c.cycle, self.cast.priya, self.cast.tariq
        )
        declined = do_nominate_peer(
            self.cast.paul_user, self.c.cycle, self.cast.paul, self.cast.otto
        )
        do_decide_nomination(self.cast.marco_user, declined, approve=False)
        progress = load_cycle_progress(self.c.cycle)
        rows = self.by_name(progress)
        self.assertEqual(rows["Priya PM"].overall.total, 4)
        self.assertEqual(rows["Paul PM"].overall.total, 2)
        self.assertEqual(progress.nominations, [waiting])

    def test_only_the_subjects_asked_for(self) -> None:
        progress = load_cycle_progress(self.c.cycle, subject_ids={self.cast.paul.pk})
        self.assertEqual([row.subject.name for row in progress.subjects], ["Paul PM"])
        self.assertEqual(progress.overall, Completion(0, 2))

    def test_overdue_requests(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        answer_all(self.cast.marco_user, self.c.marco_on_paul, submit=False)
        self.c.cycle.due_date = in_days(-1)
        self.c.cycle.save()
        overdue = load_cycle_progress(self.c.cycle).overdue
        self.assertEqual(
            {(r.rater.name, r.subject.name, r.kind) for r in overdue},
            {
                ("Paul PM", "Paul PM", "self"),
                ("Marco Manager", "Paul PM", "manager"),
                ("Marco Manager", "Priya PM", "manager"),
                ("Paul PM", "Priya PM", "peer"),
                ("Dana Designer", "Priya PM", "peer"),
            },
        )
        self.assertTrue(all(r.is_overdue for r in overdue))
        do_close_cycle(self.cast.hana_user, self.c.cycle)
        self.assertEqual(load_cycle_progress(self.c.cycle).overdue, [])

    def test_a_subject_without_a_manager_rating_is_flagged(self) -> None:
        AssessmentRequest.objects.filter(pk=self.c.marco_on_paul.pk).delete()
        rows = self.by_name(load_cycle_progress(self.c.cycle))
        self.assertTrue(rows["Paul PM"].missing_manager)
        self.assertFalse(rows["Priya PM"].missing_manager)

    def test_the_cycle_page_draws_bars_without_inline_styles(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        self.client.force_login(self.cast.hana_user)
        page = self.client.get(reverse("competencies:cycle_detail", args=[self.c.cycle.pk]))
        self.assertContains(page, 'aria-label="25% submitted"')
        self.assertContains(page, '<rect width="25" height="10"></rect>', html=True)
        self.assertContains(page, "1 / 4")
        self.assertNotContains(page, "style=")

    def test_the_cycles_list_shows_completion(self) -> None:
        answer_all(self.cast.priya_user, self.c.priya_self)
        self.client.force_login(self.cast.hana_user)
        page = self.client.get(reverse("competencies:cycles"))
        self.assertContains(page, "H1 review")
        self.assertContains(page, "1 / 6")
        # A member counts only what is about them.
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(reverse("competencies:cycles"))
        self.assertContains(page, "1 / 4")


class OverdueOnTheOverview(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cls.cast = cls.c.cast

    def home(self, user):
        self.client.force_login(user)
        return self.client.get(reverse("home"))

    def test_a_rater_sees_what_they_owe(self) -> None:
        page = self.home(self.cast.paul_user)
        self.assertContains(page, "You owe 2 rating requests")
        self.assertContains(page, "Your self-assessment")
        self.assertContains(page, "Peer rating of Priya PM")
        self.assertNotContains(page, "overdue")

    def test_overdue_requests_come_first_and_are_marked(self) -> None:
        later = build_later_cycle(self.c)
        self.c.cycle.due_date = in_days(-3)
        self.c.cycle.save()
        page = self.home(self.cast.marco_user)
        self.assertContains(
            page, 'You owe 3 rating requests, <strong class="error">2 overdue</strong>', html=False
        )
        owed = page.context["assessments_owed"]
        self.assertEqual([r.cycle for r in owed], [self.c.cycle, self.c.cycle, later])
        self.assertContains(page, '<span class="badge critical">overdue</span>', count=2, html=True)

    def test_submitted_and_closed_are_not_owed(self) -> None:
        answer_all(self.cast.paul_user, self.c.paul_self)
        answer_all(self.cast.paul_user, self.c.paul_on_priya)
        self.assertNotContains(self.home(self.cast.paul_user), "You owe")
        do_close_cycle(self.cast.hana_user, self.c.cycle)
        self.assertNotContains(self.home(self.cast.marco_user), "You owe")

    def test_logins_without_a_person_owe_nothing(self) -> None:
        page = self.home(self.cast.vera_user)
        self.assertNotContains(page, "Assessments</h2>")

    def test_my_requests_lists_overdue_first(self) -> None:
        later = build_later_cycle(self.c)
        self.c.cycle.due_date = in_days(-3)
        self.c.cycle.save()
        self.client.force_login(self.cast.marco_user)
        page = self.client.get(reverse("competencies:my_requests"))
        self.assertEqual(
            [r.cycle for r in page.context["owed"]], [self.c.cycle, self.c.cycle, later]
        )
        self.assertContains(page, "cyc-overdue", count=2)


def build_later_cycle(c):
    """A second cycle, due in a month, asking Marco for a manager rating of Priya."""
    from productops.competencies.actions import do_open_cycle

    return do_open_cycle(
        c.cast.hana_user,
        name="Promotion check",
        version=c.version,
        subjects=[c.cast.priya],
        due_date=in_days(30),
        rater_kinds=["manager"],
    )
