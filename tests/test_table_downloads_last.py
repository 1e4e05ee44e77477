"""CSV and XLSX downloads of the last tables: the same rows as the page, per role.

As in tests/test_table_downloads_more.py, each story opens the page as a role, reads the
rows the page shows from its context, downloads both formats and compares. A role the
page shows no table to gets no file.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from productops.accounts.actions import do_create_token, do_revoke_token
from productops.accounts.models import AccessToken
from productops.accounts.token_rows import TOKEN_COLUMNS, token_rows
from productops.competencies.actions import do_nominate_peer
from productops.competencies.models import LadderLevel
from productops.imports.csv_cells import safe_cell
from productops.imports.tables import csv_lines
from productops.strategy.actions import do_create_check
from tests.cast import build_cast
from tests.coaching.communities_story import build_communities
from tests.competencies.cycle_cast import build_cycle_cast
from tests.competencies.factories import make_ladder, make_model_version
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

    def test_a_member_who_still_has_to_rank_gets_no_file_at_all(self) -> None:
        # Hana (admin) ranked; Priya has not: her page shows the form and nothing else
        rank(self.cast.hana_user, self.q3, HANA_Q3)
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(self.url)
        self.assertContains(page, "Submit my ranking")
        self.assertNotContains(page, 'Enterprise SSO</td><td class="num">1')
        self.assertNotContains(page, "table=")
        for key in ("", "mine", "rankings", "differences", "changes", "pairs"):
            self.refused_table(self.cast.priya_user, key)
        # Hana sees her own ranking; with one ranking in, no table of everyone's yet
        text, _ = self.table(self.cast.hana_user, "mine")
        self.assertEqual([row[0] for row in text[1:]], ["1", "2", "3", "4", "5"])
        self.refused_table(self.cast.hana_user, "rankings")

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

        # Ada, an admin who took no part, downloads the same table of every ranking
        ada, _ = self.table(self.story.ada_user, "rankings")
        text, book = self.table(self.cast.hana_user, "rankings")
        self.assertEqual(ada, text)
        columns = [column.author_name for column in context["seen"].rankings]
        self.assertEqual(text[0], ["Priority", *columns])
        self.assertEqual(
            [row[0] for row in text[1:]],
            [row["title"] for row in context["side_by_side"]],
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
        self.assertContains(response, "nothing here you can see", status_code=404)

    def test_an_unknown_check_is_not_found(self) -> None:
        self.client.force_login(self.cast.hana_user)
        self.refused("/strategy/checks/999999/?table=mine", status=404)


class CheckPairDownloads(DownloadCase):
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
        self.client.force_login(story.ada_user)
        context = self.client.get(check_url(check)).context
        text, book = self.both(f"{check_url(check)}?table=pairs")
        self.assertEqual(text[0], ["Between", "Tau", "Reading"])
        self.assertEqual(
            [row[0] for row in text[1:]], [row["names"] for row in context["pair_rows"]]
        )
        self.assertIn("Marco Manager and Paul PM", [row[0] for row in text[1:]])
        marco_paul = next(row for row in book if row[0] == "Marco Manager and Paul PM")
        self.assertEqual(number(marco_paul[1]), 1.0)
        self.assertEqual(marco_paul[2], "strong agreement")
        self.client.force_login(cast.vera_user)
        self.refused(f"{check_url(check)}?table=pairs", status=404)


# -- competencies: a cycle's own requests and nominations; my pending nominations --------


class CycleRequestDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.story = build_cycle_cast()
        cls.cast = cls.story.cast
        cls.cycle = cls.story.cycle
        # Priya nominates Tariq herself: it waits for Marco, her manager
        cls.tariq_on_priya = do_nominate_peer(
            cls.cast.priya_user, cls.cycle, cls.cast.priya, cls.cast.tariq
        )
        cls.url = reverse("competencies:cycle_detail", args=[cls.cycle.pk])

    def test_each_rater_downloads_their_own_requests_as_the_page_lists_them(self) -> None:
        for name in ("marco", "priya", "paul"):
            self.client.force_login(getattr(self.cast, f"{name}_user"))
            page = self.client.get(self.url)
            shown = [(r.subject.name, r.get_kind_display()) for r in page.context["mine"]]
            self.assertTrue(shown, name)
            self.assertContains(page, "format=xlsx&amp;table=mine")
            text, book = self.both(f"{self.url}?table=mine")
            self.assertEqual(text[0], ["Rate", "As", "Status", "Overdue"])
            self.assertEqual([(row[0], row[1]) for row in text[1:]], shown, name)
            self.assertEqual([(row[0], row[1]) for row in book[1:]], shown, name)
        # Marco rates both as their manager
        self.client.force_login(self.cast.marco_user)
        text, _ = self.both(f"{self.url}?table=mine")
        self.assertEqual([row[0] for row in text[1:]], ["Paul PM", "Priya PM"])

    def test_the_manager_and_the_admin_download_the_nominations_to_decide(self) -> None:
        for user in (self.cast.marco_user, self.cast.hana_user):
            self.client.force_login(user)
            page = self.client.get(self.url)
            shown = [[r.rater.name, r.subject.name] for r in page.context["nominations"]]
            self.assertEqual(shown, [["Tariq Tech", "Priya PM"]], user.username)
            text, book = self.both(f"{self.url}?table=nominations")
            self.assertEqual(text[0], ["Peer", "For", "Nominated by"])
            self.assertEqual([row[:2] for row in text[1:]], shown)
            self.assertEqual(book[1], ["Tariq Tech", "Priya PM", "Priya PM"])

    def test_a_member_downloads_no_nomination_of_others(self) -> None:
        for user in (self.cast.priya_user, self.cast.paul_user):
            self.client.force_login(user)
            page = self.client.get(self.url)
            self.assertEqual(page.context["nominations"], [])
            text, book = self.both(f"{self.url}?table=nominations")
            self.assertEqual((len(text), len(book)), (1, 1), user.username)

    def test_who_may_not_see_the_cycle_gets_no_file(self) -> None:
        self.client.force_login(self.cast.vera_user)
        page = self.client.get(self.url)
        for key in ("mine", "nominations"):
            self.refused(f"{self.url}?table={key}", status=page.status_code)

    def test_my_requests_lists_the_nominations_awaiting_my_approval(self) -> None:
        url = reverse("competencies:my_requests")
        self.client.force_login(self.cast.marco_user)
        page = self.client.get(url)
        self.assertContains(page, "format=xlsx&amp;table=nominations")
        shown = [[r.rater.name, r.subject.name, r.cycle.name] for r in page.context["nominations"]]
        self.assertEqual(shown, [["Tariq Tech", "Priya PM", "H1 review"]])
        text, book = self.both(f"{url}?table=nominations")
        self.assertEqual(text[0], ["Peer", "For", "Cycle", "Nominated by"])
        self.assertEqual([row[:3] for row in text[1:]], shown)
        self.assertEqual([row[:3] for row in book[1:]], shown)
        # Priya nominated Tariq but does not approve it: nothing for her to decide
        self.client.force_login(self.cast.priya_user)
        self.assertEqual(self.client.get(url).context["nominations"], [])
        text, _ = self.both(f"{url}?table=nominations")
        self.assertEqual(text, [["Peer", "For", "Cycle", "Nominated by"]])


# -- coaching: a session's attendees ------------------------------------------------------


class SessionAttendeeDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.story = build_communities(cls.cast)

    def url(self, session: Any) -> str:
        return reverse("coaching:session_detail", args=[session.pk])

    def test_a_recorder_downloads_the_checklist_as_filtered_on_the_page(self) -> None:
        url = self.url(self.story.first)
        for user in (self.cast.hana_user, self.cast.priya_user):  # admin; the organizer
            self.client.force_login(user)
            page = self.client.get(url)
            self.assertTrue(page.context["can_record"])
            self.assertContains(page, "format=xlsx")
            shown = [p.name for p in page.context["page"].object_list]
            text, book = self.both(url)
            self.assertEqual(text[0], ["Name", "Discipline", "Present", "Left"])
            self.assertEqual([row[0] for row in text[1:]], shown, user.username)
            self.assertEqual([row[0] for row in book[1:]], shown)
            present = [row[0] for row in text[1:] if row[2] == "yes"]
            self.assertEqual(present, ["Dana Designer", "Otto Outsider", "Priya PM", "Tariq Tech"])
        filtered = f"{url}?q=a&discipline=engineering"
        page = self.client.get(filtered)
        self.assertContains(page, "discipline=engineering&amp;format=csv")
        text, _ = self.both(filtered)
        self.assertEqual(
            [row[0] for row in text[1:]], [p.name for p in page.context["page"].object_list]
        )
        self.assertIn("Tariq Tech", [row[0] for row in text[1:]])

    def test_a_member_who_does_not_record_downloads_the_attendees(self) -> None:
        url = self.url(self.story.reading)
        self.client.force_login(self.cast.priya_user)
        page = self.client.get(url)
        self.assertFalse(page.context["can_record"])
        shown = [p.name for p in page.context["page"].object_list]
        self.assertEqual(shown, ["Dana Designer", "Hana Head"])
        text, book = self.both(url)
        self.assertEqual([row[0] for row in text[1:]], shown)
        self.assertEqual([row[2] for row in book[1:]], ["yes", "yes"])

    def test_a_viewer_and_a_planned_session_give_no_names(self) -> None:
        self.client.force_login(self.cast.vera_user)
        self.assertNotContains(self.client.get(self.url(self.story.first)), "format=csv")
        self.refused(self.url(self.story.first))
        self.client.force_login(self.cast.hana_user)
        self.assertNotContains(self.client.get(self.url(self.story.planned)), "format=csv")
        self.refused(self.url(self.story.planned), status=404)


# -- competencies: the library ------------------------------------------------------------


class LibraryDownloads(DownloadCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.v1 = make_model_version(keys=("discovery", "delivery"), number=1)
        cls.v2 = make_model_version(keys=("discovery", "delivery", "strategy"), number=2)
        cls.ladder = make_ladder(
            cls.v2,
            {
                "PM": {"discovery": 2, "delivery": 2},
                "Senior PM": {"discovery": 3, "delivery": 2, "strategy": 2},
            },
        )
        LadderLevel.objects.filter(ladder=cls.ladder, key="senior-pm").update(
            aliases=["=HYPERLINK(1)", "Sr PM"]
        )
        cls.readers = (cls.cast.hana_user, cls.cast.vera_user)

    def test_the_ladder_levels_for_an_admin_and_a_viewer(self) -> None:
        url = reverse("competencies:ladder_detail", args=[self.ladder.pk])
        for user in self.readers:
            self.client.force_login(user)
            page = self.client.get(url)
            self.assertContains(page, "table=levels&amp;format=xlsx")
            shown = [[lv.name, lv.key, ", ".join(lv.aliases)] for lv in page.context["view"].levels]
            text, book = self.both(f"{url}?table=levels")
            self.assertEqual(text[0], ["Level", "Key", "Also written in HR data as"])
            self.assertEqual([row[:2] for row in text[1:]], [row[:2] for row in shown])
            self.assertEqual(book[1:], [[cell or None for cell in row] for row in shown])
        # a cell that begins like a formula is neutralized in the CSV, text in the XLSX
        self.assertEqual(text[1][2], "")
        self.assertEqual(text[2][2], safe_cell("=HYPERLINK(1), Sr PM"))
        self.assertNotEqual(text[2][2], "=HYPERLINK(1), Sr PM")
        self.assertEqual(book[2][2], "=HYPERLINK(1), Sr PM")

    def test_a_version_page_scale_matrix_and_versions(self) -> None:
        url = reverse("competencies:model_detail", args=[self.v2.model.slug])
        for user in self.readers:
            self.client.force_login(user)
            page = self.client.get(url)
            for key in ("scale", "matrix", "versions"):
                self.assertContains(page, f"table={key}&amp;format=csv")
            text, book = self.both(f"{url}?table=scale")
            self.assertEqual(
                text[1:],
                [[str(e["step"]), e["label"], e["meaning"]] for e in page.context["scale"]],
            )
            self.assertEqual(number(book[1][0]), 1.0)
            text, _ = self.both(f"{url}?table=matrix")
            self.assertEqual(text[0][:4], ["Area", "Competency", "Key", "1 · Step 1"])
            shown = [
                row["competency"]["name"]
                for item in page.context["areas"]
                for row in item["competencies"]
            ]
            self.assertEqual([row[1] for row in text[1:]], shown)
            self.assertEqual(text[1][3:8], [f"discovery {s}" for s in range(1, 6)])
            text, book = self.both(f"{url}?table=versions")
            self.assertEqual([row[0] for row in text[1:]], ["2", "1"])
            self.assertEqual([number(row[0]) for row in book[1:]], [2.0, 1.0])
            self.assertEqual(text[1][3], "latest")

    def test_a_comparison_and_a_level_diff(self) -> None:
        slug = self.v2.model.slug
        compare = f"{reverse('competencies:model_compare')}?left={slug}@1&right={slug}@2"
        diff = f"{reverse('competencies:level_diff', args=[self.ladder.pk])}?from=pm&to=senior-pm"
        for user in self.readers:
            self.client.force_login(user)
            page = self.client.get(compare)
            self.assertContains(page, "format=xlsx")
            text, _ = self.both(compare)
            self.assertEqual(text[0], ["Section", "Field", "Left", "Right", "Differs"])
            sections = {row[0] for row in text[1:]}
            keys = [pair.key for pair in page.context["comparison"].competencies]
            for key in keys:
                self.assertTrue(any(s.startswith(f"{key} (") for s in sections), key)
            strategy = [row for row in text[1:] if row[0].startswith("strategy")]
            self.assertEqual(strategy[0][1:4], ["Competency", "", "Strategy"])

            page = self.client.get(diff)
            text, book = self.both(f"{diff}&table=changed")
            self.assertEqual(
                [row[0] for row in text[1:]], [row.name for row in page.context["changed"]]
            )
            discovery = next(row for row in book if row[0] == "Discovery")
            self.assertEqual((number(discovery[3]), number(discovery[6])), (2.0, 3.0))
            text, _ = self.both(f"{diff}&table=unchanged")
            self.assertEqual(
                [row[0] for row in text[1:]], [row.name for row in page.context["unchanged"]]
            )
            self.assertEqual(text[1:], [["Delivery", "2", "Step 2"]])

    def test_nothing_to_compare_and_no_login_give_no_file(self) -> None:
        self.client.force_login(self.cast.vera_user)
        self.refused(reverse("competencies:model_compare"), status=404)
        self.client.logout()
        self.refused(
            reverse("competencies:ladder_detail", args=[self.ladder.pk]) + "?table=levels",
            status=302,
        )
        self.refused(reverse("competencies:model_detail", args=[self.v2.model.slug]), status=302)


# -- accounts: the token table (its download view is the site's: accounts and imports are siblings)


class TokenRows(DownloadCase):
    def test_the_rows_hold_names_and_dates_never_the_secret(self) -> None:
        cast = build_cast()
        _, raw = do_create_token(cast.priya_user, "weekly script")
        old, _ = do_create_token(cast.priya_user, "old script")
        do_revoke_token(cast.priya_user, old)
        do_create_token(cast.marco_user, "Marco's")
        self.client.force_login(cast.priya_user)
        page = self.client.get(reverse("accounts:detail"))
        shown = [token.name for token in page.context["tokens"]]
        rows = token_rows(AccessToken.objects.filter(user=cast.priya_user))
        self.assertEqual([row[0] for row in rows], shown)
        self.assertEqual(set(shown), {"weekly script", "old script"})
        self.assertEqual([row[3] for row in rows], ["revoked", "active"])
        stored = AccessToken.objects.filter(user=cast.priya_user)
        secrets = {raw, *(t.token_hash for t in stored), *(t.hint for t in stored)}
        cells = [str(cell) for row in rows for cell in row]
        self.assertFalse([cell for cell in cells for s in secrets if s in cell])
        text = csv_lines(TOKEN_COLUMNS, rows)
        self.assertFalse(any(raw[:12] in line for line in text))

    def test_the_account_page_downloads_only_ones_own_tokens(self) -> None:
        cast = build_cast()
        _, raw = do_create_token(cast.priya_user, "weekly script")
        do_create_token(cast.marco_user, "Marco's")
        url = reverse("account_tokens_download")
        self.client.force_login(cast.priya_user)
        self.assertIn(url, self.client.get(reverse("accounts:detail")).content.decode())
        self.assertEqual(self.first_column(url), ["weekly script"])
        body = b"".join(self.client.get(url).streaming_content).decode()
        self.assertNotIn(raw[:12], body)
        self.client.force_login(cast.marco_user)
        self.assertEqual(self.first_column(url), ["Marco's"])

    def test_signed_out_gets_no_file(self) -> None:
        response = self.client.get(reverse("account_tokens_download") + "?format=csv")
        self.assertEqual(response.status_code, 302)
