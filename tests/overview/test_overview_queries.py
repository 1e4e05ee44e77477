"""The overview costs a bounded number of queries for every role, and no more for a big org.

Each role's page is counted with the cast (with a report, a CEO/CPO check, plans, 1:1s,
gaps and touchpoints behind it), then with the cast's org grown to 200 more people
(`tests.test_query_costs.Org`: each with a team, a plan with a goal, a 1:1 series with
Marco, touchpoints, objectives, and a check Marco ranks in), and for a manager of 200
assessed PMs (`build_assessed_org`). The bounds are upper bounds: a page may lose a query,
not gain one per person.
"""

from __future__ import annotations

import sys

from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, TestCase

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.org.models import Person
from productops.reports.actions import do_generate_health_report
from productops.strategy.actions import do_create_check
from tests.cast import PASSWORD, Cast
from tests.competencies.factories import make_ladder, make_model_version
from tests.competencies.gap_story import build_assessed_org
from tests.overview.story import build_overview_story
from tests.query_counts import queries_of
from tests.strategy.check_story import rank
from tests.test_query_costs import Org

# The most queries each role's overview may cost (the session, the login and every block):
# what the page costs today with the grown org, plus two for a small change elsewhere.
BOUNDS = {
    "admin": 54,
    "manager": 64,
    "member": 53,
    "viewer": 38,
    "assessed manager": 46,
}


def rank_q3_for(cast: Cast) -> None:
    """A CEO/CPO check Hana and Priya both ranked, compared with an earlier one."""
    earlier = do_create_check(
        cast.hana_user,
        title="Q2",
        priorities=["A", "B", "C"],
        participants=[cast.hana_user, cast.priya_user],
        previous=None,
    )
    rank(cast.hana_user, earlier, [1, 2, 3])
    rank(cast.priya_user, earlier, [3, 2, 1])
    now = do_create_check(
        cast.hana_user,
        title="Q3",
        priorities=["A", "B", "C"],
        participants=[cast.hana_user, cast.priya_user],
    )
    rank(cast.hana_user, now, [1, 2, 3])
    rank(cast.priya_user, now, [1, 3, 2])


def page(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def count(user: User) -> int:
    client = Client()
    client.force_login(user)
    return queries_of(client, "/")


class QueryBounds(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = c = build_overview_story().cast
        rank_q3_for(c)
        do_generate_health_report(c.hana_user)
        do_generate_health_report(c.hana_user)
        do_generate_health_report(c.vera_user)

    def logins(self) -> dict[str, User]:
        c = self.cast
        return {
            "admin": c.hana_user,
            "manager": c.marco_user,
            "member": c.priya_user,
            "viewer": c.vera_user,
        }

    def test_each_role_stays_under_its_bound_with_the_cast(self) -> None:
        seen = {role: count(user) for role, user in self.logins().items()}
        print("cast", seen, file=sys.stderr)
        for role, queries in seen.items():
            assert queries <= BOUNDS[role], f"{role}: {queries} queries"

    def test_a_grown_org_costs_no_more(self) -> None:
        org = Org(self.cast)
        at = {}
        for size in (20, 200):
            org.grow(size)
            at[size] = {role: count(user) for role, user in self.logins().items()}
        print("grown", at, file=sys.stderr)
        assert at[20] == at[200]
        for role, queries in at[200].items():
            assert queries <= BOUNDS[role], f"{role}: {queries} queries"
        # what the big org shows: a dozen of Marco's 202 people, and still no name to Vera
        assert "You manage 202 people" in page(self.cast.marco_user)
        assert "The 12 needing attention most are shown" in page(self.cast.marco_user)
        seen_by_viewer = page(self.cast.vera_user)
        for name in Person.objects.values_list("name", flat=True):
            assert name not in seen_by_viewer, name

    def test_a_manager_of_many_assessed_pms_costs_no_more(self) -> None:
        version = make_model_version(name="Assessed model")
        make_ladder(version, {"PM": {"discovery": 4, "delivery": 4, "strategy": 4}}, name="L")
        seen = {}
        for size in (20, 200):
            sid = transaction.savepoint()
            boss = build_assessed_org(size, version)
            login = do_create_login("boss", PASSWORD, Role.MANAGER, person=boss)
            assert "below)" in page(login)  # the gaps are there
            seen[size] = count(login)
            transaction.savepoint_rollback(sid)
        print("assessed", seen, file=sys.stderr)
        assert seen[20] == seen[200]
        assert seen[200] <= BOUNDS["assessed manager"]
