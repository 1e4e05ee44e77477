"""The differencing attack on peer scores, run as the subject through the real API and pages.

Issue 11, finding C1 of the security review: while a cycle was open the subject saw the
peer mean and count, and the cycle page named each peer with their status. When one more
peer submitted (or a manager reopened one), n_after × mean_after − n_before × mean_before
was that peer's exact score. Here Priya, the subject, records everything she is shown,
lets the world move on one step, records again, and works out every score she can: with
the exact number of peers (she knows whom she asked), and the peer mean as shown or as it
follows from the consensus and her manager's score. The tests fail if any peer's score
comes out.

The cast: "H1 review" (cycle_cast) for Priya and Paul. Priya's peers: Paul, Dana, Tariq and
Otto, so 4 requested peers; Marco, her manager, rates her too.
"""

from __future__ import annotations

import re
from typing import Any

from django.test import TestCase

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.competencies.actions import do_nominate_peer
from productops.competencies.models import AssessmentRequest
from tests.api import ApiClient
from tests.cast import PASSWORD
from tests.competencies.cycle_cast import KEYS, build_cycle_cast
from tests.competencies.test_gaps_pages import table_rows

# Each peer's scores for (discovery, delivery, strategy): all different, so a recovered
# score cannot be a coincidence of equal answers.
SCORES = {
    "paul": (2, 4, 3),
    "dana": (3, 2, 5),
    "tariq": (4, 3, 1),
    "otto": (5, 1, 4),
}
MANAGER = (3, 3, 3)
SELF = (4, 4, 4)
BASIS = {
    "manager and peers": "manager+peers",
    "peers only": "peers",
    "manager only": "manager",
}


class PeerDifferencing(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.c = build_cycle_cast()
        cast = cls.c.cast
        do_create_login("tariq", PASSWORD, Role.MEMBER, person=cast.tariq)
        do_create_login("otto", PASSWORD, Role.MEMBER, person=cast.otto)
        for peer in (cast.tariq, cast.otto):
            do_nominate_peer(cast.marco_user, cls.c.cycle, cast.priya, peer)
        cls.api = ApiClient()

    # -- moving the world ----------------------------------------------------------------

    def request_of(self, rater: str) -> AssessmentRequest:
        return AssessmentRequest.objects.get(
            cycle=self.c.cycle, subject=self.c.cast.priya, rater__email=f"{rater}@example.com"
        )

    def answer(self, login: str, request: AssessmentRequest, scores: tuple[int, ...]) -> None:
        ratings = [
            {"competency_key": key, "score": score} for key, score in zip(KEYS, scores, strict=True)
        ]
        path = f"/competencies/requests/{request.pk}"
        response = self.api.put(login, f"{path}/ratings", json={"ratings": ratings})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(self.api.post(login, f"{path}/submit").status_code, 200)

    def peer_submits(self, name: str) -> None:
        self.answer(name, self.request_of(name), SCORES[name])

    def self_and_manager_answer(self) -> None:
        self.answer("priya", self.c.priya_self, SELF)
        self.answer("marco", self.c.marco_on_priya, MANAGER)

    def reopen(self, name: str) -> Any:
        return self.api.post(
            "marco",
            f"/competencies/requests/{self.request_of(name).pk}/reopen",
            json={"reason": "Rated the wrong person"},
        )

    # -- what the subject sees -----------------------------------------------------------

    def seen_in_api(self) -> dict[str, dict[str, Any]]:
        response = self.api.get(
            "priya",
            f"/competencies/gaps/people/{self.c.cast.priya.pk}",
            query={"cycle": self.c.cycle.pk},
        )
        self.assertEqual(response.status_code, 200)
        return {row["key"]: row for row in response.json()["competencies"]}

    def seen_on_page(self) -> dict[str, dict[str, Any]]:
        self.client.force_login(self.c.cast.priya_user)
        response = self.client.get(
            f"/competencies/gaps/people/{self.c.cast.priya.pk}/", {"cycle": self.c.cycle.pk}
        )
        self.assertEqual(response.status_code, 200)
        rows = {}
        for key, cells in table_rows(response.content.decode()).items():
            peers = re.match(r"^(\d+(?:\.\d+)?) \(", cells[3])
            rows[key] = {
                "manager_score": _number(cells[2]),
                "peer_mean": float(peers.group(1)) if peers else None,
                "consensus": _number(cells[4]),
                "basis": BASIS.get(cells[8], cells[8]),
            }
        return rows

    def seen(self) -> list[dict[str, dict[str, Any]]]:
        return [self.seen_in_api(), self.seen_on_page()]

    def assert_nothing_recovered(
        self,
        before: list[dict[str, dict[str, Any]]],
        after: list[dict[str, dict[str, Any]]],
        *,
        n_before: int,
        n_after: int,
        scores: tuple[int, ...],
    ) -> None:
        for shown_before, shown_after in zip(before, after, strict=True):
            for index, key in enumerate(KEYS):
                found = recover(shown_before[key], shown_after[key], n_before, n_after)
                if found is not None:
                    self.assertNotAlmostEqual(
                        found, scores[index], places=2, msg=f"the peer's {key} recovered"
                    )

    # -- the attacks ---------------------------------------------------------------------

    def test_one_more_peer_submitting_gives_nothing_away(self) -> None:
        self.self_and_manager_answer()
        for name in ("paul", "dana", "tariq"):
            self.peer_submits(name)
        before = self.seen()
        # 3 of 4 requested peers answered: the peer results are pending, and they leave
        # no trace in any number (the consensus is the manager's score alone).
        for row in before[0].values():
            self.assertIsNone(row["peer_mean"])
            self.assertIsNone(row["peer_count"])
            self.assertEqual(row["peers_answered"], "pending")
            self.assertEqual(row["consensus"], 3)
        self.peer_submits("otto")
        after = self.seen()
        self.assert_nothing_recovered(before, after, n_before=3, n_after=4, scores=SCORES["otto"])
        # Everyone asked has answered: released, the count read as "3 or more".
        discovery = after[0]["discovery"]
        self.assertEqual(discovery["peer_mean"], 3.5)
        self.assertEqual(discovery["peers_answered"], "3 or more")
        self.assertIsNone(discovery["peer_count"])

    def test_the_reviews_attack_four_of_five_then_five(self) -> None:
        """The review's own reproduction: the mean over 4 peers, then over 5."""
        cast = self.c.cast
        do_nominate_peer(cast.marco_user, self.c.cycle, cast.priya, cast.hana)
        self.self_and_manager_answer()
        for name in ("paul", "dana", "tariq", "otto"):
            self.peer_submits(name)
        before = self.seen()
        hana = AssessmentRequest.objects.get(
            cycle=self.c.cycle, subject=cast.priya, rater=cast.hana
        )
        self.answer("hana", hana, (1, 5, 2))
        after = self.seen()
        self.assert_nothing_recovered(before, after, n_before=4, n_after=5, scores=(1, 5, 2))

    def test_reopening_before_the_release_gives_nothing_away(self) -> None:
        self.self_and_manager_answer()
        for name in ("paul", "dana", "tariq"):
            self.peer_submits(name)
        before = self.seen()
        self.assertEqual(self.reopen("paul").status_code, 200)
        after = self.seen()
        self.assert_nothing_recovered(before, after, n_before=3, n_after=2, scores=SCORES["paul"])
        self.assertEqual(before, after)  # nothing peer-based was shown either time

    def test_after_the_release_a_reopening_is_refused_and_nothing_changes(self) -> None:
        self.self_and_manager_answer()
        for name in SCORES:
            self.peer_submits(name)
        released = self.seen()
        self.assertEqual(released[0]["delivery"]["peer_mean"], 2.5)
        response = self.reopen("dana")
        self.assertEqual(response.status_code, 422)
        self.assertIn("peer results are out", response.json()["detail"])
        self.assertEqual(self.request_of("dana").status, AssessmentRequest.Status.SUBMITTED)
        # No more peers can join either: a fifth answer would move the mean.
        response = self.api.post(
            "priya",
            f"/competencies/cycles/{self.c.cycle.pk}/nominations",
            json={"subject_id": self.c.cast.priya.pk, "peer_id": self.c.cast.hana.pk},
        )
        self.assertEqual(response.status_code, 422)
        self.assertIn("no more peers can be asked", response.json()["detail"])
        self.assertEqual(self.seen(), released)
        # The manager's own answers are not locked: they involve no peer.
        self.assertEqual(
            self.api.post(
                "marco",
                f"/competencies/requests/{self.c.marco_on_priya.pk}/reopen",
                json={"reason": "Typo"},
            ).status_code,
            200,
        )
        # Closing changes nothing that was released.
        self.answer("marco", self.c.marco_on_priya, MANAGER)
        self.assertEqual(
            self.api.post("hana", f"/competencies/cycles/{self.c.cycle.pk}/close").status_code,
            200,
        )
        self.assertEqual(self.seen(), released)

    def test_a_nomination_waiting_at_the_release_can_only_be_declined(self) -> None:
        cast = self.c.cast
        self.self_and_manager_answer()
        for name in SCORES:
            self.peer_submits(name)
        # Priya had nominated Hana just before; the release came first.
        waiting = AssessmentRequest.objects.create(
            cycle=self.c.cycle,
            subject=cast.priya,
            rater=cast.hana,
            kind="peer",
            status=AssessmentRequest.Status.NOMINATED,
        )
        path = f"/competencies/requests/{waiting.pk}/decision"
        response = self.api.post("marco", path, json={"approve": True})
        self.assertEqual(response.status_code, 422)
        self.assertIn("can only be declined", response.json()["detail"])
        self.assertEqual(self.api.post("marco", path, json={"approve": False}).status_code, 200)
        # The subject cannot read a peer request's status through a refusal either.
        probe = self.api.post(
            "priya",
            f"/competencies/requests/{self.request_of('otto').pk}/decision",
            json={"approve": True},
        )
        self.assertEqual(probe.status_code, 403)
        self.assertNotIn("submitted", probe.json()["detail"].lower())

    def test_closing_the_cycle_releases_the_peer_results(self) -> None:
        self.self_and_manager_answer()
        for name in ("paul", "dana", "tariq"):
            self.peer_submits(name)
        self.assertIsNone(self.seen_in_api()["discovery"]["peer_mean"])
        self.client.force_login(self.c.cast.priya_user)
        page = self.client.get(f"/competencies/gaps/people/{self.c.cast.priya.pk}/")
        self.assertContains(page, "Peer results for H1 review are pending")
        self.assertEqual(
            self.api.post("hana", f"/competencies/cycles/{self.c.cycle.pk}/close").status_code,
            200,
        )
        rows = self.seen_in_api()
        self.assertEqual(rows["discovery"]["peer_mean"], 3)  # (2 + 3 + 4) / 3
        self.assertEqual(rows["discovery"]["consensus"], 3)
        self.assertEqual(rows["strategy"]["peer_mean"], 3)  # (3 + 5 + 1) / 3
        self.assertEqual(rows["discovery"]["peers_answered"], "3 or more")
        page = self.client.get(f"/competencies/gaps/people/{self.c.cast.priya.pk}/")
        self.assertNotContains(page, "pending")
        self.assertEqual(table_rows(page.content.decode())["discovery"][3], "3 (3 or more)")

    def test_admins_keep_what_they_see(self) -> None:
        self.self_and_manager_answer()
        for name in ("paul", "dana", "tariq"):
            self.peer_submits(name)
        body = self.api.get(
            "hana",
            f"/competencies/gaps/people/{self.c.cast.priya.pk}",
            query={"cycle": self.c.cycle.pk},
        ).json()
        self.assertEqual(body["peer_results"], "live")
        self.assertFalse(body["peers_released"])
        discovery = body["competencies"][0]
        self.assertEqual((discovery["peer_mean"], discovery["peer_count"]), (3, 3))
        # Marco, her manager, goes by the release like Priya does.
        marco = self.api.get(
            "marco",
            f"/competencies/gaps/people/{self.c.cast.priya.pk}",
            query={"cycle": self.c.cycle.pk},
        ).json()
        self.assertEqual(marco["peer_results"], "pending")
        self.assertIsNone(marco["competencies"][0]["peer_mean"])

    def test_the_subject_never_sees_a_peer_named_with_a_status(self) -> None:
        self.self_and_manager_answer()
        self.peer_submits("paul")
        self.client.force_login(self.c.cast.priya_user)
        html = self.client.get(f"/competencies/cycles/{self.c.cycle.pk}/").content.decode()
        progress = html[html.index("<h2>Progress</h2>") :]
        for name in ("Paul PM", "Dana Designer", "Tariq Tech", "Otto Outsider"):
            self.assertNotIn(name, progress)
        self.assertIn("who was asked and who has answered stays private", progress)
        body = self.api.get("priya", f"/competencies/cycles/{self.c.cycle.pk}").content.decode()
        for name in ("Dana Designer", "Tariq Tech", "Otto Outsider"):
            self.assertNotIn(name, body)
        # Her manager still sees who owes what.
        self.client.force_login(self.c.cast.marco_user)
        html = self.client.get(f"/competencies/cycles/{self.c.cycle.pk}/").content.decode()
        self.assertIn("Peer: Otto Outsider", html)
        self.assertIn("Peer: Paul PM", html)


def _number(cell: str) -> float | None:
    return None if cell in ("—", "") else float(cell)


def recover(
    before: dict[str, Any], after: dict[str, Any], n_before: int, n_after: int
) -> float | None:
    """n_after × mean_after − n_before × mean_before, from whatever the subject was shown."""
    mean_before, mean_after = peer_mean_shown(before), peer_mean_shown(after)
    if mean_before is None and n_before == 0:
        mean_before = 0.0
    if mean_after is None and n_after == 0:
        mean_after = 0.0
    if mean_before is None or mean_after is None:
        return None
    return n_after * mean_after - n_before * mean_before


def peer_mean_shown(row: dict[str, Any]) -> float | None:
    """The peer mean as shown, or as it follows from the consensus and the manager's score."""
    if row.get("peer_mean") is not None:
        return float(row["peer_mean"])
    consensus, manager = row.get("consensus"), row.get("manager_score")
    if row.get("basis") == "peers" and consensus is not None:
        return float(consensus)
    if row.get("basis") == "manager+peers" and consensus is not None and manager is not None:
        return 2 * float(consensus) - float(manager)
    return None
