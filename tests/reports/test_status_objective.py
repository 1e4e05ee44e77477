"""An objective's weekly update: generated from the work traced to it, its rules on
hand-built weeks, who may write it per role, and its page, API, Markdown and command.

The story week (test_status_story.py, 2026-W47): "Faster checkout" is served by CHK-A1,
in progress and carried over by three sprints; "Fewer refunds" by CHK-B1, done in the week.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from productops.reports.actions_status import (
    do_edit_status,
    do_generate_objective_status,
    do_share_status,
)
from productops.reports.models import StatusUpdate
from productops.reports.status import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    generate_objective_week,
    health_of,
    objective_reasons,
)
from productops.strategy.models import Objective
from tests.cast import PASSWORD, build_cast
from tests.reports.test_status_story import MONDAY, build_week


def week(**numbers: int) -> dict[str, int]:
    base = {
        "completed": 0,
        "started": 0,
        "shelved": 0,
        "open": 1,
        "carried_repeatedly": 0,
        "moved": 1,
        "teams": 1,
    }
    return {**base, **numbers}


class ObjectiveRulesTest(TestCase):
    """The rules that apply to an objective, on weeks built by hand."""

    def rules(self, **numbers: int) -> list[str]:
        return [r.rule for r in objective_reasons(week(**numbers))]

    def test_a_week_with_work_moving_is_on_track(self) -> None:
        self.assertEqual(self.rules(), [])
        self.assertEqual(health_of(objective_reasons(week())), ON_TRACK)

    def test_shelved_needs_two_items(self) -> None:
        self.assertEqual(self.rules(shelved=1), [])
        self.assertEqual(self.rules(shelved=2), ["shelved"])

    def test_repeat_carry_over_needs_three_open_items(self) -> None:
        self.assertEqual(self.rules(carried_repeatedly=2), [])
        self.assertEqual(self.rules(carried_repeatedly=3), ["repeat_carry_over"])

    def test_work_in_progress_that_does_not_move(self) -> None:
        self.assertEqual(self.rules(moved=0), ["objective_still"])
        self.assertEqual(health_of(objective_reasons(week(moved=0))), AT_RISK)

    def test_no_work_at_all(self) -> None:
        self.assertEqual(self.rules(open=0, moved=0), ["no_work"])

    def test_three_rules_make_it_off_track(self) -> None:
        reasons = objective_reasons(week(moved=0, shelved=2, carried_repeatedly=3))
        self.assertEqual(len(reasons), 3)
        self.assertEqual(health_of(reasons), OFF_TRACK)


class ObjectiveUpdateTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.items = build_week(cls.cast.checkout)
        cls.faster = Objective.objects.get(title="Faster checkout")
        cls.refunds = Objective.objects.get(title="Fewer refunds")
        cls.refunds.owner = cls.cast.priya
        cls.refunds.save()

    def login(self, name: str) -> None:
        self.client.logout()
        self.assertTrue(self.client.login(username=name, password=PASSWORD))

    # -- what is generated ------------------------------------------------------------

    def test_the_week_of_an_objective_whose_work_is_done(self) -> None:
        generated = generate_objective_week(self.refunds, MONDAY)
        backlog = generated["backlog"]
        self.assertEqual(backlog["completed"]["count"], 1)
        self.assertEqual(backlog["completed"]["items"][0]["key"], "CHK-B1")
        self.assertEqual((backlog["open"], backlog["started"]["count"]), (0, 0))
        self.assertTrue(generated["moved"])
        self.assertEqual(generated["health"], ON_TRACK)
        self.assertEqual(
            [(t["name"], t["completed"]) for t in generated["teams"]], [("Checkout", 1)]
        )

    def test_the_week_of_an_objective_whose_work_stands_still(self) -> None:
        generated = generate_objective_week(self.faster, MONDAY)
        self.assertEqual(generated["backlog"]["open"], 1)
        self.assertEqual(generated["backlog"]["carried_repeatedly"]["count"], 1)
        self.assertFalse(generated["moved"])
        self.assertEqual([r["rule"] for r in generated["reasons"]], ["objective_still"])
        self.assertEqual(generated["health"], AT_RISK)
        # SRCH-1 was done in the week but traces to neither objective
        keys = [i["key"] for i in generated["backlog"]["completed"]["items"]]
        self.assertNotIn("SRCH-1", keys)

    def test_the_change_since_the_previous_week(self) -> None:
        before = do_generate_objective_status(None, self.refunds, MONDAY.replace(day=9))
        now = do_generate_objective_status(None, self.refunds, MONDAY)
        self.assertEqual(before.health, AT_RISK)  # W46: nothing traced open nor done yet
        self.assertEqual(now.change["previous_week"], "2026-W46")
        self.assertEqual(now.change["health"], {"was": AT_RISK, "now": ON_TRACK})
        self.assertEqual(now.change["numbers"]["completed"], 1)

    def test_a_week_outside_the_objectives_period_is_refused(self) -> None:
        with self.assertRaisesMessage(ValidationError, "outside it"):
            do_generate_objective_status(None, self.refunds, MONDAY.replace(year=2025))

    def test_an_update_is_for_a_team_or_an_objective_never_both_or_neither(self) -> None:
        fields = {
            "week": "2026-W47",
            "week_start": MONDAY,
            "generated_at": timezone.now(),
            "health": ON_TRACK,
        }
        for subject in ({}, {"team": self.cast.checkout, "objective": self.refunds}):
            with self.subTest(subject=subject), transaction.atomic():
                with self.assertRaises(IntegrityError):
                    StatusUpdate.objects.create(**fields, **subject)

    # -- who may write ----------------------------------------------------------------

    def test_admins_and_the_owner_write_an_owned_objectives_update(self) -> None:
        mine = do_generate_objective_status(self.cast.priya_user, self.refunds, MONDAY)
        do_edit_status(self.cast.priya_user, mine, note="Refunds are down.")
        do_generate_objective_status(self.cast.hana_user, self.refunds, MONDAY)
        for user in (self.cast.marco_user, self.cast.paul_user, self.cast.vera_user):
            with self.subTest(user=user.username):
                with self.assertRaises(PermissionDenied):
                    do_generate_objective_status(user, self.refunds, MONDAY)
                with self.assertRaises(PermissionDenied):
                    do_share_status(user, mine)

    def test_admins_and_managers_write_an_objective_without_owner(self) -> None:
        do_generate_objective_status(self.cast.marco_user, self.faster, MONDAY)
        for user in (self.cast.priya_user, self.cast.vera_user):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                do_generate_objective_status(user, self.faster, MONDAY)

    # -- who reads --------------------------------------------------------------------

    def test_a_draft_is_seen_by_who_may_write_it_and_shared_by_every_role(self) -> None:
        draft = do_generate_objective_status(self.cast.priya_user, self.refunds, MONDAY)
        url = reverse("reports:status_detail", args=[draft.pk])
        for name, code in (("priya", 200), ("hana", 200), ("marco", 404), ("vera", 404)):
            with self.subTest(name=name):
                self.login(name)
                self.assertEqual(self.client.get(url).status_code, code)
        do_share_status(self.cast.priya_user, draft)
        self.login("vera")
        page = self.client.get(url)
        self.assertContains(page, "Objective Fewer refunds: status for 2026-W47")
        self.assertNotContains(page, "Title of CHK-B1")  # viewers: counts, no item titles
        self.assertNotContains(page, "Save and share")
        self.login("paul")
        self.assertContains(self.client.get(url), "Title of CHK-B1")

    # -- pages ------------------------------------------------------------------------

    def test_the_leader_page_lists_the_objectives_with_their_latest_update(self) -> None:
        self.login("hana")
        page = self.client.get(reverse("reports:status"))
        self.assertContains(page, 'id="objectives"')
        self.assertContains(page, "Fewer refunds")
        self.assertContains(page, "Priya")  # the owner, named to an admin
        self.login("vera")
        self.assertNotContains(self.client.get(reverse("reports:status")), "Priya")

    def test_the_generate_button_and_the_history(self) -> None:
        self.login("priya")
        history = reverse("reports:status_objective", args=[self.refunds.pk])
        self.assertContains(self.client.get(history), "Generate the update")
        answer = self.client.post(
            reverse("reports:status_objective_generate", args=[self.refunds.pk]),
            {"week": "2026-W47"},
        )
        update = StatusUpdate.objects.get(objective=self.refunds)
        self.assertRedirects(answer, reverse("reports:status_detail", args=[update.pk]))
        self.assertContains(self.client.get(history), "2026-W47")
        bad = self.client.post(
            reverse("reports:status_objective_generate", args=[self.refunds.pk]),
            {"week": "2024-W02"},
            follow=True,
        )
        self.assertContains(bad, "Pick a week in the objective&#x27;s period")
        self.login("marco")
        self.assertNotContains(self.client.get(history), "Generate the update")
        self.assertEqual(
            self.client.get(reverse("reports:status_objective", args=[999999])).status_code, 404
        )

    def test_the_markdown_download(self) -> None:
        update = do_generate_objective_status(None, self.refunds, MONDAY)
        self.login("hana")
        answer = self.client.get(
            reverse("reports:status_detail", args=[update.pk]), {"format": "md"}
        )
        text = answer.content.decode()
        self.assertTrue(text.startswith("# Objective Fewer refunds: status for 2026-W47"))
        self.assertIn("- Completed this week: 1\n  - CHK-B1 Title of CHK-B1", text)
        self.assertIn("  - Checkout: 1 done, 0 started, 0 in progress", text)

    # -- API and command --------------------------------------------------------------

    def test_the_api_generates_and_lists(self) -> None:
        self.login("priya")
        answer = self.client.post(
            f"/api/reports/status/objective/{self.refunds.pk}/generate",
            json.dumps({"week": "2026-W47"}),
            content_type="application/json",
        )
        self.assertEqual(answer.status_code, 200)
        made = answer.json()
        self.assertEqual((made["objective"]["id"], made["team"]), (self.refunds.pk, None))
        self.assertEqual(made["health"], ON_TRACK)
        listed = self.client.get(f"/api/reports/status/objective/{self.refunds.pk}").json()
        self.assertEqual([u["id"] for u in listed["items"]], [made["id"]])
        self.login("marco")
        refused = self.client.post(
            f"/api/reports/status/objective/{self.refunds.pk}/generate",
            json.dumps({}),
            content_type="application/json",
        )
        self.assertEqual(refused.status_code, 403)
        self.assertIn("owner", refused.json()["detail"])
        self.login("vera")
        rows = self.client.get("/api/reports/status/objectives").json()
        self.assertEqual({r["owner"] for r in rows}, {None})

    def test_the_command_by_title(self) -> None:
        out = StringIO()
        call_command(
            "status",
            "--objective",
            "fewer refunds",
            "--week",
            "2026-W47",
            stdout=out,
            stderr=StringIO(),
        )
        self.assertTrue(out.getvalue().startswith("# Objective Fewer refunds"))
        self.assertEqual(StatusUpdate.objects.filter(objective=self.refunds).count(), 1)
        with self.assertRaisesMessage(CommandError, "Did you mean: Fewer refunds"):
            call_command("status", "--objective", "Fewer refund", stdout=StringIO())


class InProgressAtTest(TestCase):
    """An objective's work in progress is read as it stood at the week's end."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.items = build_week(build_cast().checkout)

    def keys_at(self, monday) -> set[str]:
        from productops.backlog.frames import load_frames
        from productops.reports.status import in_progress_at, week_bounds

        ids = in_progress_at(load_frames(), week_bounds(monday)[1])
        return {key for key, item in self.items.items() if item.pk in ids}

    def test_work_put_back_later_was_in_progress_the_week_before(self) -> None:
        w46 = MONDAY - dt.timedelta(weeks=1)
        # CHK-E1/E2 were in progress from 3 November until the 18th and 19th
        self.assertEqual(self.keys_at(w46), {"CHK-A1", "CHK-A2", "CHK-A3", "CHK-E1", "CHK-E2"})
        # CHK-D1 started in W47; E1, E2 put back
        self.assertEqual(self.keys_at(MONDAY), {"CHK-A1", "CHK-A2", "CHK-A3", "CHK-D1"})
