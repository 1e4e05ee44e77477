"""`productops gaps`: the same numbers as the page, as a table or JSON."""

from __future__ import annotations

import json
import re
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from tests.competencies.gap_story import build_gap_story
from tests.competencies.test_gaps_pages import table_rows


class GapsCommand(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast

    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("gaps", *args, stdout=out)
        return out.getvalue()

    def test_json(self) -> None:
        body = json.loads(self.run_command("--person", "priya@example.com", "--json"))
        self.assertEqual(body["cycle"]["name"], "H2")
        discovery = body["competencies"][0]
        self.assertEqual(discovery["consensus"], 2.33)
        self.assertEqual(discovery["signal"], "blind_spot")
        self.assertEqual(body["top_gaps"], ["discovery"])

    def test_page_and_command_agree(self) -> None:
        for person, cycle in [
            (self.cast.priya, None),
            (self.cast.priya, self.story.h1),
            (self.cast.paul, None),
            (self.cast.marco, None),
        ]:
            args = ["--person", person.email]
            query = {}
            if cycle is not None:
                args += ["--cycle", cycle.name]
                query["cycle"] = cycle.pk
            text = self.run_command(*args)
            body = json.loads(self.run_command(*args, "--json"))
            # Marco reads what the command prints: released results, counts as "3 or more"
            # (an admin's page has exact counts).
            self.client.force_login(self.cast.marco_user)
            page = table_rows(
                self.client.get(
                    reverse("competencies:person_gaps", args=[person.pk]), query
                ).content.decode()
            )
            for row in body["competencies"]:
                cells = page[row["key"]]
                # self, manager, peers, consensus, expected, gap, change on the page ...
                numbers = cells[1:8]
                # ... are the JSON's numbers printed the same way
                self.assertEqual(numbers[0], _shown(row["self_score"]))
                self.assertEqual(numbers[1], _shown(row["manager_score"]))
                self.assertEqual(numbers[3], _shown(row["consensus"]))
                self.assertEqual(numbers[4], _shown(row["expected"]))
                self.assertEqual(numbers[5], _shown(row["gap"], signed=True))
                self.assertEqual(numbers[6], _shown(row["change"], signed=True))
                self.assertNotIn("(n=", numbers[2])
                if row["peer_mean"] is not None:
                    self.assertEqual(
                        numbers[2], f"{_shown(row['peer_mean'])} ({row['peers_answered']})"
                    )
                # ... and the table prints exactly the page's cells
                line = next(
                    ln for ln in text.splitlines() if re.search(rf"\b{cells[0].split()[0]}\b", ln)
                )
                for cell in numbers:
                    self.assertIn(cell, line, (person, row["key"]))

    def test_two_peer_answers_are_hidden_in_the_json(self) -> None:
        body = json.loads(self.run_command("--person", "paul@example.com", "--json"))
        discovery = body["competencies"][0]
        self.assertIsNone(discovery["peer_mean"])
        self.assertIsNone(discovery["peer_count"])
        self.assertEqual(discovery["peers_answered"], "fewer than 3")
        self.assertEqual(discovery["consensus"], 4)
        self.assertNotIn('"peers"', json.dumps(body))

    def test_table_names_the_signals(self) -> None:
        text = self.run_command("--person", "PRIYA@example.com")
        self.assertIn("Priya PM in H2 (Test PM model v1), expected for PM (Product ladder)", text)
        self.assertIn("Blind spots: Discovery (self 4, others 2.33)", text)
        self.assertIn("Top gaps: Discovery +0.67", text)
        self.assertIn("hidden (fewer than 3 answered, 3 needed)", text)
        self.assertIn("Change against H1", text)

    def test_errors(self) -> None:
        with self.assertRaisesMessage(CommandError, "No person with the email"):
            self.run_command("--person", "nobody@example.com")
        with self.assertRaisesMessage(CommandError, "cycles with answers: H1, H2"):
            self.run_command("--person", "priya@example.com", "--cycle", "H9")
        with self.assertRaisesMessage(CommandError, "No submitted assessments about Otto"):
            self.run_command("--person", "otto@example.com")


def _shown(value, signed: bool = False) -> str:
    from productops.competencies.gaps import shown

    return shown(value, signed=signed)
