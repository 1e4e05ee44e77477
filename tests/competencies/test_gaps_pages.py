"""The gap pages, opened by each member of the cast: who sees what, and what it costs."""

from __future__ import annotations

import re

from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from productops.accounts.actions import do_create_login
from productops.accounts.models import Role
from productops.competencies.models import AssessmentCycle
from productops.org.models import Person
from tests.competencies.factories import make_ladder, make_model_version
from tests.competencies.gap_story import build_assessed_org, build_gap_story


def table_rows(html: str) -> dict[str, list[str]]:
    """competency key -> the cells of its row in the per-competency table."""
    rows = {}
    for key, body in re.findall(r'<tr data-competency="([^"]+)"[^>]*>(.*?)</tr>', html, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        rows[key] = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
    return rows


class PersonGapsPage(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast

    def open(self, user, person, **query):
        self.client.force_login(user)
        return self.client.get(reverse("competencies:person_gaps", args=[person.pk]), query)

    def test_the_subject_sees_their_numbers_and_radar(self) -> None:
        response = self.open(self.cast.priya_user, self.cast.priya)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        rows = table_rows(html)
        # name, self, manager, peers (n), consensus, expected, gap, change, basis
        self.assertEqual(
            rows["discovery"][1:8], ["4", "2", "2.67 (3 or more)", "2.33", "3", "+0.67", "+1.33"]
        )
        self.assertIn("blind spot", rows["discovery"][0])
        self.assertEqual(rows["strategy"][3], "hidden (fewer than 3 answered, 3 needed)")
        self.assertEqual(rows["strategy"][4:8], ["3", "2", "-1", "0"])
        self.assertIn('class="chart chart-radar"', html)
        self.assertEqual(html.count('class="chart-series'), 3)
        self.assertContains(response, "PM (Product ladder)")
        self.assertContains(response, "Change is against H1")
        self.assertContains(response, "Consensus is the mean of the manager")

    def test_the_subject_never_sees_a_single_peer_score(self) -> None:
        html = self.open(self.cast.priya_user, self.cast.priya).content.decode()
        for peer in ("Paul PM", "Dana Designer", "Tariq Tech", "Otto Outsider"):
            self.assertNotIn(peer, html)

    def test_two_peer_answers_are_hidden_everywhere_on_the_page(self) -> None:
        response = self.open(self.cast.hana_user, self.cast.paul)
        html = response.content.decode()
        rows = table_rows(html)
        self.assertEqual(rows["discovery"][3], "hidden (n=2, 3 needed)")
        self.assertEqual(rows["discovery"][4], "4")  # the manager alone, not (4 + 1) / 2
        self.assertIn("hidden strength", rows["discovery"][0])
        self.assertNotIn("Others (consensus): 2.5", html)
        self.assertNotIn("Others (consensus): 1", html)

    def test_a_peer_never_sees_a_colleagues_results(self) -> None:
        self.assertEqual(self.open(self.cast.paul_user, self.cast.priya).status_code, 404)
        self.assertEqual(self.open(self.cast.priya_user, self.cast.paul).status_code, 404)

    def test_the_manager_sees_their_chain_and_not_beyond(self) -> None:
        self.assertEqual(self.open(self.cast.marco_user, self.cast.priya).status_code, 200)
        self.assertEqual(self.open(self.cast.marco_user, self.cast.paul).status_code, 200)
        self.assertEqual(self.open(self.cast.marco_user, self.cast.dana).status_code, 404)
        self.assertEqual(self.open(self.cast.hana_user, self.cast.marco).status_code, 200)

    def test_a_viewer_sees_no_person(self) -> None:
        self.assertEqual(self.open(self.cast.vera_user, self.cast.priya).status_code, 404)

    def test_an_earlier_cycle_and_an_unknown_one(self) -> None:
        response = self.open(self.cast.priya_user, self.cast.priya, cycle=self.story.h1.pk)
        self.assertEqual(table_rows(response.content.decode())["discovery"][4], "1")
        self.assertContains(response, "No earlier cycle with this model")
        other = AssessmentCycle.objects.create(
            name="Elsewhere", version=self.story.version, due_date="2025-01-01"
        )
        self.assertEqual(
            self.open(self.cast.priya_user, self.cast.priya, cycle=other.pk).status_code, 404
        )
        self.assertEqual(
            self.open(self.cast.priya_user, self.cast.priya, cycle="x").status_code, 404
        )

    def test_empty_state(self) -> None:
        response = self.open(self.cast.hana_user, self.cast.otto)
        self.assertContains(
            response, "No submitted assessments yet — open a cycle under Assessments"
        )

    def test_no_matching_level_says_so(self) -> None:
        Person.objects.filter(pk=self.cast.priya.pk).update(level="Wizard")
        response = self.open(self.cast.priya_user, self.cast.priya)
        self.assertContains(response, "No ladder level of Test PM model matches the career level")
        self.assertEqual(table_rows(response.content.decode())["discovery"][6], "—")

    def test_carries_no_inline_style(self) -> None:
        html = self.open(self.cast.hana_user, self.cast.priya).content.decode()
        self.assertNotIn("style=", html)
        self.assertNotIn("<style", html)


class GroupGapsPages(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_gap_story()
        cls.cast = cls.story.cast

    def org(self, user, **query):
        self.client.force_login(user)
        return self.client.get(reverse("competencies:org_gaps"), query)

    def team(self, user, team, **query):
        self.client.force_login(user)
        return self.client.get(reverse("competencies:team_gaps", args=[team.pk]), query)

    def heatmap_names(self, html: str) -> list[str]:
        heatmap = re.search(r"<svg[^>]*chart-heatmap.*?</svg>", html, re.S)
        if not heatmap:
            return []
        return re.findall(
            r'<g class="chart-row"[^>]*>(?:<a [^>]*>)?<text[^>]*><title>([^<]+)', heatmap.group(0)
        )

    def test_admin_sees_everyone_and_who_needs_support(self) -> None:
        response = self.org(self.cast.hana_user)
        html = response.content.decode()
        self.assertEqual(self.heatmap_names(html), ["Marco Manager", "Paul PM", "Priya PM"])
        self.assertEqual(html.count('class="chart-cell"'), 9)
        self.assertContains(response, "Who most needs support")
        support = html[html.index("Who most needs support") :]
        self.assertLess(support.index("Hana Head"), support.index("Marco Manager"))
        marco = support[support.index("<h3>Marco Manager") :]
        self.assertLess(marco.index("Paul PM"), marco.index("Priya PM"))
        self.assertIn('class="chart chart-distribution"', html)
        self.assertNotIn("withheld", html)

    def test_manager_sees_their_chain_and_their_own_support_list(self) -> None:
        html = self.org(self.cast.marco_user).content.decode()
        self.assertEqual(self.heatmap_names(html), ["Marco Manager", "Paul PM", "Priya PM"])
        support = html[html.index("Who most needs support") :]
        self.assertIn("<h3>Marco Manager", support)
        self.assertNotIn("<h3>Hana Head", support)  # Marco is not ranked among Hana's people

    def test_member_gets_their_own_row_and_no_ranking(self) -> None:
        response = self.org(self.cast.priya_user)
        html = response.content.decode()
        self.assertEqual(self.heatmap_names(html), ["Priya PM"])
        self.assertNotContains(response, "Who most needs support")
        self.assertNotContains(response, "Paul PM")
        self.assertContains(response, "You see your own row only")
        # 3 people, Priya one of them: 2 others, fewer than 5: withheld from anyone who
        # cannot see them all
        for name in ("Discovery", "Delivery", "Strategy"):
            self.assertContains(response, f"{name}: withheld: fewer than 5 other people")

    @override_settings(PRODUCTOPS_MIN_GROUP_SIZE=3)  # the story's org has 3 people
    def test_viewer_gets_the_distribution_only(self) -> None:
        response = self.org(self.cast.vera_user)
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("chart-heatmap", html)
        self.assertNotContains(response, "Who most needs support")
        for name in ("Priya PM", "Paul PM", "Marco Manager"):
            self.assertNotIn(name, html)
        self.assertIn("chart-distribution", html)
        self.assertEqual(html.count('class="chart-median"'), 2)  # discovery and delivery
        self.assertContains(response, "Strategy: withheld: fewer than 3 other people")
        self.assertContains(response, "aggregates only")

    def test_team_page(self) -> None:
        html = self.team(self.cast.hana_user, self.cast.checkout).content.decode()
        self.assertEqual(self.heatmap_names(html), ["Priya PM"])
        self.assertEqual(self.team(self.cast.paul_user, self.cast.checkout).status_code, 404)
        self.assertEqual(self.team(self.cast.vera_user, self.cast.checkout).status_code, 404)
        own = self.team(self.cast.priya_user, self.cast.checkout).content.decode()
        self.assertEqual(self.heatmap_names(own), ["Priya PM"])

    def test_a_managers_chain(self) -> None:
        html = self.org(self.cast.hana_user, manager=self.cast.marco.pk).content.decode()
        self.assertEqual(self.heatmap_names(html), ["Paul PM", "Priya PM"])
        self.assertIn("Marco Manager&#x27;s reporting chain", html)
        self.assertEqual(self.org(self.cast.vera_user, manager=self.cast.marco.pk).status_code, 404)
        self.assertEqual(self.org(self.cast.priya_user, manager=self.cast.otto.pk).status_code, 404)

    def test_cycle_and_model_choice(self) -> None:
        html = self.org(self.cast.hana_user, cycle=self.story.h1.pk).content.decode()
        self.assertEqual(self.heatmap_names(html), ["Priya PM"])
        model = self.story.version.model.slug
        html = self.org(self.cast.hana_user, model=model).content.decode()
        self.assertEqual(len(self.heatmap_names(html)), 3)
        self.assertEqual(self.org(self.cast.hana_user, model="nope").status_code, 404)
        self.assertEqual(self.org(self.cast.hana_user, cycle=987654).status_code, 404)

    def test_heatmap_cells_carry_the_numbers(self) -> None:
        html = self.org(self.cast.hana_user).content.decode()
        self.assertIn(
            "Priya PM — Discovery: gap +0.67 (expected 3, consensus 2.33; self 4, manager 2, "
            "peers 2.67 (n=3))",
            html,
        )
        self.assertIn("peers hidden (n=2, 3 needed)", html)

    def test_empty_state(self) -> None:
        AssessmentCycle.objects.all().delete()
        response = self.org(self.cast.hana_user)
        self.assertContains(
            response, "No submitted assessments yet — open a cycle under Assessments"
        )
        self.assertContains(self.org(self.cast.vera_user), "No submitted assessments yet")

    def test_no_inline_style(self) -> None:
        html = self.org(self.cast.hana_user).content.decode()
        self.assertNotIn("style=", html)


class OrgHeatmapCost(TestCase):
    """The org heatmap costs the same number of queries for 300 people as for 30."""

    def cost(self, count: int) -> int:
        Person.objects.all().delete()
        version = make_model_version(
            name=f"Model {count}", keys=tuple(f"c{i:02}" for i in range(12))
        )
        make_ladder(version, {"PM": {f"c{i:02}": 3 for i in range(12)}}, name=f"Ladder {count}")
        boss = build_assessed_org(count, version)
        user = do_create_login(f"admin{count}", "pw-123456789", Role.ADMIN, person=boss)
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(reverse("competencies:org_gaps"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode().count('class="chart-cell"'), count * 12)
        return len(captured)

    def test_queries_do_not_grow_with_people(self) -> None:
        small = self.cost(30)
        large = self.cost(300)
        self.assertEqual(small, large)
        self.assertLessEqual(large, 14)

    def test_manager_view_costs_the_same(self) -> None:
        counts = []
        for count in (30, 300):
            Person.objects.all().delete()
            version = make_model_version(name=f"M{count}", keys=("a", "b"))
            boss = build_assessed_org(count, version)
            user = do_create_login(f"boss{count}", "pw-123456789", Role.MANAGER, person=boss)
            self.client.force_login(user)
            with CaptureQueriesContext(connection) as captured:
                self.client.get(reverse("competencies:org_gaps"))
            counts.append(len(captured))
        self.assertEqual(counts[0], counts[1])
