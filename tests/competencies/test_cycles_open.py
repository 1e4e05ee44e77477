"""Opening an assessment cycle: who may, what it asks, and what it refuses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from django.urls import reverse

from productops.competencies.actions import do_close_cycle, do_open_cycle
from productops.competencies.models import AssessmentCycle, AssessmentRequest, RaterKind
from productops.org.models import Person
from tests.cast import build_cast
from tests.competencies.cycle_cast import in_days
from tests.competencies.factories import make_model_version

ALL_KINDS = list(RaterKind.values)


class OpeningACycle(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.version = make_model_version()

    def open(self, user, subjects, **overrides) -> AssessmentCycle:
        arguments = {
            "name": "H1 review",
            "version": self.version,
            "subjects": subjects,
            "due_date": in_days(14),
            "rater_kinds": ALL_KINDS,
            **overrides,
        }
        return do_open_cycle(user, **arguments)

    def requests_of(self, cycle) -> set[tuple[str, str, str]]:
        return set(cycle.requests.values_list("subject__name", "rater__name", "kind").order_by())

    def test_each_subject_is_asked_for_a_self_and_a_manager_rating(self) -> None:
        cycle = self.open(self.cast.hana_user, [self.cast.priya, self.cast.paul])
        self.assertEqual(
            self.requests_of(cycle),
            {
                ("Priya PM", "Priya PM", "self"),
                ("Priya PM", "Marco Manager", "manager"),
                ("Paul PM", "Paul PM", "self"),
                ("Paul PM", "Marco Manager", "manager"),
            },
        )
        self.assertEqual(set(cycle.requests.values_list("status", flat=True)), {"pending"})
        self.assertEqual(set(cycle.subjects.all()), {self.cast.priya, self.cast.paul})
        self.assertEqual(cycle.opened_by, self.cast.hana_user)

    def test_a_subject_without_a_manager_gets_no_manager_request_and_a_note(self) -> None:
        cycle = self.open(self.cast.hana_user, [self.cast.otto])
        self.assertEqual(self.requests_of(cycle), {("Otto Outsider", "Otto Outsider", "self")})
        self.assertIn(
            "Otto Outsider has no manager in productops, so no one was asked for a manager rating.",
            cycle.notes[0],
        )

    def test_a_manager_who_left_is_not_asked(self) -> None:
        Person.objects.filter(pk=self.cast.marco.pk).update(active=False)
        cycle = self.open(self.cast.hana_user, [self.cast.priya])
        self.assertEqual(self.requests_of(cycle), {("Priya PM", "Priya PM", "self")})
        self.assertIn("Priya PM's manager Marco Manager has left", cycle.notes[0])

    def test_only_the_rater_kinds_chosen_are_asked(self) -> None:
        cycle = self.open(self.cast.hana_user, [self.cast.priya], rater_kinds=["manager"])
        self.assertEqual(self.requests_of(cycle), {("Priya PM", "Marco Manager", "manager")})
        self.assertEqual(cycle.rater_kinds, ["manager"])

    def test_a_manager_opens_a_cycle_for_their_chain(self) -> None:
        cycle = self.open(self.cast.marco_user, [self.cast.priya, self.cast.paul])
        self.assertEqual(cycle.subjects.count(), 2)

    def test_a_manager_cannot_include_people_outside_their_chain(self) -> None:
        with self.assertRaisesMessage(
            PermissionDenied,
            "You can open a cycle only for people in your reporting chain, and 1 of the 2 "
            "chosen is not.",
        ):
            self.open(self.cast.marco_user, [self.cast.priya, self.cast.dana])
        self.assertFalse(AssessmentCycle.objects.exists())

    def test_members_and_viewers_cannot_open_cycles(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            with self.assertRaisesMessage(PermissionDenied, "Only admins and managers open"):
                self.open(user, [self.cast.priya])

    def test_what_is_missing_is_said_field_by_field(self) -> None:
        with self.assertRaises(ValidationError) as raised:
            self.open(self.cast.hana_user, [], name=" ", due_date=in_days(-1), rater_kinds=[])
        problems = raised.exception.message_dict
        self.assertIn("Give the cycle a name", problems["name"][0])
        self.assertEqual(problems["subjects"], ["Choose at least one person to assess."])
        self.assertIn("is in the past; pick a date raters can still meet", problems["due_date"][0])
        self.assertIn("Choose at least one rater kind", problems["rater_kinds"][0])

    def test_people_who_left_are_not_assessed(self) -> None:
        Person.objects.filter(pk=self.cast.paul.pk).update(active=False)
        with self.assertRaisesMessage(ValidationError, "Paul PM left the organization"):
            self.open(self.cast.hana_user, [self.cast.paul])

    def test_a_version_without_competencies_cannot_be_rated(self) -> None:
        empty = make_model_version(name="Empty model", keys=())
        with self.assertRaisesMessage(ValidationError, "has no competencies to rate"):
            self.open(self.cast.hana_user, [self.cast.priya], version=empty)

    def test_closing_a_cycle(self) -> None:
        cycle = self.open(self.cast.hana_user, [self.cast.priya])
        with self.assertRaisesMessage(PermissionDenied, "Only an admin, or a manager"):
            do_close_cycle(self.cast.priya_user, cycle)
        do_close_cycle(self.cast.marco_user, cycle)
        cycle.refresh_from_db()
        self.assertFalse(cycle.is_open)
        self.assertIsNotNone(cycle.closed_at)
        with self.assertRaisesMessage(ValidationError, "already closed"):
            do_close_cycle(self.cast.hana_user, cycle)


class OpeningFromThePage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.version = make_model_version()

    def post(self, user, **data):
        self.client.force_login(user)
        form = {
            "name": "H1 review",
            "model": self.version.model.pk,
            "due_date": in_days(10).isoformat(),
            "rater_kinds": ALL_KINDS,
            **data,
        }
        return self.client.post(reverse("competencies:cycle_new"), form, follow=True)

    def test_an_admin_opens_a_cycle_and_sees_the_notes(self) -> None:
        response = self.post(self.cast.hana_user, subjects=[self.cast.priya.pk, self.cast.otto.pk])
        cycle = AssessmentCycle.objects.get()
        self.assertRedirects(response, reverse("competencies:cycle_detail", args=[cycle.pk]))
        self.assertContains(response, "Opened H1 review")
        self.assertContains(response, "Otto Outsider has no manager in productops")
        self.assertEqual(cycle.version, self.version)

    def test_the_cycle_uses_the_latest_version_of_the_model(self) -> None:
        newer = make_model_version(number=2, keys=("discovery", "coaching"))
        self.post(self.cast.hana_user, subjects=[self.cast.priya.pk])
        self.assertEqual(AssessmentCycle.objects.get().version, newer)

    def test_a_manager_is_offered_only_their_chain(self) -> None:
        self.client.force_login(self.cast.marco_user)
        response = self.client.get(reverse("competencies:cycle_new"))
        self.assertContains(response, "Priya PM")
        self.assertNotContains(response, "Dana Designer")
        response = self.post(self.cast.marco_user, subjects=[self.cast.dana.pk])
        self.assertContains(response, "Select a valid choice")
        self.assertFalse(AssessmentCycle.objects.exists())

    def test_problems_are_shown_on_the_form(self) -> None:
        response = self.post(
            self.cast.hana_user, subjects=[self.cast.priya.pk], due_date=in_days(-3).isoformat()
        )
        self.assertContains(response, "pick a date raters can still meet")
        self.assertFalse(AssessmentCycle.objects.exists())

    def test_members_and_viewers_are_refused_with_a_sentence(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            self.client.force_login(user)
            response = self.client.get(reverse("competencies:cycle_new"))
            self.assertContains(response, "Only admins and managers open", status_code=403)

    def test_without_a_model_the_page_says_what_to_do(self) -> None:
        AssessmentRequest.objects.all().delete()
        self.version.model.delete()
        self.client.force_login(self.cast.hana_user)
        response = self.client.get(reverse("competencies:cycle_new"))
        self.assertContains(response, "There is no competency model to assess against yet")
