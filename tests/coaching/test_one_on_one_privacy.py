"""Private notes are read by their author only: for every role, on every page we render.

Marco and Priya each keep a private note on their 1:1; Tariq keeps one on his coaching
1:1 with Paul. Hana is an admin and Marco's manager; Marco is Paul's manager but not in
Tariq's series; Dana has no 1:1s; Vera is a viewer.
"""

from __future__ import annotations

from django.test import TestCase
from django.urls import reverse

from productops.coaching import visibility
from productops.coaching.actions import (
    do_add_action,
    do_save_private_note,
    do_save_shared_notes,
    do_schedule_one_on_one,
)
from tests.coaching.one_on_one_cast import build_one_on_one_cast, days

SECRETS = {
    "marco": "MARCO-ONLY worried about the workload of Priya",
    "priya": "PRIYA-ONLY thinking about moving teams",
    "tariq": "TARIQ-ONLY Paul needs more confidence",
}


class PrivateNotesForEveryRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = c = build_one_on_one_cast()
        cast = c.cast
        cls.users = {
            "hana": cast.hana_user,
            "marco": cast.marco_user,
            "priya": cast.priya_user,
            "paul": cast.paul_user,
            "tariq": c.tariq_user,
            "dana": c.dana_user,
            "vera": cast.vera_user,
        }
        cls.mp = do_schedule_one_on_one(cast.marco_user, c.marco_priya, date=days(0))
        cls.tp = do_schedule_one_on_one(c.tariq_user, c.tariq_paul, date=days(0))
        for who, meeting in (("marco", cls.mp), ("priya", cls.mp), ("tariq", cls.tp)):
            do_save_private_note(cls.users[who], meeting, text=SECRETS[who])
        do_save_shared_notes(cast.marco_user, cls.mp, text="SHARED hiring", revision=0)
        do_add_action(cast.marco_user, cls.mp, owner=cast.priya, text="Share the survey")

    def pages(self) -> list[str]:
        c = self.c
        return [
            reverse("coaching:one_on_one_detail", args=[self.mp.pk]),
            reverse("coaching:one_on_one_detail", args=[self.tp.pk]),
            reverse("coaching:series_detail", args=[c.marco_priya.pk]),
            reverse("coaching:series_detail", args=[c.tariq_paul.pk]),
            reverse("coaching:one_on_one_delete", args=[self.mp.pk]),
            reverse("coaching:one_on_one_delete", args=[self.tp.pk]),
            reverse("coaching:series_list"),
            reverse("home"),
        ]

    def secrets_seen(self, who: str) -> set[str]:
        self.client.force_login(self.users[who])
        seen = set()
        for url in self.pages():
            text = self.client.get(url).content.decode()
            seen |= {author for author, secret in SECRETS.items() if secret in text}
        return seen

    def test_each_role_sees_its_own_note_and_no_one_elses(self) -> None:
        seen = {who: self.secrets_seen(who) for who in self.users}
        self.assertEqual(
            seen,
            {
                "hana": set(),  # admin and Marco's manager: not even admins
                "marco": {"marco"},  # not Priya's; not Tariq's on his report Paul's 1:1
                "priya": {"priya"},  # not her manager's
                "paul": set(),  # the other participant of Tariq's 1:1
                "tariq": {"tariq"},
                "dana": set(),
                "vera": set(),
            },
        )

    def test_the_page_the_others_see_still_works(self) -> None:
        # The report's manager and the admin read the 1:1 and its shared notes.
        for who in ("hana", "priya"):
            self.client.force_login(self.users[who])
            response = self.client.get(reverse("coaching:one_on_one_detail", args=[self.mp.pk]))
            self.assertContains(response, "SHARED hiring")
        self.client.force_login(self.users["hana"])
        response = self.client.get(reverse("coaching:one_on_one_detail", args=[self.mp.pk]))
        self.assertNotContains(response, "Your private note")

    def test_htmx_answers_carry_no_one_elses_note(self) -> None:
        self.client.force_login(self.users["priya"])
        htmx = {"HTTP_HX_REQUEST": "true"}
        answers = [
            self.client.post(
                reverse("coaching:talking_point_add", args=[self.mp.pk]), {"text": "Hi"}, **htmx
            ),
            self.client.post(
                reverse("coaching:notes_save", args=[self.mp.pk]),
                {"text": "stale", "revision": 0},
                **htmx,
            ),
            self.client.post(
                reverse("coaching:action_add", args=[self.mp.pk]),
                {"text": "Do it", "owner": self.c.cast.priya.pk},
                **htmx,
            ),
            self.client.post(
                reverse("coaching:private_note_save", args=[self.mp.pk]),
                {"text": SECRETS["priya"] + " (edited)"},
                **htmx,
            ),
        ]
        for answer in answers:
            self.assertNotContains(answer, SECRETS["marco"])
        self.assertContains(answers[-1], "(edited)")

    def test_an_admin_who_writes_a_note_reads_only_their_own(self) -> None:
        hana = self.users["hana"]
        series = self.c.marco_priya
        self.assertEqual(list(visibility.own_private_notes(hana)), [])
        self.assertEqual(
            [note.text for note in visibility.own_private_notes(self.users["marco"])],
            [SECRETS["marco"]],
        )
        self.assertFalse(visibility.is_participant(hana, series))
