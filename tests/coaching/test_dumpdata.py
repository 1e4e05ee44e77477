"""`productops dumpdata` leaves the private 1:1 notes out unless told, with a warning.

A dump is a file for whoever ran the command; a private note is for its author only.
"""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command, get_commands
from django.test import TestCase

from productops.coaching.actions import (
    do_save_private_note,
    do_save_shared_notes,
    do_schedule_one_on_one,
)
from tests.coaching.one_on_one_cast import build_one_on_one_cast, days

SECRET = "PRIYA-ONLY I am interviewing elsewhere"


def dump(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("dumpdata", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class DumpdataLeavesPrivateNotesOut(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        c = build_one_on_one_cast()
        meeting = do_schedule_one_on_one(c.cast.marco_user, c.marco_priya, date=days(0))
        do_save_private_note(c.cast.priya_user, meeting, text=SECRET)
        do_save_shared_notes(c.cast.marco_user, meeting, text="SHARED roadmap", revision=0)

    def test_it_is_productops_own_command(self) -> None:
        self.assertEqual(get_commands()["dumpdata"], "productops.coaching")

    def test_a_whole_dump_has_no_private_note(self) -> None:
        out, err = dump()
        self.assertNotIn(SECRET, out)
        self.assertNotIn("coaching.privatenote", out)
        self.assertIn("SHARED roadmap", out)  # the rest of the 1:1 is there
        self.assertIn("left out of this dump", err)

    def test_naming_the_app_or_the_model_leaves_it_out_too(self) -> None:
        for label in ("coaching", "coaching.PrivateNote"):
            out, _ = dump(label)
            self.assertNotIn(SECRET, out, label)
        self.assertEqual(json.loads(dump("coaching.PrivateNote")[0]), [])

    def test_the_flag_puts_them_in_with_a_warning(self) -> None:
        out, err = dump("coaching.PrivateNote", "--include-private-notes")
        self.assertEqual([row["fields"]["text"] for row in json.loads(out)], [SECRET])
        self.assertIn("Warning: this dump contains every private 1:1 note in clear text", err)

    def test_other_excludes_still_apply(self) -> None:
        out, _ = dump("coaching", "--exclude", "coaching.OneOnOne")
        self.assertNotIn("SHARED roadmap", out)
        self.assertNotIn(SECRET, out)
