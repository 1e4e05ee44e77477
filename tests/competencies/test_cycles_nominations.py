"""Peer nominations: the subject or their manager nominates, the manager decides."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from productops.competencies import visibility
from productops.competencies.actions import (
    do_close_cycle,
    do_decide_nomination,
    do_nominate_peer,
    do_open_cycle,
)
from productops.competencies.models import AssessmentRequest, RaterKind
from tests.cast import build_cast
from tests.competencies.cycle_cast import in_days
from tests.competencies.factories import make_model_version

Status = AssessmentRequest.Status


class Nominations(TestCase):
    """Priya and Paul are assessed in a cycle that asks for peers."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.cycle = do_open_cycle(
            cls.cast.hana_user,
            name="H1 review",
            version=make_model_version(),
            subjects=[cls.cast.priya, cls.cast.paul],
            due_date=in_days(14),
            rater_kinds=list(RaterKind.values),
        )

    def nominate(self, user, subject, peer) -> AssessmentRequest:
        return do_nominate_peer(user, self.cycle, subject, peer)

    def test_a_subjects_own_nomination_waits_for_the_manager(self) -> None:
        nomination = self.nominate(self.cast.priya_user, self.cast.priya, self.cast.dana)
        self.assertEqual(nomination.status, Status.NOMINATED)
        self.assertEqual(nomination.nominated_by, self.cast.priya)
        self.assertEqual(nomination.kind, RaterKind.PEER)
        # Dana owes nothing until Marco approves.
        self.assertFalse(
            AssessmentRequest.objects.filter(
                rater=self.cast.dana, status__in=[Status.PENDING, Status.DRAFT]
            ).exists()
        )
        do_decide_nomination(self.cast.marco_user, nomination, approve=True)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, Status.PENDING)

    def test_the_manager_may_decline(self) -> None:
        nomination = self.nominate(self.cast.priya_user, self.cast.priya, self.cast.tariq)
        do_decide_nomination(self.cast.marco_user, nomination, approve=False)
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, Status.DECLINED)
        with self.assertRaisesMessage(ValidationError, "was declined; nominate someone else"):
            self.nominate(self.cast.priya_user, self.cast.priya, self.cast.tariq)

    def test_a_managers_nomination_asks_the_peer_at_once(self) -> None:
        nomination = self.nominate(self.cast.marco_user, self.cast.priya, self.cast.paul)
        self.assertEqual(nomination.status, Status.PENDING)
        admins = self.nominate(self.cast.hana_user, self.cast.paul, self.cast.priya)
        self.assertEqual(admins.status, Status.PENDING)

    def test_a_subject_cannot_nominate_themselves_or_their_manager(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Priya PM cannot be their own peer"):
            self.nominate(self.cast.priya_user, self.cast.priya, self.cast.priya)
        with self.assertRaisesMessage(
            ValidationError, "Marco Manager is Priya PM's manager and gives the manager rating"
        ):
            self.nominate(self.cast.priya_user, self.cast.priya, self.cast.marco)
        self.assertFalse(self.cycle.requests.filter(kind=RaterKind.PEER).exists())

    def test_the_same_peer_is_not_nominated_twice(self) -> None:
        self.nominate(self.cast.priya_user, self.cast.priya, self.cast.dana)
        with self.assertRaisesMessage(ValidationError, "already nominated as a peer"):
            self.nominate(self.cast.marco_user, self.cast.priya, self.cast.dana)

    def test_only_the_subject_their_managers_and_admins_nominate(self) -> None:
        with self.assertRaisesMessage(PermissionDenied, "only for yourself"):
            self.nominate(self.cast.paul_user, self.cast.priya, self.cast.dana)

    def test_only_managers_and_admins_decide(self) -> None:
        nomination = self.nominate(self.cast.priya_user, self.cast.priya, self.cast.dana)
        for user in (self.cast.priya_user, self.cast.paul_user, self.cast.vera_user):
            with self.assertRaisesMessage(
                PermissionDenied, "Only Priya PM's manager or an admin approves"
            ):
                do_decide_nomination(user, nomination, approve=True)
        do_decide_nomination(self.cast.hana_user, nomination, approve=True)
        with self.assertRaisesMessage(ValidationError, "There is no nomination to decide here"):
            do_decide_nomination(self.cast.marco_user, nomination, approve=False)

    def test_nominees_must_be_subjects_of_the_cycle(self) -> None:
        with self.assertRaisesMessage(ValidationError, "Dana Designer is not assessed"):
            self.nominate(self.cast.hana_user, self.cast.dana, self.cast.tariq)

    def test_a_cycle_without_peers_takes_no_nominations(self) -> None:
        cycle = do_open_cycle(
            self.cast.hana_user,
            name="Self only",
            version=self.cycle.version,
            subjects=[self.cast.priya],
            due_date=in_days(3),
            rater_kinds=["self"],
        )
        with self.assertRaisesMessage(ValidationError, "does not ask for peer ratings"):
            do_nominate_peer(self.cast.priya_user, cycle, self.cast.priya, self.cast.dana)

    def test_a_closed_cycle_takes_no_nominations(self) -> None:
        nomination = self.nominate(self.cast.priya_user, self.cast.priya, self.cast.dana)
        do_close_cycle(self.cast.hana_user, self.cycle)
        self.cycle.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "is closed; nominations are no longer"):
            self.nominate(self.cast.priya_user, self.cast.priya, self.cast.tariq)
        nomination.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "is closed"):
            do_decide_nomination(self.cast.marco_user, nomination, approve=True)

    def test_nominations_await_the_subjects_own_manager(self) -> None:
        nomination = self.nominate(self.cast.priya_user, self.cast.priya, self.cast.dana)
        self.assertEqual(list(visibility.nominations_awaiting(self.cast.marco_user)), [nomination])
        self.assertEqual(list(visibility.nominations_awaiting(self.cast.priya_user)), [])
        # Hana decides for people without a manager; Priya has Marco.
        self.assertEqual(list(visibility.nominations_awaiting(self.cast.hana_user)), [])


class NominationPages(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.cycle = do_open_cycle(
            cls.cast.hana_user,
            name="H1 review",
            version=make_model_version(),
            subjects=[cls.cast.priya, cls.cast.paul],
            due_date=in_days(14),
            rater_kinds=list(RaterKind.values),
        )

    def test_a_subject_nominates_from_the_cycle_page(self) -> None:
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(reverse("competencies:cycle_detail", args=[self.cycle.pk]))
        self.assertContains(page, "Nominate a peer")
        response = self.client.post(
            reverse("competencies:nominate", args=[self.cycle.pk]),
            {"subject": self.cast.priya.pk, "peer": self.cast.dana.pk},
            follow=True,
        )
        self.assertContains(response, "Nominated Dana Designer as a peer for Priya PM")
        self.assertEqual(self.cycle.requests.get(rater=self.cast.dana).status, Status.NOMINATED)

    def test_a_refused_nomination_says_why(self) -> None:
        self.client.force_login(self.cast.priya_user)
        response = self.client.post(
            reverse("competencies:nominate", args=[self.cycle.pk]),
            {"subject": self.cast.priya.pk, "peer": self.cast.marco.pk},
            follow=True,
        )
        self.assertContains(response, "is Priya PM&#x27;s manager and gives the manager rating")

    def test_the_manager_approves_from_the_overview_and_the_requests_page(self) -> None:
        nomination = do_nominate_peer(
            self.cast.priya_user, self.cycle, self.cast.priya, self.cast.dana
        )
        self.client.force_login(self.cast.marco_user)
        home = self.client.get(reverse("home"))
        self.assertContains(home, "1 peer nomination awaits your approval")
        self.assertContains(home, "Dana Designer as a peer for Priya PM")
        mine = self.client.get(reverse("competencies:my_requests"))
        self.assertContains(mine, "Peer nominations awaiting your approval")
        response = self.client.post(
            reverse("competencies:nomination_decide", args=[nomination.pk]),
            {"decision": "approve"},
            follow=True,
        )
        self.assertContains(response, "Approved Dana Designer as a peer for Priya PM")
        nomination.refresh_from_db()
        self.assertEqual(nomination.status, Status.PENDING)

    def test_a_subject_cannot_approve_their_own_nomination(self) -> None:
        nomination = do_nominate_peer(
            self.cast.priya_user, self.cycle, self.cast.priya, self.cast.dana
        )
        self.client.force_login(self.cast.priya_user)
        response = self.client.post(
            reverse("competencies:nomination_decide", args=[nomination.pk]),
            {"decision": "approve"},
        )
        self.assertContains(response, "Only Priya PM&#x27;s manager", status_code=403)

    def test_outsiders_cannot_find_a_nomination(self) -> None:
        nomination = do_nominate_peer(
            self.cast.priya_user, self.cycle, self.cast.priya, self.cast.dana
        )
        self.client.force_login(self.cast.paul_user)
        response = self.client.post(
            reverse("competencies:nomination_decide", args=[nomination.pk]),
            {"decision": "approve"},
        )
        self.assertEqual(response.status_code, 404)
        self.client.force_login(self.cast.vera_user)
        response = self.client.post(
            reverse("competencies:nominate", args=[self.cycle.pk]),
            {"subject": self.cast.priya.pk, "peer": self.cast.dana.pk},
        )
        self.assertEqual(response.status_code, 404)
