"""The delegation board gives no band of a PM's competence to who may not see it.

The attack (security review, L6): the competence part is hidden, but trio, cadence and
the recommended level are shown; for a medium area recommended = round(4 + 3c) puts a
lone PM's competence c in a band a sixth of the scale wide. Here Paul is alone on
Search; Priya (a peer) and Vera (a viewer) may not see his assessment. We move his
competence from the bottom of the scale to the top, for real (his ratings), and what they
get from the API, the board page and the overview page must not change at all, while
Marco, his manager, sees the recommendation move.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User
from django.test import TestCase

from productops.competencies.models import Rating
from productops.discovery.models import Touchpoint
from productops.strategy.delegation import pm_competence
from productops.strategy.models import DecisionArea, Delegation, Difficulty
from tests.api import ApiClient
from tests.competencies.gap_story import build_gap_story


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens, which differ on every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


class CompetenceBand(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast
        cls.api = ApiClient()
        # the org logs touchpoints, so every team's cadence is known (here 0)
        Touchpoint.objects.create(
            team=cls.cast.checkout, date=dt.date(2020, 1, 6), kind="interview"
        )
        cls.process = DecisionArea.objects.create(name="Process", difficulty=Difficulty.MEDIUM)
        Delegation.objects.create(team=cls.cast.search, area=cls.process, level=7)

    def set_paul(self, score: int) -> float:
        """Every rating of Paul's becomes `score`; his competence as the board computes it."""
        Rating.objects.filter(request__subject=self.cast.paul, score__isnull=False).update(
            score=score
        )
        return pm_competence([self.cast.paul.pk])[self.cast.paul.pk]

    def seen(self, user: User) -> tuple[list[dict], str, str]:
        body = self.api.get(user, "/strategy/delegation").json()
        search = [cell for cell in body["cells"] if cell["team_id"] == self.cast.search.pk]
        search += [cell for cell in body["findings"] if cell["team_id"] == self.cast.search.pk]
        self.client.force_login(user)
        board = self.client.get("/strategy/delegation/").content.decode()
        home = self.client.get("/").content.decode()
        return search, without_tokens(board), without_tokens(home)

    def test_peer_and_viewer_learn_nothing_of_pauls_competence(self) -> None:
        low = self.set_paul(1)
        low_seen = {u.username: self.seen(u) for u in (self.cast.priya_user, self.cast.vera_user)}
        low_marco = self.seen(self.cast.marco_user)[0]
        high = self.set_paul(5)
        self.assertEqual((low, high), (0.0, 1.0))
        for user in (self.cast.priya_user, self.cast.vera_user):
            search, board, home = self.seen(user)
            self.assertEqual((search, board, home), low_seen[user.username], user.username)
            (cell,) = search  # no finding for Search: it would tell the recommendation
            for field in ("recommended", "distance", "finding", "maturity"):
                self.assertIsNone(cell[field], (user.username, field))
            self.assertTrue(cell["recommendation_withheld"])
            competence = next(p for p in cell["parts"] if p["part"] == "competence")
            self.assertEqual((competence["value"], competence["hidden"]), (None, True))
            self.assertIn("Recommendation not shown", board)
        # his manager sees it: the recommendation follows the competence
        marco = self.seen(self.cast.marco_user)[0]
        self.assertLess(low_marco[0]["recommended"], marco[0]["recommended"])
        self.assertFalse(marco[0]["recommendation_withheld"])
