"""How many people an org finding touches, as rank_findings documents it (real database)."""

from django.test import TestCase

from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole
from productops.reports.health import health_report_for
from tests.cast import build_cast


def _org_findings(report):
    section = next(s for s in report["sections"] if s["key"] == "organization")
    return {f["sentence"].split(":")[0] + "/" + f["rule"]: f for f in section["findings"]}


class ReachTest(TestCase):
    def setUp(self):
        self.cast = build_cast()
        # Wes is a PM managed from sales (Otto's line), PM of a team of four
        self.wes = Person.objects.create(
            name="Wes PM", email="wes@example.com", discipline=Discipline.PRODUCT,
            title="Product Manager", manager=self.cast.otto,
        )  # fmt: skip
        deals = Team.objects.create(name="Deals")
        TeamMembership.objects.create(team=deals, person=self.wes, role=TeamRole.PRODUCT_MANAGER)
        for n in range(3):
            engineer = Person.objects.create(
                name=f"Engineer {n}", email=f"e{n}@example.com",
                discipline=Discipline.ENGINEERING, manager=self.cast.tariq,
            )  # fmt: skip
            TeamMembership.objects.create(team=deals, person=engineer, role=TeamRole.ENGINEER)
        self.deals = deals

    def test_a_pm_finding_touches_the_pms_team_and_a_team_finding_its_members(self):
        found = _org_findings(health_report_for(self.cast.hana_user))
        pm = found["Wes PM/pm_manager_not_product"]
        assert pm["people"] == 4
        assert pm["subject"] == f"person:{self.wes.pk}"
        assert found["Search/trio_incomplete"]["people"] == 1  # Paul alone
        assert found["Deals/trio_incomplete"]["people"] == 4
        assert found["Deals/trio_incomplete"]["subject"] == f"team:{self.deals.pk}"
