"""Draft → shared: the PM's paragraph and corrected health kept apart from the generated
part, who may write, and a shared update kept as history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from productops.org.models import Team
from productops.reports.actions_status import (
    do_edit_status,
    do_generate_status,
    do_share_status,
)
from productops.reports.models import StatusState, StatusUpdate
from tests.cast import build_cast
from tests.reports.test_status_story import MONDAY, build_week

EARLIER = MONDAY - dt.timedelta(weeks=1)


class StatusActionsTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)

    def test_generate_makes_one_draft_per_week_and_keeps_the_pms_part(self) -> None:
        draft = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        self.assertEqual(
            (draft.state, draft.week, draft.health), ("draft", "2026-W47", "off_track")
        )
        do_edit_status(self.cast.priya_user, draft, note="Sales asks again.")
        again = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        self.assertEqual(again.pk, draft.pk)
        self.assertEqual(again.note, "Sales asks again.")
        self.assertEqual(StatusUpdate.objects.filter(team=self.cast.checkout).count(), 1)

    def test_corrected_health_is_kept_apart_with_its_reason(self) -> None:
        draft = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        do_edit_status(
            self.cast.priya_user,
            draft,
            note="The carried items are one epic, split late.",
            corrected_health="at_risk",
            correction_reason="The carry-over is one epic split in three.",
        )
        draft.refresh_from_db()
        self.assertEqual(draft.health, "off_track")  # the computed one stays
        self.assertEqual(draft.corrected_health, "at_risk")
        self.assertEqual(draft.final_health, "at_risk")
        self.assertEqual(draft.correction_reason, "The carry-over is one epic split in three.")
        self.assertEqual(draft.generated["health"], "off_track")
        self.assertNotIn("epic", str(draft.generated))
        self.assertEqual(draft.written_by, "priya")

    def test_a_correction_needs_a_reason(self) -> None:
        draft = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        with self.assertRaisesMessage(ValidationError, "Say why"):
            do_edit_status(self.cast.priya_user, draft, note="", corrected_health="on_track")
        with self.assertRaisesMessage(ValidationError, "is not a health"):
            do_edit_status(
                self.cast.priya_user, draft, note="", corrected_health="fine", correction_reason="x"
            )

    def test_choosing_the_computed_health_is_no_correction(self) -> None:
        draft = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        do_edit_status(self.cast.priya_user, draft, note="", corrected_health="off_track")
        self.assertEqual(draft.corrected_health, "")

    def test_a_shared_update_is_history(self) -> None:
        draft = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        shared = do_share_status(self.cast.priya_user, draft)
        self.assertEqual(shared.state, StatusState.SHARED)
        self.assertEqual(shared.shared_by, "priya")
        with self.assertRaisesMessage(ValidationError, "kept as history"):
            do_edit_status(self.cast.priya_user, shared, note="late change")
        with self.assertRaisesMessage(ValidationError, "already shared"):
            do_share_status(self.cast.priya_user, shared)
        newer = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        self.assertNotEqual(newer.pk, shared.pk)
        self.assertEqual(newer.replaces_id, shared.pk)
        self.assertEqual(newer.state, StatusState.DRAFT)

    def test_change_since_the_previous_week(self) -> None:
        before = do_generate_status(self.cast.priya_user, self.cast.checkout, EARLIER)
        do_edit_status(
            self.cast.priya_user,
            before,
            note="",
            corrected_health="on_track",
            correction_reason="Sprint 1 was a planned spike.",
        )
        do_share_status(self.cast.priya_user, before)
        now = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        self.assertEqual(now.change["previous_week"], "2026-W46")
        self.assertEqual(now.change["previous_id"], before.pk)
        self.assertEqual(now.change["numbers"]["completed"], 3)
        self.assertEqual(now.change["health"], {"was": "on_track", "now": "off_track"})

    def test_the_first_update_has_no_change(self) -> None:
        draft = do_generate_status(self.cast.priya_user, self.cast.checkout, MONDAY)
        self.assertIsNone(draft.change["previous_week"])

    def test_who_may_write(self) -> None:
        for user in (self.cast.hana_user, self.cast.marco_user, self.cast.priya_user):
            do_generate_status(user, self.cast.checkout, MONDAY)
        for user in (self.cast.paul_user, self.cast.vera_user):
            with self.assertRaises(PermissionDenied):
                do_generate_status(user, self.cast.checkout, MONDAY)
        draft = StatusUpdate.objects.get(team=self.cast.checkout)
        with self.assertRaises(PermissionDenied):
            do_edit_status(self.cast.paul_user, draft, note="not mine")
        with self.assertRaises(PermissionDenied):
            do_share_status(self.cast.vera_user, draft)

    def test_a_group_gets_no_update(self) -> None:
        group = Team.objects.create(name="Commerce")
        Team.objects.filter(pk=self.cast.checkout.pk).update(parent=group)
        with self.assertRaisesMessage(ValidationError, "teams that build"):
            do_generate_status(self.cast.hana_user, group, MONDAY)
