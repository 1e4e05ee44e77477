"""Who files the backlog: the reporters with their count and share, matched or not, and
one click that says who an unmatched reporter is, after which everything they filed is
reclassified (and stays so through later imports)."""

from __future__ import annotations

import json
import tempfile
from io import StringIO
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from productops.backlog.actions import (
    do_assign_reporter,
    do_clear_reporter_assignment,
    do_reclassify,
    import_tracker,
)
from productops.backlog.models import Item, ReporterAssignment
from productops.backlog.reporters import ASSIGNED, MATCHED, NOBODY, UNMATCHED, reporters
from productops.imports import RowWarning
from productops.org.models import Person
from tests.api import ApiClient
from tests.cast import PASSWORD, build_cast

SAM = "email:sam@partner.example"
URL = "/backlog/reporters/"
ASSIGN = "/backlog/reporters/assign/"


def build_story() -> None:
    """Priya (a person, matched by email) files two items; Sam, a sales contractor the
    people list does not know, files three plain ones; one item names nobody."""
    item = Item.objects.create
    for n in (1, 2):
        item(
            source="jira",
            key=f"CHK-{n}",
            title=f"Checkout step {n} is confusing",
            reporter="Priya PM",
            reporter_email="priya@example.com",
            reporter_person=Person.objects.get(email="priya@example.com"),
        )
    for n in (3, 4, 5):
        item(
            source="jira",
            key=f"CHK-{n}",
            title=f"Quote template {n}",
            reporter="Sam Seller",
            reporter_email="Sam@Partner.example",
        )
    item(source="jira", key="CHK-6", title="Nightly export")
    do_reclassify()


class ReporterList(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_story()

    def test_each_reporter_with_count_share_and_match(self) -> None:
        found = reporters()
        by_key = {row.key: row for row in found.rows}
        sam = by_key[SAM]
        self.assertEqual((sam.name, sam.items, sam.status), ("Sam Seller", 3, UNMATCHED))
        self.assertAlmostEqual(sam.share, 0.5)
        priya = by_key["email:priya@example.com"]
        self.assertEqual((priya.items, priya.status, priya.person_name), (2, MATCHED, "Priya PM"))
        self.assertEqual(by_key[""].status, NOBODY)
        self.assertEqual(found.rows[0].key, SAM)  # most items first, "no reporter" last
        self.assertEqual(found.rows[-1].key, "")
        summary = found.summary
        self.assertEqual(
            (summary.items, summary.reporters, summary.matched, summary.unmatched),
            (6, 2, 1, 1),
        )
        self.assertEqual((summary.items_unmatched, summary.items_without_reporter), (3, 1))

    def test_the_list_costs_two_queries_however_many_items(self) -> None:
        with CaptureQueriesContext(connection) as queries:
            reporters()
        self.assertEqual(len(queries), 2)


class AssigningAReporter(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_story()

    def origins(self) -> set[str]:
        return set(
            Item.objects.filter(reporter_email__iexact="sam@partner.example").values_list(
                "origin", flat=True
            )
        )

    def test_a_discipline_makes_everything_they_filed_follow_it(self) -> None:
        self.assertEqual(self.origins(), {"unknown"})
        do_assign_reporter(self.cast.hana_user, source="jira", key=SAM, discipline="sales")
        self.assertEqual(self.origins(), {"sales"})
        item = Item.objects.get(key="CHK-3")
        self.assertEqual(item.reporter_discipline, "sales")
        self.assertIsNone(item.reporter_person)
        self.assertIn("reporter Sam Seller is in sales", [r["text"] for r in item.origin_reasons])
        row = {row.key: row for row in reporters().rows}[SAM]
        self.assertEqual((row.status, row.discipline), (ASSIGNED, "sales"))

    def test_a_person_gives_their_discipline_and_their_name(self) -> None:
        do_assign_reporter(self.cast.hana_user, source="jira", key=SAM, person=self.cast.otto)
        item = Item.objects.get(key="CHK-4")
        self.assertEqual((item.reporter_person, item.origin), (self.cast.otto, "sales"))
        self.assertIn(
            "reporter Otto Outsider is in sales", [r["text"] for r in item.origin_reasons]
        )
        # assigning again replaces the answer: one row per reporter
        do_assign_reporter(self.cast.hana_user, source="jira", key=SAM, discipline="support")
        self.assertEqual(ReporterAssignment.objects.count(), 1)
        item.refresh_from_db()
        self.assertEqual((item.reporter_person, item.origin), (None, "support"))

    def test_forgetting_it_gives_back_what_the_import_matched(self) -> None:
        do_assign_reporter(self.cast.hana_user, source="jira", key=SAM, discipline="sales")
        self.assertEqual(
            do_clear_reporter_assignment(self.cast.hana_user, source="jira", key=SAM), 3
        )
        self.assertEqual(self.origins(), {"unknown"})
        self.assertFalse(Item.objects.exclude(reporter_discipline="").exists())

    def test_members_and_viewers_cannot_assign(self) -> None:
        for user in (self.cast.priya_user, self.cast.vera_user):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                do_assign_reporter(user, source="jira", key=SAM, discipline="sales")
        self.assertFalse(ReporterAssignment.objects.exists())

    def test_bad_assignments_say_what_to_do(self) -> None:
        hana = self.cast.hana_user
        cases = [
            ({"key": "email:nobody@example.com", "discipline": "sales"}, "No imported item"),
            ({"key": SAM}, "a person or to a discipline"),
            ({"key": SAM, "person": self.cast.otto, "discipline": "sales"}, "one of the two"),
            ({"key": SAM, "discipline": "wizardry"}, "not a discipline"),
        ]
        for kwargs, said in cases:
            with self.subTest(said=said), self.assertRaises(ValidationError) as raised:
                do_assign_reporter(hana, source="jira", **kwargs)  # type: ignore[arg-type]
            self.assertIn(said, " ".join(raised.exception.messages))

    def test_a_manager_assigns_only_people_they_can_see(self) -> None:
        # Marco sees his chain and his own manager; Otto, outside the org chart, he does not
        with self.assertRaises(ValidationError) as raised:
            do_assign_reporter(self.cast.marco_user, source="jira", key=SAM, person=self.cast.otto)
        self.assertIn("No such person", " ".join(raised.exception.messages))
        do_assign_reporter(self.cast.marco_user, source="jira", key=SAM, person=self.cast.paul)
        self.assertEqual(Item.objects.get(key="CHK-3").reporter_person, self.cast.paul)


def jira_page(summary: str) -> dict:
    return {
        "issues": [
            {
                "key": "NEW-1",
                "fields": {
                    "summary": summary,
                    "issuetype": {"name": "Story"},
                    "status": {"name": "To Do", "statusCategory": {"key": "new"}},
                    "created": "2024-01-01T10:00:00.000+0000",
                    "reporter": {
                        "displayName": "Sam Seller",
                        "emailAddress": "sam@partner.example",
                    },
                },
            }
        ]
    }


class LaterImports(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def import_page(self, summary: str) -> Item:
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "page.json").write_text(json.dumps(jira_page(summary)))
            report = import_tracker([folder], format="jira-json")
        problems = [e for e in report.errors if not isinstance(e, RowWarning)]
        self.assertFalse(problems, problems)
        return Item.objects.get(key="NEW-1")

    def test_an_assignment_holds_for_new_and_changed_items(self) -> None:
        self.assertEqual(self.import_page("Quote template").origin, "unknown")
        do_assign_reporter(self.cast.hana_user, source="jira", key=SAM, person=self.cast.otto)
        # the item changes in the tracker: the writer matches nobody, the assignment holds
        item = self.import_page("Quote template, second try")
        self.assertEqual((item.reporter_person, item.origin), (self.cast.otto, "sales"))
        Item.objects.all().delete()
        item = self.import_page("A brand-new quote template")  # a new item from Sam
        self.assertEqual((item.reporter_person, item.origin), (self.cast.otto, "sales"))


class ReportersByRole(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_story()
        cls.api = ApiClient()

    def open(self, who: str, **query):
        self.client.login(username=who, password=PASSWORD)
        return self.client.get(URL, query)

    def test_admins_and_managers_see_names_and_assign(self) -> None:
        for who in ("hana", "marco"):
            with self.subTest(who=who):
                page = self.open(who)
                self.assertContains(page, "Sam Seller")
                self.assertContains(page, "sam@partner.example")
                self.assertContains(page, 'aria-label="Which person is Sam Seller"')
                # the people offered are those the assigner may see: Otto is outside
                # Marco's part of the org
                otto = '<option value="Otto Outsider &lt;otto@example.com&gt;">'
                if who == "hana":
                    self.assertContains(page, otto)
                else:
                    self.assertNotContains(page, otto)
                    self.assertContains(page, '<option value="Paul PM &lt;paul@example.com&gt;">')
                self.assertContains(page, "3</strong> items (50%) get no origin from who filed")

    def test_members_and_viewers_see_the_counts_without_names(self) -> None:
        for who in ("priya", "vera"):
            with self.subTest(who=who):
                page = self.open(who)
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "<strong>6</strong> items from <strong>2</strong>")
                self.assertContains(page, "Only admins and managers see who files the backlog")
                self.assertNotContains(page, "Sam Seller")
                self.assertNotContains(page, "Priya PM")
                self.assertNotContains(page, 'name="person"')

    def test_one_click_assigns_and_says_so(self) -> None:
        self.client.login(username="hana", password=PASSWORD)
        answer = self.client.post(
            ASSIGN,
            {"source": "jira", "key": SAM, "discipline": "sales", "name": "Sam Seller"},
            follow=True,
        )
        self.assertContains(answer, "Sam Seller now counts as Sales")
        self.assertEqual(Item.objects.get(key="CHK-5").origin, "sales")
        answer = self.client.post(
            ASSIGN,
            {"source": "jira", "key": SAM, "person": "Otto Outsider <otto@example.com>"},
            follow=True,
        )
        self.assertContains(answer, "is now Otto Outsider")
        self.assertEqual(Item.objects.get(key="CHK-5").reporter_person, self.cast.otto)
        self.assertContains(answer, 'value="Otto Outsider &lt;otto@example.com&gt;"')
        answer = self.client.post(
            ASSIGN, {"source": "jira", "key": SAM, "person": "Nobody Known"}, follow=True
        )
        self.assertContains(answer, "No person “Nobody Known” among the people you can see")
        answer = self.client.post(
            ASSIGN, {"source": "jira", "key": SAM, "person": "", "name": "Sam Seller"}, follow=True
        )
        self.assertContains(answer, "no longer assigned: 3 item(s) reclassified")
        self.assertEqual(Item.objects.get(key="CHK-5").origin, "unknown")

    def test_a_member_posting_an_assignment_is_refused(self) -> None:
        self.client.login(username="priya", password=PASSWORD)
        answer = self.client.post(ASSIGN, {"source": "jira", "key": SAM, "discipline": "sales"})
        self.assertEqual(answer.status_code, 403)
        self.assertFalse(ReporterAssignment.objects.exists())

    def test_the_api_lists_for_admins_and_managers_only(self) -> None:
        for who, status in (("hana", 200), ("marco", 200), ("priya", 403), ("vera", 403)):
            with self.subTest(who=who):
                answer = self.api.get(who, "/backlog/reporters")
                self.assertEqual(answer.status_code, status)
        rows = self.api.get("hana", "/backlog/reporters").json()["items"]
        self.assertEqual(rows[0]["key"], SAM)
        self.assertEqual((rows[0]["items"], rows[0]["status"]), (3, "unmatched"))

    def test_the_api_assigns_for_admins_and_managers_only(self) -> None:
        body = {"source": "jira", "key": SAM, "discipline": "sales"}
        for who in ("priya", "vera"):
            with self.subTest(who=who):
                self.assertEqual(
                    self.api.post(who, "/backlog/reporters/assignments", json=body).status_code,
                    403,
                )
        answer = self.api.post("marco", "/backlog/reporters/assignments", json=body)
        self.assertEqual(answer.status_code, 200, answer.content)
        self.assertEqual(answer.json()["items"], 3)
        self.assertEqual(Item.objects.get(key="CHK-3").origin, "sales")
        bad = self.api.post("hana", "/backlog/reporters/assignments", json={**body, "key": "x"})
        self.assertEqual(bad.status_code, 422)
        self.assertIn("No imported item", bad.json()["detail"])
        cleared = self.api.post(
            "hana", "/backlog/reporters/assignments/clear", json={"source": "jira", "key": SAM}
        )
        self.assertEqual((cleared.status_code, cleared.json()["items"]), (200, 3))


class ReportersCommand(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_story()

    def test_the_table_and_the_json(self) -> None:
        out = StringIO()
        call_command("reporters", stdout=out)
        text = out.getvalue()
        self.assertIn("6 items from 2 reporters: 1 matched to a person", text)
        self.assertIn("Sam Seller", text)
        self.assertIn("/backlog/reporters/", text)
        out = StringIO()
        call_command("reporters", "--json", "--unmatched", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual([row["key"] for row in data["reporters"]], [SAM])
        self.assertEqual(data["summary"]["share_unmatched"], 0.5)


class ReportersCommandWrites(TestCase):
    """`productops reporters --assign/--clear`: the same actions as the page and the API,
    as an admin or manager login named with --as."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        build_story()

    def run_command(self, *args: str) -> str:
        out = StringIO()
        call_command("reporters", *args, stdout=out)
        return out.getvalue()

    def refused(self, *args: str) -> str:
        with self.assertRaises(CommandError) as raised:
            self.run_command(*args)
        return str(raised.exception)

    def sams_items(self) -> list[Item]:
        return list(Item.objects.filter(key__in=["CHK-3", "CHK-4", "CHK-5"]).order_by("key"))

    def test_assigning_a_discipline_reclassifies_everything_they_filed(self) -> None:
        self.assertEqual({item.origin for item in self.sams_items()}, {"unknown"})
        said = self.run_command("--assign", SAM, "--discipline", "Sales", "--as", "hana")
        self.assertEqual(
            said.strip(),
            "Assigned 'Sam Seller' (jira, 3 items) to Sales; 3 items reclassified, "
            "origin changed on 3 (unknown → sales: 3).",
        )
        assignment = ReporterAssignment.objects.get()
        self.assertEqual(
            (assignment.source, assignment.reporter_key, assignment.discipline),
            ("jira", SAM, "sales"),
        )
        self.assertEqual(
            (assignment.by, assignment.reporter_name), (self.cast.hana_user, "Sam Seller")
        )
        for item in self.sams_items():
            self.assertEqual((item.origin, item.reporter_discipline), ("sales", "sales"))
            self.assertIn(
                "reporter Sam Seller is in sales", [r["text"] for r in item.origin_reasons]
            )
        self.assertEqual(
            Item.objects.get(key="CHK-1").reporter_discipline, ""
        )  # Priya's: untouched

    def test_assigning_a_person_by_email_and_the_reporter_by_email(self) -> None:
        said = self.run_command(
            "--assign", "SAM@partner.example", "--person", "Otto@Example.com", "--as", "hana"
        )
        self.assertIn(
            "Assigned 'Sam Seller' (jira, 3 items) to Otto Outsider <otto@example.com>", said
        )
        self.assertIn("3 items reclassified, origin changed on 3 (unknown → sales: 3)", said)
        for item in self.sams_items():
            self.assertEqual((item.reporter_person, item.origin), (self.cast.otto, "sales"))
        self.assertEqual(ReporterAssignment.objects.get().person, self.cast.otto)

    def test_clearing_gives_back_what_the_import_matched(self) -> None:
        self.run_command("--assign", SAM, "--discipline", "support", "--as", "marco")
        said = self.run_command("--clear", "Sam Seller", "--source", "jira", "--as", "marco")
        self.assertEqual(
            said.strip(),
            "Cleared the assignment of 'Sam Seller' (jira, 3 items) to Support; 3 items "
            "reclassified, origin changed on 3 (customer support → unknown: 3).",
        )
        self.assertFalse(ReporterAssignment.objects.exists())
        self.assertEqual({item.origin for item in self.sams_items()}, {"unknown"})
        self.assertFalse(Item.objects.exclude(reporter_discipline="").exists())
        # clearing again changes nothing, and says so
        again = self.run_command("--clear", SAM, "--as", "marco")
        self.assertIn("has no assignment to clear: nothing changed", again)

    def test_the_list_shows_keys_and_the_assigned(self) -> None:
        self.run_command("--assign", SAM, "--discipline", "sales", "--as", "hana")
        listed = self.run_command()
        self.assertIn("1 assigned, 0 not matched", listed)
        self.assertIn(f"assigned here: Sales  key {SAM}", listed)

    def test_only_an_admin_or_manager_login_may_write(self) -> None:
        cases = [
            ((), "Say who does this with --as USERNAME"),
            (("--as", "nobody"), "The login 'nobody' does not exist"),
            (("--as", "priya"), "'priya' is a member login: only an admin or a manager"),
            (("--as", "vera"), "'vera' is a viewer login"),
        ]
        for extra, said in cases:
            with self.subTest(said=said):
                self.assertIn(said, self.refused("--assign", SAM, "--discipline", "sales", *extra))
                self.assertIn(said, self.refused("--clear", SAM, *extra))
        self.cast.hana_user.is_active = False
        self.cast.hana_user.save()
        self.assertIn("is not active", self.refused("--clear", SAM, "--as", "hana"))
        self.assertFalse(ReporterAssignment.objects.exists())
        self.assertEqual({item.origin for item in self.sams_items()}, {"unknown"})

    def test_bad_inputs_say_what_to_do_and_change_nothing(self) -> None:
        as_hana = ("--as", "hana")
        cases = [
            (
                ("--assign", "email:nobody@example.com", "--discipline", "sales"),
                "No reporter 'email:nobody@example.com' among the imported items. "
                "Run `productops reporters` to see each reporter's key.",
            ),
            (
                ("--assign", SAM, "--source", "github", "--discipline", "sales"),
                "No imported item from github has a reporter",
            ),
            (("--assign", SAM), "add --person EMAIL (a person of the org) or --discipline"),
            (
                ("--assign", SAM, "--discipline", "wizardry"),
                "'wizardry' is not a discipline: use one of product, design, engineering",
            ),
            (
                ("--assign", SAM, "--person", "ghost@example.com"),
                "No person with the email 'ghost@example.com' among the people hana can see",
            ),
            (("--discipline", "sales"), "add --assign REPORTER"),
            (("--clear", SAM, "--discipline", "sales"), "leave out --person and --discipline"),
            (("--assign", SAM, "--discipline", "sales", "--json"), "--json and --unmatched"),
        ]
        for args, said in cases:
            with self.subTest(said=said):
                self.assertIn(said, self.refused(*args, *as_hana))
        self.assertFalse(ReporterAssignment.objects.exists())
        self.assertEqual({item.origin for item in self.sams_items()}, {"unknown"})

    def test_person_and_discipline_together_are_refused(self) -> None:
        with self.assertRaises(CommandError) as raised:
            call_command(
                "reporters", "--assign", SAM, "--person", "otto@example.com",
                "--discipline", "sales", "--as", "hana",
            )  # fmt: skip
        self.assertIn("not allowed with argument", str(raised.exception))

    def test_a_name_two_reporters_share_asks_for_the_key(self) -> None:
        Item.objects.create(source="github", key="gh-1", title="Quote", reporter="Sam Seller")
        said = self.refused("--assign", "sam seller", "--discipline", "sales", "--as", "hana")
        self.assertIn("'sam seller' names 2 reporters", said)
        self.assertIn(f"key {SAM}", said)
        self.assertIn("key name:sam seller", said)
        # the key (or --source) settles it
        self.run_command("--assign", "name:sam seller", "--discipline", "sales", "--as", "hana")
        self.assertEqual(Item.objects.get(key="gh-1").origin, "sales")
        self.assertEqual(Item.objects.get(key="CHK-3").origin, "unknown")

    def test_a_manager_assigns_only_people_they_can_see(self) -> None:
        said = self.refused("--assign", SAM, "--person", "otto@example.com", "--as", "marco")
        self.assertIn("No person with the email 'otto@example.com' among the people marco", said)
        self.run_command("--assign", SAM, "--person", "paul@example.com", "--as", "marco")
        self.assertEqual(Item.objects.get(key="CHK-3").reporter_person, self.cast.paul)
