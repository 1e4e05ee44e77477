"""`productops export-1on1s`: Priya's 1:1s as Markdown, and never anyone's private notes."""

from __future__ import annotations

import io
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from productops.coaching.models import (
    ActionItem,
    CheckIn,
    CoachingPlan,
    Goal,
    OneOnOne,
    OneOnOneSeries,
    PrivateNote,
    TalkingPoint,
)
from productops.coaching.one_on_one_export import load_export
from tests.cast import build_cast
from tests.coaching.cadence_cast import build_cadence_story

PRIYA_SECRET = "Priya's private worry: thinking of leaving"
MARCO_SECRET = "Marco's private note: consider Priya for the lead role"


class ExportOneOnOnes(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.today = timezone.localdate()
        cls.story = build_cadence_story(cls.cast, cls.today)
        cast, story = cls.cast, cls.story
        cls.last = OneOnOne.objects.get(
            series=story.marco_priya, date=cls.today - timedelta(days=7)
        )
        cls.last.shared_notes = "Agreed on the discovery plan.\nPriya runs two interviews."
        cls.last.save()
        TalkingPoint.objects.create(
            meeting=cls.last, author=cast.priya_user, text="Hiring a designer", discussed=True
        )
        ActionItem.objects.create(
            series=story.marco_priya,
            raised_in=cls.last,
            owner=cast.priya,
            text="Interview three customers",
            due_date=cls.today + timedelta(days=7),
        )
        ActionItem.objects.create(
            series=story.marco_priya,
            raised_in=cls.last,
            owner=cast.marco,
            text="Share the roadmap deck",
            status=ActionItem.Status.DONE,
        )
        ActionItem.objects.create(
            series=story.marco_priya, raised_in=None, owner=cast.marco, text="Book the offsite"
        )
        plan = CoachingPlan.objects.create(
            person=cast.priya, manager=cast.marco, title="Priya's plan"
        )
        goal = Goal.objects.create(
            plan=plan,
            competency_key="discovery",
            competency_name="Product discovery",
            target_step=4,
            target_date=cls.today + timedelta(days=90),
        )
        CheckIn.objects.create(
            goal=goal,
            date=cls.last.date,
            status=CheckIn.Status.AT_RISK,
            note="Only one interview so far",
            one_on_one=cls.last,
        )
        PrivateNote.objects.create(meeting=cls.last, author=cast.priya_user, text=PRIYA_SECRET)
        PrivateNote.objects.create(meeting=cls.last, author=cast.marco_user, text=MARCO_SECRET)
        OneOnOneSeries.objects.filter(pk=story.marco_paul.pk).update(active=False)

    def export(self, *args: str) -> str:
        out = io.StringIO()
        call_command("export_1on1s", *args, stdout=out)
        return out.getvalue()

    def test_every_series_and_1on1_with_its_shared_parts(self) -> None:
        text = self.export("--person", "priya@example.com")
        self.assertTrue(text.startswith("# 1:1s of Priya PM\n"))
        self.assertIn("## Marco Manager & Priya PM", text)
        self.assertNotIn("Paul PM", text)  # not Priya's series
        self.assertIn(f"### {self.last.date:%Y-%m-%d} · held", text)
        self.assertIn(f"### {self.today:%Y-%m-%d} · planned", text)
        self.assertIn("- Hiring a designer (from Priya PM) — discussed", text)
        self.assertIn("> Agreed on the discovery plan.\n> Priya runs two interviews.", text)
        due = self.today + timedelta(days=7)
        self.assertIn(f"- [ ] Interview three customers — Priya PM, due {due:%Y-%m-%d}, open", text)
        self.assertIn("- [x] Share the roadmap deck — Marco Manager, done", text)
        self.assertIn("- Product discovery: at risk — Only one interview so far", text)
        self.assertIn("### Actions from 1:1s since deleted", text)
        self.assertIn("Book the offsite", text)
        self.assertIn("- Health: on cadence; last held", text)
        # the oldest 1:1 comes first
        first = self.today - timedelta(days=56)
        self.assertLess(
            text.index(f"### {first:%Y-%m-%d} · held"),
            text.index(f"### {self.last.date:%Y-%m-%d} · held"),
        )

    def test_private_notes_never_appear_and_the_header_says_so(self) -> None:
        for email in ["priya@example.com", "marco@example.com"]:
            text = self.export("--person", email)
            self.assertNotIn(PRIYA_SECRET, text)
            self.assertNotIn(MARCO_SECRET, text)
            self.assertIn("Private notes are never exported", text.split("##")[0])

    def test_no_flag_brings_private_notes_in(self) -> None:
        for username in ["priya", "marco", "hana"]:
            with self.assertRaisesMessage(CommandError, "Private notes are never exported"):
                self.export("--person", "priya@example.com", "--include-private-of", username)

    def test_a_managers_export_holds_each_series_ended_ones_last(self) -> None:
        text = self.export("--person", "MARCO@example.com")
        self.assertIn("# 1:1s of Marco Manager", text)
        self.assertLess(
            text.index("## Hana Head & Marco Manager"), text.index("## Marco Manager & Paul PM")
        )
        self.assertIn("since " + f"{self.story.marco_paul.start_date:%Y-%m-%d} (ended)", text)
        self.assertIn("3 1:1 series", text)

    def test_someone_without_series_gets_a_short_document(self) -> None:
        text = self.export("--person", "otto@example.com")
        self.assertIn("Otto Outsider is not in any 1:1 series yet.", text)

    def test_an_unknown_email_says_what_to_do(self) -> None:
        with self.assertRaisesMessage(CommandError, "No person has the email nobody@example.com"):
            self.export("--person", "nobody@example.com")

    def test_writes_to_a_file(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / "priya.md"
            said = self.export("--person", "priya@example.com", "--output", str(target))
            self.assertIn("Wrote the 1:1s of Priya PM", said)
            self.assertIn("## Marco Manager & Priya PM", target.read_text(encoding="utf-8"))
            with self.assertRaisesMessage(CommandError, "Could not write"):
                self.export("--person", "priya@example.com", "--output", f"{folder}/no/such.md")

    def test_loading_costs_the_same_for_a_longer_history(self) -> None:
        def cost() -> int:
            with CaptureQueriesContext(connection) as queries:
                load_export(self.cast.marco, today=self.today)
            return len(queries)

        before = cost()
        for days in range(60, 200, 7):
            meeting = OneOnOne.objects.create(
                series=self.story.hana_marco, date=self.today - timedelta(days=days)
            )
            TalkingPoint.objects.create(meeting=meeting, author=self.cast.hana_user, text="more")
            ActionItem.objects.create(
                series=self.story.hana_marco, raised_in=meeting, owner=self.cast.marco, text="x"
            )
        self.assertEqual(cost(), before)
