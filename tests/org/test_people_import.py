"""Importing people from an HR export: every bad row is named, good files land exactly.

The parser tests pass `existing` (who is already in productops) so they need no
database; the stories that write use the named cast.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from productops.imports import ParseResult, RowError
from productops.org.actions import do_import_people, import_people_file
from productops.org.importers import people_csv as people_csv_importer
from productops.org.importers.people_csv import COLUMNS, TeamPlacement, parse_people_file
from productops.org.models import Discipline, Person, Team, TeamMembership, TeamRole
from tests.cast import build_cast

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "people"
HEADER = "name,email,title,discipline,level,manager_email,team,team_role"
# Hana heads product; Marco reports to her (as in the cast, without the database).
HANA_AND_MARCO = {"hana@example.com": None, "marco@example.com": "hana@example.com"}


def csv_file(*rows: str, header: str = HEADER) -> io.BytesIO:
    return io.BytesIO(("\r\n".join([header, *rows]) + "\r\n").encode())


def parse(*rows: str, header: str = HEADER, existing: dict | None = None) -> ParseResult:
    return parse_people_file(csv_file(*rows, header=header), existing=existing or {})


def only_error(result: ParseResult) -> RowError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


# -- the file as a whole ------------------------------------------------------------------


def test_reads_an_excel_export_with_bom_spaced_headers_and_extra_columns() -> None:
    result = parse_people_file(FIXTURES / "excel_export.csv", existing={})
    assert result.errors == []
    ines, gus, zoe = result.records
    assert (ines.row, ines.email, ines.manager_email, ines.manager_row) == (
        2,
        "ines@acme.test",
        "gus@acme.test",
        3,
    )
    assert ines.teams == (TeamPlacement("Payments", TeamRole.PRODUCT_MANAGER),)
    assert gus.manager_email == ""
    assert zoe.name == "Zoë Zielińska"
    assert [p.team for p in zoe.teams] == ["Payments", "Checkout"]


def test_reads_a_semicolon_separated_excel_file() -> None:
    result = parse_people_file(FIXTURES / "semicolon_excel.csv", existing={})
    assert result.errors == []
    ida, jon = result.records
    assert ida.teams == (
        TeamPlacement("Payments", TeamRole.TECH_LEAD),
        TeamPlacement("Risk", TeamRole.TECH_LEAD),
    )
    assert (jon.discipline, jon.manager_row) == (Discipline.PRODUCT, 2)


def test_reads_an_open_text_file() -> None:
    result = parse_people_file(
        io.StringIO("\ufeffname,email,discipline\nAnn,ann@example.com,design\n"), existing={}
    )
    assert [(r.name, r.discipline) for r in result.records] == [("Ann", Discipline.DESIGN)]


def test_missing_header_columns_are_one_error_on_row_1() -> None:
    result = parse("Ann,PM,Checkout", header="Name,Title,Team")
    error = only_error(result)
    assert (error.row, error.column) == (1, None)
    assert "missing required column(s): email, discipline" in error.reason
    assert result.records == []


def test_a_column_given_twice_is_an_error_on_row_1() -> None:
    error = only_error(parse("Ann,a@x.io,b@x.io,design", header="name,Email,E-mail,discipline"))
    assert (error.row, error.column) == (1, None)
    assert "email (columns 2 and 3)" in error.reason


@pytest.mark.parametrize("content", [b"", b"  \r\n\r\n", "\ufeff".encode()])
def test_an_empty_file_says_so(content: bytes) -> None:
    error = only_error(parse_people_file(io.BytesIO(content), existing={}))
    assert (error.row, error.column) == (None, None)
    assert error.reason.startswith("the file is empty")


def test_a_header_without_people_says_so() -> None:
    error = only_error(parse(",,,,,,,"))
    assert error.reason == "the file has a header row but no people in it"


def test_a_file_that_is_not_utf8_says_so_and_where() -> None:
    error = only_error(parse_people_file(FIXTURES / "latin1.csv", existing={}))
    assert error.row is None
    assert "not UTF-8" in error.reason
    assert "line 2 has the byte 0xE9" in error.reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("name,email\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
    ],
)
def test_other_encodings_and_workbooks_are_named(content: bytes, reason: str) -> None:
    assert reason in only_error(parse_people_file(io.BytesIO(content), existing={})).reason


def test_a_missing_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    error = only_error(parse_people_file(tmp_path / "nope.csv", existing={}))
    assert error.reason.startswith("cannot read the file")


def test_an_oversized_file_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(people_csv_importer, "MAX_FILE_BYTES", 100)
    error = only_error(parse(*["Ann,a@x.io,,design,,,,"] * 10))
    assert "larger than" in error.reason


def test_a_cell_too_big_for_csv_is_an_error_on_its_row_and_column() -> None:
    result = parse(
        "Ann,a@x.io,,design,,,,",
        "Bob,b@x.io," + "x" * 200_000 + ",design,,,,",
        "Cem,c@x.io,,design,,,,",
    )
    error = only_error(result)
    assert (error.row, error.column) == (3, "title")
    assert "longer than 131,072 characters" in error.reason
    assert [r.row for r in result.records] == [2, 4]  # the rows around it are read


def test_blank_rows_are_ignored_but_keep_spreadsheet_numbering() -> None:
    result = parse("Ann,a@x.io,,design,,,,", ",,,,,,,", "Bob,b@x.io,,Dezign,,,,")
    assert [r.row for r in result.records] == [2]
    assert only_error(result).row == 4


def test_a_cell_with_a_line_break_is_one_row() -> None:
    result = parse('"Ann\nAble",a@x.io,,design,,,,', "Bob,b@x.io,,Dezign,,,,")
    assert result.records[0].name == "Ann\nAble"
    assert only_error(result).row == 3


def test_columns_the_file_lacks_are_not_given() -> None:
    (ann,) = parse("Ann,a@x.io,design", header="name,email,discipline").records
    assert not ann.says("manager_email")
    assert not ann.says("team")
    assert ann.says("name")


# -- one error kind per test --------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (",ann@example.com,,design,,,,", "name"),
        ("Ann,,,design,,,,", "email"),
        ("Ann,ann@example.com,,,,,,", "discipline"),
    ],
)
def test_a_missing_required_value(row: str, column: str) -> None:
    error = only_error(parse(row))
    assert (error.row, error.column, error.reason) == (2, column, f"{column} is required")


def test_a_malformed_email() -> None:
    error = only_error(parse("Ann,ann.example.com,,design,,,,"))
    assert (error.row, error.column) == (2, "email")
    assert error.reason == "'ann.example.com' is not a valid email address"


def test_a_malformed_manager_email() -> None:
    error = only_error(parse("Ann,ann@example.com,,design,,hana@,,"))
    assert (error.row, error.column) == (2, "manager_email")
    assert error.reason == "'hana@' is not a valid email address"


def test_an_unknown_discipline_lists_the_allowed_values() -> None:
    error = only_error(parse("Ann,ann@example.com,,Dezign,,,,"))
    assert (error.row, error.column) == (2, "discipline")
    assert error.reason == (
        "unknown discipline 'Dezign'; use one of: product, design, engineering, data, "
        "research, marketing, sales, support, quality, compliance, leadership, other"
    )


def test_a_manager_neither_in_the_file_nor_in_productops() -> None:
    error = only_error(parse("Ann,ann@example.com,,design,,boss@example.com,,"))
    assert (error.row, error.column) == (2, "manager_email")
    assert error.reason == (
        "manager boss@example.com is neither in this file nor already in productops"
    )


def test_a_manager_already_in_productops_is_found() -> None:
    result = parse("Ann,ann@example.com,,design,,Marco@Example.com,,", existing=HANA_AND_MARCO)
    assert result.errors == []
    assert (result.records[0].manager_email, result.records[0].manager_row) == (
        "marco@example.com",
        None,
    )


def test_a_duplicate_email_names_the_first_row() -> None:
    result = parse(
        "Ann,ann@example.com,,design,,,,",
        "Bob,bob@example.com,,design,,,,",
        "Annie,ANN@example.com ,,design,,,,",
    )
    error = only_error(result)
    assert (error.row, error.column) == (4, "email")
    assert error.reason == "duplicate email ann@example.com: row 2 already has it"
    assert [r.row for r in result.records] == [2, 3]


def test_a_person_as_their_own_manager() -> None:
    error = only_error(parse("Ann,ann@example.com,,design,,ann@example.com,,"))
    assert (error.row, error.column) == (2, "manager_email")
    assert error.reason == "a person cannot be their own manager"


def test_a_manager_cycle_in_the_file_marks_every_row_on_it() -> None:
    result = parse(
        "Ann,ann@example.com,,design,,bob@example.com,,",
        "Bob,bob@example.com,,design,,ann@example.com,,",
        "Cy,cy@example.com,,design,,ann@example.com,,",
    )
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "manager_email", "manager cycle: ann@example.com → bob@example.com → ann@example.com"),
        (3, "manager_email", "manager cycle: bob@example.com → ann@example.com → bob@example.com"),
    ]
    assert [r.row for r in result.records] == [4]  # under the loop, not on it


def test_a_manager_cycle_through_people_already_in_productops() -> None:
    error = only_error(
        parse("Hana Head,hana@example.com,,product,,marco@example.com,,", existing=HANA_AND_MARCO)
    )
    assert (error.row, error.column) == (2, "manager_email")
    assert error.reason == (
        "manager cycle: hana@example.com → marco@example.com (already in productops) "
        "→ hana@example.com"
    )


def test_an_unknown_team_role_lists_the_allowed_values() -> None:
    error = only_error(parse("Ann,ann@example.com,,design,,,Checkout,Wizard"))
    assert (error.row, error.column) == (2, "team_role")
    assert error.reason.startswith(
        "unknown team role 'Wizard'; use one of: product_manager, design_lead, tech_lead, "
        "engineer, designer, analyst, other"
    )


def test_a_team_role_without_a_team() -> None:
    error = only_error(parse("Ann,ann@example.com,,design,,,,designer"))
    assert (error.row, error.column) == (2, "team_role")
    assert error.reason == "a team role is given but the team column is empty"


def test_team_roles_that_do_not_match_the_teams() -> None:
    error = only_error(parse("Ann,ann@example.com,,design,,,Checkout;Search,pm;tl;engineer"))
    assert (error.row, error.column) == (2, "team_role")
    assert error.reason.startswith("3 team roles for 2 teams")


def test_a_team_listed_twice_in_one_row() -> None:
    error = only_error(parse("Ann,ann@example.com,,design,,,Checkout; checkout,"))
    assert (error.row, error.column, error.reason) == (2, "team", "team 'checkout' is listed twice")


def test_a_value_too_long_to_store() -> None:
    error = only_error(parse(f"Ann,ann@example.com,{'x' * 201},design,,,,"))
    assert (error.row, error.column) == (2, "title")
    assert error.reason == "is 201 characters long; at most 200 fit"


def test_errors_come_in_row_order_with_the_source_named() -> None:
    result = parse_people_file(FIXTURES / "bad_rows.csv", source="hr.csv", existing={})
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)
    assert {e.source for e in result.errors} == {"hr.csv"}
    assert str(result.errors[0]) == (
        "hr.csv, row 3, column discipline: unknown discipline 'Dezign'; use one of: product, "
        "design, engineering, data, research, marketing, sales, support, quality, compliance, leadership, other"
    )


# -- accepted spellings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "discipline"),
    [
        ("product", Discipline.PRODUCT),
        ("PRODUCT", Discipline.PRODUCT),
        (" Design ", Discipline.DESIGN),
        ("Engineering", Discipline.ENGINEERING),
        ("eng", Discipline.ENGINEERING),
    ],
)
def test_disciplines_match_value_or_label_in_any_case(text: str, discipline: str) -> None:
    assert parse(f"Ann,ann@example.com,,{text},,,,").records[0].discipline == discipline


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("product_manager", TeamRole.PRODUCT_MANAGER),
        ("Product manager", TeamRole.PRODUCT_MANAGER),
        ("PRODUCT-MANAGER", TeamRole.PRODUCT_MANAGER),
        ("PM", TeamRole.PRODUCT_MANAGER),
        ("tl", TeamRole.TECH_LEAD),
        ("Tech Lead", TeamRole.TECH_LEAD),
        ("", TeamRole.OTHER),
    ],
)
def test_team_roles_match_value_label_or_short_form(text: str, role: str) -> None:
    (placement,) = parse(f"Ann,ann@example.com,,product,,,Checkout,{text}").records[0].teams
    assert placement == TeamPlacement("Checkout", role)


def test_one_role_for_all_teams_or_one_each() -> None:
    all_pm, each = parse(
        "Ann,ann@example.com,,product,,,Checkout;Search,pm",
        "Bob,bob@example.com,,engineering,,,Checkout; Search ,tl;engineer",
    ).records
    assert [p.role for p in all_pm.teams] == [TeamRole.PRODUCT_MANAGER] * 2
    assert each.teams == (
        TeamPlacement("Checkout", TeamRole.TECH_LEAD),
        TeamPlacement("Search", TeamRole.ENGINEER),
    )


def test_a_team_is_named_as_first_written_in_the_file() -> None:
    ann, bob = parse(
        "Ann,ann@example.com,,product,,,Checkout,",
        "Bob,bob@example.com,,product,,,CHECKOUT,",
    ).records
    assert ann.teams[0].team == bob.teams[0].team == "Checkout"


# -- never a traceback --------------------------------------------------------------------


def assert_well_formed(result: ParseResult, rows_in_file: int) -> None:
    assert isinstance(result, ParseResult)
    for error in result.errors:
        assert error.row is None or 1 <= error.row <= rows_in_file
        assert error.column is None or error.column in COLUMNS
        assert error.reason
    emails = [record.email for record in result.records]
    assert len(emails) == len(set(emails))
    assert all(email and email == email.lower() for email in emails)
    assert not {record.row for record in result.records} & result.bad_rows


@settings(max_examples=300)
@given(st.binary(max_size=600))
def test_random_bytes_give_errors_not_exceptions(content: bytes) -> None:
    result = parse_people_file(io.BytesIO(content), existing=HANA_AND_MARCO)
    assert_well_formed(result, rows_in_file=content.count(b"\n") + content.count(b"\r") + 1)


@settings(max_examples=300)
@given(st.text(max_size=600))
def test_random_text_gives_errors_not_exceptions(content: str) -> None:
    result = parse_people_file(io.StringIO(content), existing=HANA_AND_MARCO)
    assert_well_formed(result, rows_in_file=len(content.splitlines()) + 2)


CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "product",
            "Design",
            "pm",
            "tl;pm",
            "Checkout",
            "Checkout;Search",
            ";",
            "ann@example.com",
            "BOB@example.com",
            "hana@example.com",
            "marco@example.com",
            "not-an-email",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=300)
@given(
    header=st.permutations(COLUMNS).flatmap(lambda cols: st.lists(st.sampled_from(cols))),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=8),
)
def test_random_spreadsheets_give_errors_not_exceptions(header: list, rows: list) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([["Name", "Email", "Discipline", *header], *rows])
    result = parse_people_file(io.StringIO(out.getvalue()), existing=HANA_AND_MARCO)
    assert_well_formed(result, rows_in_file=len(rows) + 1)


# -- writing ------------------------------------------------------------------------------


def people_csv(count: int, prefix: str) -> io.BytesIO:
    """A made-up department: everyone reports to someone earlier in the file."""
    rows = [
        f"{prefix} {n},{prefix}{n}@example.org,Engineer,engineering,E2,"
        f"{f'{prefix}{n // 5}@example.org' if n else ''},{prefix} team {n % 3},engineer"
        for n in range(count)
    ]
    return csv_file(*rows)


def snapshot() -> tuple:
    people = Person.objects.order_by("pk").values_list(
        "pk", "name", "email", "title", "discipline", "level", "manager_id"
    )
    memberships = TeamMembership.objects.order_by("pk").values_list(
        "pk", "team_id", "person_id", "role"
    )
    return list(people), list(memberships), list(Team.objects.values_list("pk", "name"))


WRITES = ("INSERT", "UPDATE", "DELETE")


class ImportingIntoTheCastsOrg(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()

    def test_a_new_org_lands_with_managers_and_teams(self) -> None:
        report = import_people_file(FIXTURES / "org.csv")
        self.assertEqual((report.written, report.created, report.errors), (True, 8, []))
        ines = Person.objects.get(email="ines@acme.test")
        self.assertEqual(ines.manager.email, "gus@acme.test")  # gus comes later in the file
        self.assertEqual(ines.manager.manager.email, "ada@acme.test")
        tomas = Person.objects.get(email="tomas@acme.test")
        self.assertEqual(
            sorted(tomas.memberships.values_list("team__name", "role")),
            [("Onboarding", TeamRole.ENGINEER), ("Payments", TeamRole.TECH_LEAD)],
        )
        self.assertTrue(Team.objects.filter(name="Onboarding").exists())

    def test_importing_the_same_file_again_changes_nothing(self) -> None:
        import_people_file(FIXTURES / "org.csv")
        before = snapshot()
        with CaptureQueriesContext(connection) as queries:
            report = import_people_file(FIXTURES / "org.csv")
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 8))
        self.assertEqual(snapshot(), before)
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
        self.assertEqual(writes, [])

    def test_a_changed_title_and_manager_are_updated(self) -> None:
        report = import_people_file(
            csv_file(
                "Priya PM,priya@example.com,Senior PM,product,,hana@example.com,Checkout,pm",
                "Paul PM,paul@example.com,Product Manager,product,,marco@example.com,Search,pm",
            )
        )
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 1, 1))
        priya = Person.objects.get(pk=self.cast.priya.pk)
        self.assertEqual((priya.title, priya.manager_id), ("Senior PM", self.cast.hana.pk))

    def test_a_blank_manager_cell_removes_the_manager(self) -> None:
        import_people_file(csv_file("Paul PM,paul@example.com,Product Manager,product,,,Search,pm"))
        self.assertIsNone(Person.objects.get(pk=self.cast.paul.pk).manager_id)

    def test_columns_the_file_lacks_keep_what_productops_knows(self) -> None:
        report = import_people_file(
            csv_file("Priya Patel,priya@example.com,product", header="name,email,discipline")
        )
        self.assertEqual(report.updated, 1)
        priya = Person.objects.get(pk=self.cast.priya.pk)
        self.assertEqual((priya.name, priya.title), ("Priya Patel", "Product Manager"))
        self.assertEqual(priya.manager_id, self.cast.marco.pk)
        self.assertEqual(list(priya.teams.all()), [self.cast.checkout])

    def test_memberships_become_exactly_what_the_file_says(self) -> None:
        report = import_people_file(
            csv_file(
                "Priya PM,priya@example.com,Product Manager,product,,marco@example.com,"
                "search;Growth,pm;Product manager"
            )
        )
        self.assertEqual(report.updated, 1)
        self.assertEqual(
            sorted(self.cast.priya.memberships.values_list("team__name", "role")),
            [("Growth", TeamRole.PRODUCT_MANAGER), ("Search", TeamRole.PRODUCT_MANAGER)],
        )
        # 'search' is the existing Search team; Dana, not in the file, stays on Checkout.
        self.assertEqual(Team.objects.filter(name__iexact="search").count(), 1)
        self.assertTrue(self.cast.dana.memberships.filter(team=self.cast.checkout).exists())

    def test_a_changed_team_role_is_an_update(self) -> None:
        report = import_people_file(
            csv_file(
                "Tariq Tech,tariq@example.com,Tech Lead,engineering,,hana@example.com,Checkout,engineer"
            )
        )
        self.assertEqual(report.updated, 1)
        self.assertEqual(self.cast.tariq.memberships.get().role, TeamRole.ENGINEER)

    def test_a_cycle_through_people_already_here_is_reported_from_the_database(self) -> None:
        before = snapshot()
        report = import_people_file(
            csv_file("Hana Head,hana@example.com,VP Product,product,,priya@example.com,,")
        )
        self.assertFalse(report.written)
        (error,) = report.errors
        self.assertEqual((error.row, error.column), (2, "manager_email"))
        self.assertIn("priya@example.com (already in productops) → marco@example.com", error.reason)
        self.assertEqual(snapshot(), before)

    def test_by_default_one_bad_row_means_nothing_is_written(self) -> None:
        before = snapshot()
        report = import_people_file(FIXTURES / "bad_rows.csv")
        self.assertFalse(report.written)
        self.assertEqual(len(report.errors), 11)
        self.assertEqual((report.created, report.skipped), (0, 0))
        self.assertTrue(report.summary().startswith("Nothing was written: 11 problem(s)"))
        self.assertEqual(snapshot(), before)

    def test_skip_invalid_writes_the_good_rows_and_lists_the_rest(self) -> None:
        report = import_people_file(FIXTURES / "bad_rows.csv", skip_invalid=True)
        self.assertTrue(report.written)
        self.assertEqual((report.created, report.skipped), (1, 12))
        self.assertTrue(Person.objects.filter(email="max@acme.test").exists())
        self.assertFalse(Person.objects.filter(email="fay@acme.test").exists())
        # Ann's manager Bob is on a bad row, so Ann is left out too.
        ann = next(e for e in report.errors if e.row == 2)
        self.assertEqual((ann.column, ann.reason), ("manager_email", "manager row 3 was skipped"))
        self.assertIn("12 row(s) skipped", report.summary())

    def test_skip_invalid_cannot_skip_a_problem_with_the_whole_file(self) -> None:
        report = import_people_file(
            csv_file("Nia New,nia@example.com", header="name,email"), skip_invalid=True
        )
        self.assertFalse(report.written)
        self.assertEqual(report.errors[0].row, 1)
        self.assertFalse(Person.objects.filter(email="nia@example.com").exists())

    def test_skipping_a_manager_skips_everyone_below_them(self) -> None:
        report = import_people_file(
            csv_file(
                "Ann,ann@example.com,,product,,bob@example.com,,",
                "Bob,bob@example.com,,product,,cy@example.com,,",
                "Cy,cy@example.com,,Dezign,,,,",
                "Dee,dee@example.com,,design,,hana@example.com,,",
            ),
            skip_invalid=True,
        )
        self.assertEqual(
            [(e.row, e.reason) for e in report.errors if e.column == "manager_email"],
            [
                (2, "manager row 3 was skipped"),
                (3, "manager row 4 was skipped"),
            ],
        )
        self.assertEqual((report.created, report.skipped), (1, 3))
        self.assertEqual(Person.objects.get(email="dee@example.com").manager, self.cast.hana)

    def test_skipping_a_row_cannot_close_a_loop_through_its_current_manager(self) -> None:
        # The file says Marco has no manager, but his row is bad: he keeps Hana. Hana
        # then reporting to Priya would loop Hana → Priya → Marco → Hana.
        report = import_people_file(
            csv_file(
                "Hana Head,hana@example.com,VP Product,product,,priya@example.com,,",
                "Marco Manager,marco@example.com,Group PM,Dezign,,,,",
                "Nia New,nia@example.com,,design,,,,",
            ),
            skip_invalid=True,
        )
        self.assertEqual((report.created, report.skipped), (1, 2))
        hana = next(e for e in report.errors if e.row == 2)
        self.assertTrue(hana.reason.startswith("manager cycle once the skipped rows keep"))
        self.assertIsNone(Person.objects.get(pk=self.cast.hana.pk).manager_id)

    def test_a_manager_removed_since_the_file_was_read_rejects_the_import(self) -> None:
        parsed = parse_people_file(csv_file("Ann,ann@example.com,,sales,,otto@example.com,,"))
        self.assertEqual(parsed.errors, [])
        Person.objects.filter(pk=self.cast.otto.pk).delete()
        report = do_import_people(parsed)
        self.assertFalse(report.written)
        self.assertEqual(
            report.errors[0].reason, "manager otto@example.com is no longer in productops"
        )
        self.assertFalse(Person.objects.filter(email="ann@example.com").exists())

    def test_an_upload_is_read_like_a_file(self) -> None:
        upload = SimpleUploadedFile(
            "hr.csv", (FIXTURES / "excel_export.csv").read_bytes(), content_type="text/csv"
        )
        report = import_people_file(upload, source="hr.csv")
        self.assertEqual(report.created, 3)
        self.assertEqual(Person.objects.get(email="zoe@acme.test").manager.name, "Gus Grant")

    def test_query_count_does_not_grow_with_the_number_of_rows(self) -> None:
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(import_people_file(people_csv(20, "few")).created, 20)
        with CaptureQueriesContext(connection) as many:
            self.assertEqual(import_people_file(people_csv(200, "many")).created, 200)
        # SQLite takes at most 999 parameters a statement, so Django splits inserting 200
        # people into batches; those extra batches are the only difference allowed.
        fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
        per_insert = connection.ops.bulk_batch_size(fields, range(200))
        extra_batches = math.ceil(200 / per_insert) - 1
        self.assertLessEqual(len(many), len(few) + extra_batches)
        self.assertLess(len(many), 20)

    def test_query_count_of_a_reimport_is_the_same_for_20_and_200_rows(self) -> None:
        counts = []
        for size, prefix in ((20, "few"), (200, "many")):
            import_people_file(people_csv(size, prefix))
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(import_people_file(people_csv(size, prefix)).unchanged, size)
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])
