"""The overview counts teams that build: a group of teams is not one more team."""

from __future__ import annotations

from django.test import TestCase

from productops.org.models import Team
from tests.cast import PASSWORD, build_cast


class TeamCount(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        build_cast()

    def teams_shown(self) -> str:
        self.client.login(username="hana", password=PASSWORD)
        page = self.client.get("/").content.decode()
        card = page[: page.index("</div>teams</div>")]
        return card[card.rindex('<div class="stat">') + len('<div class="stat">') :]

    def test_a_group_of_teams_is_not_counted_as_a_team(self) -> None:
        building = Team.objects.count()
        assert self.teams_shown() == str(building)
        group = Team.objects.create(name="Commerce group")
        Team.objects.exclude(pk=group.pk).update(parent=group)
        assert self.teams_shown() == str(building)
        Team.objects.create(name="Platform")  # a team with no subteams builds
        assert self.teams_shown() == str(building + 1)
