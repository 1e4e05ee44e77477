"""The health report for the whole org, one group or one team (and a tracker project).

The cast's Checkout and Search teams are put under a group, Commerce, led by Marco.
"""

import io
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import timezone

from productops.backlog.items import projects
from productops.backlog.report import build_report
from productops.ops.models import Job
from productops.org import visibility as org_visibility
from productops.org.audit import run_org_audit
from productops.org.models import Team, TeamMembership, TeamRole
from productops.reports.actions import do_generate_health_report
from productops.reports.health import (
    area_findings,
    health_report_for,
    parse_scope,
    scope_choices,
    subtree_ids,
)
from productops.reports.models import ReportSnapshot
from tests.api import ApiClient
from tests.backlog.report_story import build_backlog
from tests.cast import PASSWORD, build_cast


def _section(report, key):
    return next(s for s in report["sections"] if s["key"] == key)


def _headline(section, name):
    return next(h["value"] for h in section["headlines"] if h["name"] == name)


# Jobs run where they start (the conftest sets it; set here too so a task backend resolved
# at start-up is replaced for these tests).
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE)
class ScopedReportTest(TestCase):
    def setUp(self):
        self.cast = build_cast()
        self.commerce = Team.objects.create(name="Commerce", mission="Sell things")
        TeamMembership.objects.create(
            team=self.commerce, person=self.cast.marco, role=TeamRole.OTHER
        )
        Team.objects.filter(pk__in=[self.cast.checkout.pk, self.cast.search.pk]).update(
            parent=self.commerce
        )
        self.admin = self.cast.hana_user

    def test_scope_strings_parse_to_the_team_subtree_and_its_members(self):
        team = parse_scope(self.admin, f"team:{self.cast.checkout.pk}")
        assert team.key == f"team:{self.cast.checkout.pk}"
        assert team.team_ids == {self.cast.checkout.pk}
        assert team.person_ids == {self.cast.priya.pk, self.cast.dana.pk, self.cast.tariq.pk}
        group = parse_scope(self.admin, f"group:{self.commerce.pk}")
        assert group.team_ids == subtree_ids(self.commerce.pk)
        assert group.team_ids == {self.commerce.pk, self.cast.checkout.pk, self.cast.search.pk}
        assert self.cast.marco.pk in group.person_ids and self.cast.paul.pk in group.person_ids
        assert self.cast.hana.pk not in group.person_ids
        assert parse_scope(self.admin, "").key == "org"
        assert parse_scope(self.admin, "org").team_ids is None

    def test_unknown_scopes_are_a_clear_error(self):
        for text, says in (
            ("Checkout", "is not a scope"),
            ("team:999999", "No team with id 999999"),
            ("team:abc", "is not a scope"),
            (f"group:{self.cast.checkout.pk}", "holds no teams"),
            ("project:NOPE", "No tracker project named 'NOPE'"),
        ):
            with self.subTest(text):
                with self.assertRaisesMessage(ValueError, says):
                    parse_scope(self.admin, text)
        # a viewer sees no teams: a team scope is unknown to them
        with self.assertRaisesMessage(ValueError, "No team with id"):
            parse_scope(self.cast.vera_user, f"team:{self.cast.checkout.pk}")

    def test_the_choices_are_the_org_then_groups_then_teams(self):
        assert scope_choices(self.admin) == [
            ("org", "Whole organization"),
            (f"group:{self.commerce.pk}", "Group: Commerce"),
            (f"team:{self.cast.checkout.pk}", "Team: Checkout"),
            (f"team:{self.cast.search.pk}", "Team: Search"),
        ]
        assert scope_choices(self.cast.vera_user) == [("org", "Whole organization")]

    def test_a_team_report_counts_only_that_subtree_as_the_audit_does(self):
        whole = health_report_for(self.admin)
        report = health_report_for(self.admin, scope=f"team:{self.cast.search.pk}")
        assert report["scope"] == f"team:{self.cast.search.pk}"
        assert report["scope_label"] == "Team Search"
        org = _section(report, "organization")
        assert _headline(org, "People") == 1  # Paul
        assert _headline(_section(whole, "organization"), "People") == 7
        # the audit page's own findings, kept to Search and its one member
        seen = org_visibility.visible_audit(self.admin, run_org_audit())
        expected = [
            f"{f.subject_name}: {f.message}"
            for f in seen["findings"]
            if (f.subject_kind == "team" and f.subject_id == self.cast.search.pk)
            or (f.subject_kind == "person" and f.subject_id == self.cast.paul.pk)
        ]
        assert expected  # Search has no designer or tech lead: its trio is incomplete
        assert [f["sentence"] for f in org["findings"]] == expected
        assert len(expected) < len(_section(whole, "organization")["findings"])
        assert _headline(org, "Critical findings") + _headline(org, "Warnings") == sum(
            1 for f in org["findings"] if f["severity"] in ("critical", "warning")
        )
        assert all("Checkout" not in f["sentence"] for f in report["summary"])

    def test_a_group_report_covers_its_teams_and_its_own_leads(self):
        report = health_report_for(self.admin, scope=f"group:{self.commerce.pk}")
        assert _headline(_section(report, "organization"), "People") == 5
        assert report["scope_label"] == "Group Commerce"

    def test_the_backlog_narrows_to_the_team_project_or_says_it_cannot(self):
        build_backlog()
        assert set(projects()) == {"Checkout", "Search"}
        team = health_report_for(self.admin, scope=f"team:{self.cast.checkout.pk}")
        backlog = _section(team, "backlog")
        assert _headline(backlog, "Items") == build_report(project="Checkout").item_count
        assert _headline(backlog, "Items") < build_report().item_count
        group = health_report_for(self.admin, scope=f"group:{self.commerce.pk}")
        notes = " ".join(_section(group, "backlog")["notes"])
        assert "maps to 2 tracker projects (Checkout, Search)" in notes
        assert _headline(_section(group, "backlog"), "Items") == build_report().item_count

    def test_a_reader_with_audit_counts_only_keeps_the_org_wide_counts_and_says_so(self):
        # Priya (member) may pick her own team, but reads the audit as counts only
        mine = health_report_for(self.cast.priya_user, scope=f"team:{self.cast.checkout.pk}")
        whole = health_report_for(self.cast.priya_user)
        org, org_whole = _section(mine, "organization"), _section(whole, "organization")
        assert _headline(org, "Warnings") == _headline(org_whole, "Warnings")
        assert any("whole organization, not Team Checkout" in n for n in org["notes"])
        assert "Paul PM" not in str(mine)

    def test_snapshots_compare_only_within_one_scope(self):
        do_generate_health_report(self.admin)
        scoped = do_generate_health_report(self.admin, scope=f"team:{self.cast.search.pk}")
        assert scoped.scope == f"team:{self.cast.search.pk}"
        assert scoped.report["compared_with"] is None
        again = do_generate_health_report(self.admin, scope=f"team:{self.cast.search.pk}")
        assert again.report["compared_with"]["id"] == scoped.pk

    def test_the_page_offers_the_scopes_and_refuses_an_unknown_one(self):
        self.client.login(username=self.admin.username, password=PASSWORD)
        html = self.client.get("/reports/health/").content.decode()
        assert '<select id="report-scope" name="scope">' in html
        assert f'<option value="group:{self.commerce.pk}">Group: Commerce</option>' in html
        bad = self.client.post("/reports/health/", {"scope": "team:999999"})
        assert bad.status_code == 200
        assert "No team with id 999999" in bad.content.decode()
        assert not ReportSnapshot.objects.exists()
        ok = self.client.post("/reports/health/", {"scope": f"team:{self.cast.search.pk}"})
        assert ok.status_code == 302
        kept = ReportSnapshot.objects.get()
        assert kept.scope == f"team:{self.cast.search.pk}"
        job = Job.objects.get()  # the form started a job; its result is the snapshot's page
        assert ok["Location"] == f"/jobs/{job.pk}/"
        assert "scope: Team Search" in self.client.get(job.result_url).content.decode()

    def test_the_api_and_the_command_take_the_same_strings(self):
        api = ApiClient()
        ok = api.get(self.admin, "/reports/health", query={"scope": f"team:{self.cast.search.pk}"})
        assert ok.status_code == 200 and ok.json()["scope"] == f"team:{self.cast.search.pk}"
        bad = api.get(self.admin, "/reports/health", query={"scope": "everyone"})
        assert bad.status_code == 422 and "is not a scope" in bad.content.decode()
        with self.assertRaisesMessage(CommandError, "No team with id 999999"):
            call_command(
                "report", out="/tmp/x.html", login=self.admin.username, scope="team:999999"
            )
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp, "team.html")
            call_command(
                "report",
                out=str(out),
                login=self.admin.username,
                scope=f"group:{self.commerce.pk}",
                stdout=io.StringIO(),
            )
            assert "scope: Group Commerce" in out.read_text()


class ProductAreasInTheReportTest(TestCase):
    """The per-area findings are part of the backlog section of every report."""

    def setUp(self):
        self.cast = build_cast()
        build_backlog()

    def test_a_sales_led_area_is_a_backlog_finding_touching_its_team(self):
        from datetime import timedelta

        from django.utils import timezone

        from productops.backlog.models import Item

        created = timezone.now() - timedelta(days=10)
        Item.objects.bulk_create(
            Item(
                source="jira", key=f"CHE-{100 + n}", title=f"Ask {n}", project="Checkout",
                status_category="todo", origin=origin, kind="new_value", framing="solution",
                created=created,
            )
            for n, origin in enumerate(["sales"] * 7 + ["customer"])
        )  # fmt: skip
        report = health_report_for(self.cast.hana_user)
        found = [
            f for f in _section(report, "backlog")["findings"] if f["rule"] == "sales_led_area"
        ]
        assert [f["sentence"].split(" is ")[0] for f in found] == ["Checkout"]
        assert found[0]["people"] == 3
        assert found[0]["subject"] == "area:Checkout"
        assert found[0]["sentence"] == area_findings(["Checkout"])[0].sentence
        assert any(f["rule"] == "sales_led_area" for f in report["summary"])


class ScopedCoachingTest(TestCase):
    def test_the_1_1_series_narrow_to_the_people_in_scope(self):
        from productops.coaching.cadence import load_cadence
        from productops.coaching.models import OneOnOneSeries

        cast = build_cast()
        for report in (cast.priya, cast.paul, cast.dana):
            OneOnOneSeries.objects.create(lead=cast.marco, report=report)
        whole = health_report_for(cast.hana_user)
        team = health_report_for(cast.hana_user, scope=f"team:{cast.checkout.pk}")
        assert _headline(_section(whole, "coaching"), "1:1 series") == 3
        # the 1:1 cadence page's own call on the series of Checkout's people
        expected = load_cadence(
            OneOnOneSeries.objects.filter(report__in=[cast.priya, cast.dana]),
            today=timezone.localdate(),
        )
        assert _headline(_section(team, "coaching"), "1:1 series") == len(expected.series) == 2
