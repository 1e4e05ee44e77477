"""The competency demo tells the stories it promises, on top of the demo organization."""

from __future__ import annotations

from django.test import TestCase

from productops.competencies.gap_data import load_person_gaps
from productops.competencies.models import AssessmentCycle, AssessmentRequest, RaterKind
from productops.demo.competencies import CLOSED_CYCLE, OPEN_CYCLE, build_competency_demo
from productops.demo.org import build_demo_org
from productops.org.models import Person


class CompetencyDemoStories(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = build_demo_org(150, 7)
        cls.demo = build_competency_demo(cls.org, 7)

    def gaps_of(self, person_id: int, cycle_name: str):
        cycle = AssessmentCycle.objects.get(name=cycle_name)
        return load_person_gaps(Person.objects.get(pk=person_id), cycle)

    def test_two_cycles_one_closed_one_running_late(self) -> None:
        closed = AssessmentCycle.objects.get(name=CLOSED_CYCLE)
        running = AssessmentCycle.objects.get(name=OPEN_CYCLE)
        self.assertFalse(closed.is_open)
        self.assertTrue(running.is_open)
        overdue = [r for r in running.requests.select_related("cycle") if r.is_overdue]
        self.assertGreater(len(overdue), 0)
        self.assertFalse(
            closed.requests.exclude(status=AssessmentRequest.Status.SUBMITTED).exists()
        )
        self.assertEqual(self.demo.models, 4)

    def test_the_pm_managed_from_sales_is_far_below_expectations_in_discovery(self) -> None:
        gaps = self.gaps_of(self.org.sales_led_pm_id, OPEN_CYCLE)
        discovery = next(row for row in gaps.rows if "discovery" in row.key)
        self.assertGreaterEqual(discovery.gap, 1.5)
        self.assertIn(discovery.key, [row.key for row in gaps.top_gaps])

    def test_the_pm_spread_thin_has_blind_spots(self) -> None:
        gaps = self.gaps_of(self.org.spread_pm_id, OPEN_CYCLE)
        self.assertGreaterEqual(len(gaps.blind_spots), 3)

    def test_the_member_pm_had_hidden_strengths_and_owes_a_self_assessment(self) -> None:
        gaps = self.gaps_of(self.org.member_pm_id, CLOSED_CYCLE)
        self.assertGreaterEqual(len(gaps.hidden_strengths), 3)
        own = AssessmentRequest.objects.get(
            cycle__name=OPEN_CYCLE, subject_id=self.org.member_pm_id, kind=RaterKind.SELF
        )
        self.assertEqual(own.status, AssessmentRequest.Status.PENDING)

    def test_one_pm_has_too_few_peers_for_a_peer_mean(self) -> None:
        cycle = AssessmentCycle.objects.get(name=CLOSED_CYCLE)
        peers_per_subject = {}
        for request in cycle.requests.filter(kind=RaterKind.PEER):
            peers_per_subject[request.subject_id] = peers_per_subject.get(request.subject_id, 0) + 1
        few = [pk for pk, count in peers_per_subject.items() if count < 3]
        self.assertEqual(len(few), 1)
        gaps = self.gaps_of(few[0], CLOSED_CYCLE)
        self.assertTrue(all(row.peer_mean is None for row in gaps.rows))

    def test_the_same_seed_builds_the_same_ratings(self) -> None:
        first = list(
            AssessmentRequest.objects.order_by("pk").values_list("subject__email", "kind", "status")
        )
        self.assertGreater(len(first), 50)
        self.assertEqual(self.demo.requests, len(first))
