"""CSV and XLSX downloads of the last tables: the same rows as the page, per role.

As in tests/test_table_downloads_more.py, each story opens the page as a role, reads the
rows the page shows from its context, downloads both formats and compares. A role the
page shows no table to gets no file.
"""

from __future__ import annotations

from typing import Any

from django.test import TestCase

from productops.strategy.actions import do_create_check
from tests.strategy.check_story import HANA_Q3, PRIYA_Q3, build_check_story, rank
from tests.test_table_downloads_more import DownloadCase, number


def check_url(check: Any) -> str:
    return f"/strategy/checks/{check.pk}/"


class CheckDetailDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_check_story()
        cls.cast = cls.story.cast
        cls.q3 = cls.story.q3
        cls.url = check_url(cls.q3)

    def table(self, user: Any, key: str) -> tuple[list[list[str]], list[list[object]]]:
        self.client.force_login(user)
        return self.both(f"{self.url}?table={key}")

    def refused_table(self, user: Any, key: str) -> None:
        self.client.force_login(user)
        self.refused(f"{self.url}?table={key}", status=404)

    def test_who_still_has_to_rank_downloads_nothing_of_the_others(self) -> None:
        # Priya ranks first; Hana, an admin taking part, has not ranked yet: her page
        # hides Priya's ranking, so the download must too.
        rank(self.cast.priya_user, self.q3, PRIYA_Q3)
        self.client.force_login(self.cast.hana_user)
        page = self.client.get(self.url)
        self.assertContains(page, "Submit my ranking")
        self.assertNotContains(page, "Every ranking")
        self.assertNotContains(page, "format=csv")
        self.assertEqual(page.context["downloads"], set())
        for key in ("", "mine", "rankings", "differences", "changes", "pairs"):
            self.refused_table(self.cast.hana_user, key)
        # Ada, an admin who does not take part, sees no comparison yet (one ranking in)
        # but sees no table of rankings either: only one column.
        self.refused_table(self.story.ada_user, "rankings")
        # Priya sees her own ranking, and only that.
        text, book = self.table(self.cast.priya_user, "mine")
        self.assertEqual(text[0], ["Rank", "Priority"])
        self.assertEqual(
            [row[1] for row in text[1:]],
            ["Mobile checkout", "Enterprise SSO", "Pricing page", "Onboarding", "Search relevance"],
        )
        self.assertEqual([number(row[0]) for row in book[1:]], [1.0, 2.0, 3.0, 4.0, 5.0])
        self.refused_table(self.cast.priya_user, "rankings")

    def test_once_both_ranked_each_role_downloads_the_tables_its_page_shows(self) -> None:
        rank(self.cast.hana_user, self.q3, HANA_Q3)
        rank(self.cast.priya_user, self.q3, PRIYA_Q3)
        expected = {
            "hana": {"mine", "differences", "changes", "rankings"},
            "priya": {"mine"},
            "marco": set(),
            "vera": set(),
        }
        for name, keys in expected.items():
            user = getattr(self.cast, f"{name}_user")
            self.client.force_login(user)
            page = self.client.get(self.url)
            self.assertEqual(page.context["downloads"], keys, name)
            for key in keys:
                self.assertContains(page, f"?format=xlsx&amp;table={key}")
            for key in {"mine", "differences", "changes", "rankings", "pairs"} - keys:
                self.refused_table(user, key)

    def test_the_admin_tables_equal_the_page(self) -> None:
        rank(self.cast.hana_user, self.q3, HANA_Q3)
        rank(self.cast.priya_user, self.q3, PRIYA_Q3)
        self.client.force_login(self.cast.hana_user)
        context = self.client.get(self.url).context

        text, book = self.table(self.cast.hana_user, "rankings")
        columns = [column.author_name for column in context["seen"].rankings]
        self.assertEqual(text[0], ["Priority", *columns])
        self.assertEqual(
            [row[0] for row in text[1:]],
            [row["priority"].title for row in context["side_by_side"]],
        )
        self.assertEqual(
            [[number(cell) for cell in row[1:]] for row in book[1:]],
            [[float(rank) for rank in row["ranks"]] for row in context["side_by_side"]],
        )

        text, book = self.table(self.cast.hana_user, "differences")
        self.assertEqual(text[0], ["Priority", "Spread", "Highest rank", "Lowest rank"])
        shown = context["disagreement_rows"]
        self.assertEqual([row[0] for row in text[1:]], [row["title"] for row in shown])
        self.assertEqual(
            [[number(cell) for cell in row[1:]] for row in book[1:]],
            [[row["spread"], row["highest"], row["lowest"]] for row in shown],
        )

        text, book = self.table(self.cast.hana_user, "changes")
        change = context["seen"].results.change
        self.assertEqual([row[0] for row in text[1:]], [row.title for row in change.priorities])
        sso = next(row for row in book if row[0] == "Enterprise SSO")
        self.assertEqual([number(cell) for cell in sso[1:]], [3.0, 1.0, -2.0])

        # without a table named, the first table the page shows: the own ranking
        self.client.force_login(self.cast.priya_user)
        text, _ = self.both(self.url)
        self.assertEqual(text[0], ["Rank", "Priority"])
        self.assertEqual(len(text), 6)

    def test_a_participant_downloads_no_pair_and_no_spread(self) -> None:
        rank(self.cast.hana_user, self.q3, HANA_Q3)
        rank(self.cast.priya_user, self.q3, PRIYA_Q3)
        for key in ("differences", "changes", "rankings"):
            self.refused_table(self.cast.priya_user, key)
        self.client.force_login(self.cast.priya_user)
        response = self.client.get(f"{self.url}?format=csv&table=rankings")
        self.assertContains(response, "ask for one of mine", status_code=404)

    def test_an_unknown_check_is_not_found(self) -> None:
        self.client.force_login(self.cast.hana_user)
        self.refused("/strategy/checks/999999/?table=mine", status=404)


class CheckPairDownloads(TestCase):
    def test_pairs_for_an_admin_none_for_a_viewer(self) -> None:
        story = build_check_story()
        cast = story.cast
        check = do_create_check(
            cast.marco_user,
            title="Three",
            priorities=["Enterprise SSO", "Data export", "Hiring"],
            participants=[cast.marco_user, cast.paul_user, story.ada_user],
        )
        rank(cast.marco_user, check, [1, 2, 3])
        rank(cast.paul_user, check, [1, 2, 3])
        rank(story.ada_user, check, [3, 2, 1])
        case = DownloadCase()
        case.client = self.client
        self.client.force_login(story.ada_user)
        context = self.client.get(check_url(check)).context
        text, book = DownloadCase.both(self, f"{check_url(check)}?table=pairs")  # type: ignore[arg-type]
        self.assertEqual(text[0], ["Between", "Tau", "Reading"])
        self.assertEqual([row[0] for row in text[1:]], [row["names"] for row in context["pair_rows"]])
        self.assertIn("Marco Manager and Paul PM", [row[0] for row in text[1:]])
        marco_paul = next(row for row in book if row[0] == "Marco Manager and Paul PM")
        self.assertEqual(number(marco_paul[1]), 1.0)
        self.assertEqual(marco_paul[2], "strong agreement")
        self.client.force_login(cast.vera_user)
        DownloadCase.refused(self, f"{check_url(check)}?table=pairs", status=404)  # type: ignore[arg-type]
