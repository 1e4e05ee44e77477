"""Starting a check, ranking it once, closing it: what is refused, and in which words."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from productops.strategy.actions import (
    do_close_check,
    do_create_check,
    do_submit_ranking,
    split_priorities,
)
from productops.strategy.models import PriorityCheck, RankEntry, Ranking
from tests.strategy.check_story import build_check_story, rank


class StartingACheck(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast

    def create(self, user=None, **changes) -> PriorityCheck:
        fields = {
            "title": "Q4 priorities",
            "priorities": "Pricing page\nData export\nPartner API",
            "participants": [self.cast.hana_user, self.cast.marco_user],
        }
        fields.update(changes)
        return do_create_check(user or self.cast.marco_user, **fields)

    def problems(self, **changes) -> dict[str, list[str]]:
        with self.assertRaises(ValidationError) as caught:
            self.create(**changes)
        return caught.exception.message_dict

    def test_a_manager_starts_a_check_with_its_priorities_in_order(self) -> None:
        check = self.create(priorities="  Pricing   page \n\nData export\nPartner API\n")
        self.assertEqual(
            list(check.priorities.values_list("title", "position")),
            [("Pricing page", 1), ("Data export", 2), ("Partner API", 3)],
        )
        self.assertEqual(check.created_by, self.cast.marco_user)
        self.assertEqual(set(check.participants.all()), {self.cast.hana_user, self.cast.marco_user})
        self.assertFalse(check.closed)

    def test_by_default_it_is_compared_with_the_latest_overlapping_check(self) -> None:
        # only Q2 has "Data export"
        self.assertEqual(
            self.create(priorities=["Data export", "Partner API", "Billing"]).previous,
            self.story.q2,
        )
        # Q3 (newest before this one) shares "Pricing page"; Q2 too, but is older
        self.assertEqual(self.create(priorities=["Pricing page", "X", "Y"]).previous, self.story.q3)
        # the check just started shares "Partner API" and is the newest now
        newest = PriorityCheck.objects.order_by("-created_at").first()
        self.assertEqual(self.create().previous, newest)
        self.assertIsNone(self.create(priorities=["Hiring", "Offsite", "Budget"]).previous)
        self.assertIsNone(self.create(previous=None).previous)
        self.assertEqual(self.create(previous=self.story.q2).previous, self.story.q2)

    def test_overlap_ignores_case_and_spacing(self) -> None:
        check = self.create(priorities=["data  EXPORT", "Partner API", "Billing"])
        self.assertEqual(check.previous, self.story.q2)

    def test_members_and_viewers_may_not_start_a_check(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            with self.assertRaisesMessage(PermissionDenied, "Only admins and managers"):
                self.create(user=user)
        self.create(user=self.cast.hana_user)  # an admin may

    def test_too_few_or_too_many_priorities(self) -> None:
        self.assertIn(
            "List at least 3 priorities, one a line (there are 2).",
            self.problems(priorities="A\nB")["priorities"],
        )
        many = "\n".join(f"Priority {n}" for n in range(31))
        self.assertIn(
            "List at most 30 priorities (there are 31)",
            self.problems(priorities=many)["priorities"][0],
        )
        self.create(priorities="\n".join(f"Priority {n}" for n in range(30)))

    def test_duplicate_priorities_are_named(self) -> None:
        problem = self.problems(priorities="Pricing\nExport\npricing \nAPI\nAPI")["priorities"][0]
        self.assertEqual(problem, "Each priority once: “Pricing”, “API” appear twice.")

    def test_a_priority_too_long(self) -> None:
        problem = self.problems(priorities=["A", "B", "x" * 201])["priorities"][0]
        self.assertIn("Keep each priority under 200 characters", problem)

    def test_two_or_more_participants_and_a_title(self) -> None:
        problems = self.problems(title=" ", participants=[self.cast.hana_user] * 2)
        self.assertIn("Give the check a title", problems["title"][0])
        self.assertIn("Choose at least two people", problems["participants"][0])

    def test_an_inactive_login_cannot_take_part(self) -> None:
        self.cast.paul_user.is_active = False
        self.cast.paul_user.save()
        problems = self.problems(participants=[self.cast.hana_user, self.cast.paul_user])
        self.assertIn("paul cannot log in", problems["participants"][0])

    def test_nothing_is_written_when_refused(self) -> None:
        before = PriorityCheck.objects.count()
        self.problems(priorities="A\nA\nB")
        self.assertEqual(PriorityCheck.objects.count(), before)


class SplittingPriorities(HypothesisTestCase):
    @given(st.lists(st.text(max_size=30), max_size=40))
    @settings(max_examples=50)
    def test_splitting_drops_blanks_and_tidies_spacing(self, lines: list[str]) -> None:
        split = split_priorities("\n".join(lines))
        self.assertTrue(all(title and title == " ".join(title.split()) for title in split))
        self.assertLessEqual(len(split), len("\n".join(lines).splitlines()))


class RankingOnce(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast
        cls.check = cls.story.q3
        cls.ids = list(cls.check.priorities.values_list("pk", flat=True))

    def ranks(self, *values) -> dict:
        return dict(zip(self.ids, values, strict=True))

    def refused(self, user, ranks) -> ValidationError:
        with self.assertRaises(ValidationError) as caught:
            do_submit_ranking(user, self.check, ranks)
        self.assertFalse(Ranking.objects.filter(priority_check=self.check, author=user).exists())
        return caught.exception

    def test_a_participant_ranks_with_ties(self) -> None:
        ranking = do_submit_ranking(self.cast.priya_user, self.check, self.ranks(1, 1, 3, "4", 4))
        self.assertEqual(
            list(ranking.entries.order_by("priority__position").values_list("rank", flat=True)),
            [1, 1, 3, 4, 4],
        )

    def test_missing_ranks_name_the_priorities(self) -> None:
        error = self.refused(self.cast.priya_user, {self.ids[0]: 1, self.ids[1]: ""})
        self.assertEqual(len(error.message_dict), 4)
        self.assertEqual(
            error.message_dict[str(self.ids[1])], ["Give “Mobile checkout” a rank from 1 to 5."]
        )

    def test_ranks_out_of_range_or_not_whole_numbers(self) -> None:
        error = self.refused(self.cast.priya_user, self.ranks(0, 6, 2.5, "x", True))
        self.assertEqual(
            error.message_dict[str(self.ids[0])],
            [
                "“Enterprise SSO” has the rank 0: ranks are whole numbers from 1 (most important) to 5."
            ],
        )
        self.assertEqual(len(error.message_dict), 5)

    def test_unknown_priorities_are_refused(self) -> None:
        other = self.story.q2.priorities.first().pk
        error = self.refused(self.cast.priya_user, {**self.ranks(1, 2, 3, 4, 5), other: 1})
        self.assertIn(f"{other} is not a priority of “Q3 priorities”", error.messages[0])

    def test_a_second_submission_is_refused(self) -> None:
        rank(self.cast.priya_user, self.check, [1, 2, 3, 4, 5])
        with self.assertRaisesMessage(ValidationError, "a ranking is final"):
            do_submit_ranking(self.cast.priya_user, self.check, self.ranks(5, 4, 3, 2, 1))
        entries = RankEntry.objects.filter(
            ranking__author=self.cast.priya_user, ranking__priority_check=self.check
        )
        self.assertEqual(sorted(entries.values_list("rank", flat=True)), [1, 2, 3, 4, 5])

    def test_only_participants_rank(self) -> None:
        for user in (
            self.cast.marco_user,
            self.story.ada_user,
            self.cast.paul_user,
            self.cast.vera_user,
        ):
            with self.assertRaisesMessage(PermissionDenied, "Only the people taking part"):
                do_submit_ranking(user, self.check, self.ranks(1, 2, 3, 4, 5))
        self.assertFalse(Ranking.objects.filter(priority_check=self.check).exists())

    def test_a_closed_check_takes_no_rankings(self) -> None:
        do_close_check(self.cast.marco_user, self.check)
        with self.assertRaisesMessage(ValidationError, "is closed"):
            do_submit_ranking(self.cast.priya_user, self.check, self.ranks(1, 2, 3, 4, 5))


class Closing(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast

    def test_the_creator_closes_it(self) -> None:
        do_close_check(self.cast.marco_user, self.story.q3)
        self.story.q3.refresh_from_db()
        self.assertTrue(self.story.q3.closed)
        with self.assertRaisesMessage(ValidationError, "already closed"):
            do_close_check(self.cast.marco_user, self.story.q3)

    def test_an_admin_closes_it(self) -> None:
        do_close_check(self.story.ada_user, self.story.q3)
        self.assertTrue(PriorityCheck.objects.get(pk=self.story.q3.pk).closed)

    def test_no_one_else_closes_it(self) -> None:
        # Priya takes part, but did not start it; Marco did not start Q2
        for user, check in (
            (self.cast.priya_user, self.story.q3),
            (self.cast.vera_user, self.story.q3),
            (self.cast.marco_user, self.story.q2),
        ):
            with self.assertRaisesMessage(PermissionDenied, "or an admin, closes it"):
                do_close_check(user, check)
        self.assertFalse(PriorityCheck.objects.filter(closed=True).exists())


class AnyRankInput(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.ids = list(cls.story.q3.priorities.values_list("pk", flat=True))

    @given(
        st.lists(
            st.one_of(
                st.none(),
                st.integers(-10, 10**9),
                st.text(max_size=8),
                st.sampled_from(["²", " 3 ", "-1", "4.0", "05"]),
                st.floats(),
            ),
            min_size=5,
            max_size=5,
        )
    )
    @settings(max_examples=60, deadline=None)
    def test_anything_is_either_a_valid_ranking_or_a_sentence(self, values: list) -> None:
        ranks = dict(zip(self.ids, values, strict=True))
        valid = all(
            not isinstance(v, bool)
            and (
                isinstance(v, int)
                or (isinstance(v, str) and v.strip().isascii() and v.strip().isdigit())
            )
            and 1 <= int(v) <= 5
            for v in values
        )
        try:
            do_submit_ranking(self.story.cast.priya_user, self.story.q3, ranks)
        except ValidationError as error:
            self.assertFalse(valid, error.messages)
            self.assertTrue(all(m.endswith(".") for m in error.messages))
        else:
            self.assertTrue(valid, values)
