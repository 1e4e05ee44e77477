"""What each role may see of the organization, decided by org/visibility.py alone."""

from __future__ import annotations

from django.test import TestCase

from productops.org import visibility
from tests.cast import build_cast


class VisibilityByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def names(self, user) -> set[str]:
        return set(visibility.visible_people(user).values_list("name", flat=True))

    def test_admin_sees_everyone(self) -> None:
        self.assertEqual(len(self.names(self.cast.hana_user)), 7)
        self.assertIsNone(visibility.visible_person_ids(self.cast.hana_user))

    def test_manager_sees_their_reporting_chain_and_own_managers(self) -> None:
        names = self.names(self.cast.marco_user)
        self.assertTrue({"Marco Manager", "Priya PM", "Paul PM", "Hana Head"} <= names)
        # Otto is in sales, outside Marco's chain and teams
        self.assertNotIn("Otto Outsider", names)

    def test_manager_sees_teammates_of_their_reports_only_through_team_pages(self) -> None:
        # Dana is on Priya's team but not in Marco's chain nor Marco's own teams.
        self.assertNotIn("Dana Designer", self.names(self.cast.marco_user))
        self.assertTrue(visibility.can_see_team(self.cast.marco_user, self.cast.checkout))

    def test_member_sees_self_teammates_and_managers_not_peers(self) -> None:
        names = self.names(self.cast.priya_user)
        self.assertEqual(
            names, {"Priya PM", "Dana Designer", "Tariq Tech", "Marco Manager", "Hana Head"}
        )
        self.assertNotIn("Paul PM", names)  # a peer on another team

    def test_viewer_sees_no_one_by_name(self) -> None:
        self.assertEqual(self.names(self.cast.vera_user), set())
        self.assertFalse(visibility.sees_names(self.cast.vera_user))
        self.assertFalse(visibility.visible_teams(self.cast.vera_user).exists())

    def test_teams_per_role(self) -> None:
        c = self.cast
        team_names = lambda user: set(visibility.visible_teams(user).values_list("name", flat=True))  # noqa: E731
        self.assertEqual(team_names(c.hana_user), {"Checkout", "Search"})
        self.assertEqual(team_names(c.marco_user), {"Checkout", "Search"})
        self.assertEqual(team_names(c.priya_user), {"Checkout"})
        self.assertEqual(team_names(c.paul_user), {"Search"})

    def test_private_records_are_for_the_person_their_managers_and_admins(self) -> None:
        c = self.cast
        see = visibility.can_see_private_records
        self.assertTrue(see(c.priya_user, c.priya))
        self.assertTrue(see(c.marco_user, c.priya))
        self.assertTrue(see(c.hana_user, c.priya))
        self.assertFalse(see(c.paul_user, c.priya))  # a peer never
        self.assertFalse(see(c.priya_user, c.marco))  # not upward either
        self.assertFalse(see(c.vera_user, c.priya))

    def test_audit_scope_per_role(self) -> None:
        c = self.cast
        self.assertEqual(visibility.audit_scope(c.hana_user)[0], "all")
        scope, people, teams = visibility.audit_scope(c.marco_user)
        self.assertEqual(scope, "chain")
        self.assertEqual(people, {c.marco.pk, c.priya.pk, c.paul.pk})
        self.assertEqual(teams, {c.checkout.pk, c.search.pk})
        self.assertEqual(visibility.audit_scope(c.priya_user)[0], "summary")
        self.assertEqual(visibility.audit_scope(c.vera_user)[0], "summary")

    def test_anonymous_sees_nothing(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.assertFalse(visibility.visible_people(AnonymousUser()).exists())
        self.assertFalse(visibility.visible_teams(AnonymousUser()).exists())
