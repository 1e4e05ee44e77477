"""`productops status --team T [--week 2026-W48] [--format md|json]`."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from productops.reports.models import StatusUpdate
from tests.cast import build_cast
from tests.reports.test_status_story import build_week


def run(*args: str) -> str:
    out = StringIO()
    call_command("status", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


class StatusCommandTest(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_week(cls.cast.checkout)

    def test_markdown_by_name_generates_the_draft_once(self) -> None:
        text = run("--team", "checkout", "--week", "2026-W47")
        self.assertTrue(text.startswith("# Checkout: status for 2026-W47"))
        self.assertIn("- Carried over from the sprint: 5", text)
        self.assertIn("_Draft: not shared yet._", text)
        run("--team", "Checkout", "--week", "2026-W47")
        self.assertEqual(StatusUpdate.objects.count(), 1)

    def test_json_by_id(self) -> None:
        data = json.loads(
            run("--team", str(self.cast.checkout.pk), "--week", "2026W47", "--format", "json")
        )
        self.assertEqual(data["week"], "2026-W47")
        self.assertEqual(data["generated"]["backlog"]["completed"]["count"], 3)
        self.assertEqual(data["health"], "off_track")

    def test_an_unknown_team_lists_close_names(self) -> None:
        with self.assertRaisesMessage(
            CommandError, "No team named 'Chekout'. Did you mean: Checkout"
        ):
            run("--team", "Chekout")

    def test_a_wrong_week(self) -> None:
        with self.assertRaisesMessage(CommandError, "2026 has no week 60"):
            run("--team", "Checkout", "--week", "2026-W60")
        with self.assertRaisesMessage(CommandError, "write it like 2026-W48"):
            run("--team", "Checkout", "--week", "last")
