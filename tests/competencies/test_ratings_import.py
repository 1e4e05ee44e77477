"""`import-ratings`: a spreadsheet of past assessments, checked whole, written all or nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from productops.competencies.actions import do_open_cycle
from productops.competencies.importers.ratings_csv import (
    COLUMNS,
    RatingsContext,
    import_ratings_file,
    parse_ratings_file,
)
from productops.competencies.models import AssessmentCycle, AssessmentRequest, Rating
from productops.imports import ParseResult
from productops.org.models import Discipline, Person
from tests.cast import build_cast
from tests.competencies.cycle_cast import in_days
from tests.competencies.factories import make_model_version

FIXTURES = Path(__file__).parent.parent / "fixtures" / "competencies" / "ratings"
HEADER = ",".join(COLUMNS)
CONTEXT = RatingsContext(
    version_label="Test PM model v1",
    competency_keys=("discovery", "delivery", "strategy"),
    steps=(1, 2, 3, 4, 5),
    emails=frozenset({"priya@example.com", "paul@example.com", "marco@example.com"}),
)
Status = AssessmentRequest.Status


def csv_file(*rows: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join([header, *rows]) + "\n")


def parse(*rows: str, header: str = HEADER) -> ParseResult:
    return parse_ratings_file(csv_file(*rows, header=header), context=CONTEXT)


def only_error(result: ParseResult):
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


class ReadingRows(SimpleTestCase):
    """Parsing alone, against a fixed context: no database."""

    def test_a_good_row(self) -> None:
        (row,) = parse("Priya@Example.com,PAUL@example.com,Peer,Discovery,4,Ran interviews").records
        self.assertEqual(
            (row.row, row.subject_email, row.rater_email, row.kind, row.competency_key),
            (2, "priya@example.com", "paul@example.com", "peer", "discovery"),
        )
        self.assertEqual((row.score, row.not_observed, row.evidence), (4, False, "Ran interviews"))

    def test_headers_are_matched_ignoring_case_spaces_and_aliases(self) -> None:
        result = parse(
            "priya@example.com,priya@example.com,self,discovery,3",
            header="Subject Email , rater-email,KIND,Competency,Rating",
        )
        self.assertEqual(result.errors, [])
        self.assertEqual(result.records[0].evidence, "")

    def test_empty_and_na_scores_mean_not_observed(self) -> None:
        rows = parse(
            "priya@example.com,paul@example.com,peer,discovery,,",
            "priya@example.com,paul@example.com,peer,delivery,n/a,",
            "priya@example.com,paul@example.com,peer,strategy,Not observed,",
        ).records
        self.assertEqual([(r.score, r.not_observed) for r in rows], [(None, True)] * 3)

    def test_whole_number_spellings_are_accepted(self) -> None:
        rows = parse(
            "priya@example.com,paul@example.com,peer,discovery,4.0,",
            "priya@example.com,paul@example.com,peer,delivery, 2 ,",
        ).records
        self.assertEqual([r.score for r in rows], [4, 2])

    def test_unknown_subject_email(self) -> None:
        error = only_error(parse("nobody@example.com,paul@example.com,peer,discovery,3"))
        self.assertEqual((error.row, error.column), (2, "subject_email"))
        self.assertIn("no one in productops has the email nobody@example.com", error.reason)

    def test_unknown_rater_email(self) -> None:
        error = only_error(parse("priya@example.com,ghost@example.com,peer,discovery,3"))
        self.assertEqual((error.row, error.column), (2, "rater_email"))
        self.assertIn("import them with import-people first", error.reason)

    def test_an_email_that_is_not_one(self) -> None:
        error = only_error(parse("priya,paul@example.com,peer,discovery,3"))
        self.assertEqual(error.reason, "'priya' is not a valid email address")

    def test_unknown_rater_kind(self) -> None:
        error = only_error(parse("priya@example.com,paul@example.com,buddy,discovery,3"))
        self.assertEqual((error.row, error.column), (2, "rater_kind"))
        self.assertEqual(error.reason, "unknown rater kind 'buddy'; use self, manager or peer")

    def test_unknown_competency_key(self) -> None:
        error = only_error(parse("priya@example.com,paul@example.com,peer,negotiation,3"))
        self.assertEqual((error.row, error.column), (2, "competency_key"))
        self.assertEqual(
            error.reason,
            "'negotiation' is not a competency of Test PM model v1 "
            "(its keys: discovery, delivery, strategy)",
        )

    def test_score_out_of_scale(self) -> None:
        error = only_error(parse("priya@example.com,paul@example.com,peer,discovery,0"))
        self.assertEqual((error.row, error.column), (2, "score"))
        self.assertEqual(error.reason, "0 is outside the scale of Test PM model v1 (1–5)")

    def test_score_that_is_not_a_number(self) -> None:
        for text in ("great", "3.5", "-2", "1e3", "nan"):
            error = only_error(parse(f"priya@example.com,paul@example.com,peer,discovery,{text}"))
            self.assertEqual(error.column, "score", text)
            self.assertIn("is not a score: use a whole step of the scale (1–5)", error.reason)

    def test_duplicate_ratings(self) -> None:
        result = parse(
            "priya@example.com,paul@example.com,peer,discovery,3",
            "priya@example.com,marco@example.com,manager,discovery,3",
            "PRIYA@example.com,paul@example.com,Peer,discovery,4",
        )
        error = only_error(result)
        self.assertEqual(error.row, 4)
        self.assertIn("duplicate rating: row 2 already has paul@example.com's peer", error.reason)
        self.assertEqual([r.row for r in result.records], [2, 3])

    def test_a_self_rating_comes_from_the_subject(self) -> None:
        error = only_error(parse("priya@example.com,paul@example.com,self,discovery,3"))
        self.assertEqual((error.row, error.column), (2, "rater_email"))
        self.assertIn("a self rating comes from the subject", error.reason)

    def test_others_do_not_rate_as_the_subject(self) -> None:
        error = only_error(parse("priya@example.com,priya@example.com,peer,discovery,3"))
        self.assertIn("a peer rating cannot come from the subject themselves", error.reason)

    def test_every_problem_of_a_row_is_reported(self) -> None:
        result = parse("nobody@example.com,ghost@example.com,buddy,nope,9")
        self.assertEqual(
            [e.column for e in result.errors],
            ["subject_email", "rater_email", "rater_kind", "competency_key", "score"],
        )
        self.assertEqual(result.records, [])

    def test_missing_columns_are_named(self) -> None:
        error = only_error(parse("a,b,c", header="subject_email,rater_email,score"))
        self.assertEqual(error.row, 1)
        self.assertIn("missing required column(s): rater_kind, competency_key", error.reason)

    def test_empty_files_and_header_only_files(self) -> None:
        self.assertIn(
            "the file is empty",
            only_error(parse_ratings_file(io.StringIO(""), context=CONTEXT)).reason,
        )
        self.assertIn("no ratings in it", only_error(parse()).reason)

    def test_files_that_are_not_utf8_text(self) -> None:
        latin1 = io.BytesIO((HEADER + "\nprïya@example.com,a,b,c,1\n").encode("latin-1"))
        self.assertIn("not UTF-8", only_error(parse_ratings_file(latin1, context=CONTEXT)).reason)
        workbook = io.BytesIO(b"PK\x03\x04 rest of a zip")
        self.assertIn(
            "Excel workbook", only_error(parse_ratings_file(workbook, context=CONTEXT)).reason
        )

    def test_the_recorded_bad_file_names_each_row(self) -> None:
        result = parse_ratings_file(FIXTURES / "bad_rows.csv", context=CONTEXT)
        self.assertEqual(
            [(e.row, e.column) for e in result.errors],
            [
                (2, "subject_email"),
                (3, "rater_email"),
                (4, "rater_kind"),
                (5, "competency_key"),
                (6, "score"),
                (7, "score"),
                (9, None),
                (10, "rater_email"),
            ],
        )
        self.assertEqual([r.row for r in result.records], [8, 11])

    def test_excel_semicolons_a_bom_and_decimal_commas(self) -> None:
        result = parse_ratings_file(FIXTURES / "semicolon_excel.csv", context=CONTEXT)
        self.assertEqual(result.errors, [])
        self.assertEqual(
            [(r.competency_key, r.score, r.not_observed, r.evidence) for r in result.records],
            [("discovery", 3, False, "Good; steady"), ("delivery", None, True, "")],
        )


# -- never a traceback --------------------------------------------------------------------


def assert_well_formed(result: ParseResult, rows_in_file: int) -> None:
    assert isinstance(result, ParseResult)
    for error in result.errors:
        assert error.row is None or 1 <= error.row <= rows_in_file
        assert error.column is None or error.column in COLUMNS
        assert error.reason
    for record in result.records:
        assert record.subject_email in CONTEXT.emails
        assert record.rater_email in CONTEXT.emails
        assert record.competency_key in CONTEXT.competency_keys
        assert (record.score is None) == record.not_observed
        assert record.score is None or record.score in CONTEXT.steps
    identities = [(*r.request_key, r.competency_key) for r in result.records]
    assert len(identities) == len(set(identities))
    assert not {record.row for record in result.records} & result.bad_rows


@settings(max_examples=300)
@given(st.binary(max_size=600))
def test_random_bytes_give_errors_not_exceptions(content: bytes) -> None:
    result = parse_ratings_file(io.BytesIO(content), context=CONTEXT)
    assert_well_formed(result, rows_in_file=content.count(b"\n") + content.count(b"\r") + 1)


@settings(max_examples=300)
@given(st.text(max_size=600))
def test_random_text_gives_errors_not_exceptions(content: str) -> None:
    result = parse_ratings_file(io.StringIO(content), context=CONTEXT)
    assert_well_formed(result, rows_in_file=len(content.splitlines()) + 2)


CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "priya@example.com",
            "PAUL@example.com",
            "marco@example.com",
            "nobody@example.com",
            "self",
            "Manager",
            "peer",
            "discovery",
            "Strategy",
            "1",
            "5",
            "6",
            "3.0",
            "n/a",
            "-",
            "not-an-email",
        ]
    ),
    st.text(max_size=12),
)


@settings(max_examples=300)
@given(
    header=st.permutations(COLUMNS).flatmap(lambda cols: st.lists(st.sampled_from(cols))),
    rows=st.lists(st.lists(CELLS, max_size=7), max_size=8),
)
def test_random_spreadsheets_give_errors_not_exceptions(header: list, rows: list) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([[*COLUMNS[:5], *header], *rows])
    result = parse_ratings_file(io.StringIO(out.getvalue()), context=CONTEXT)
    assert_well_formed(result, rows_in_file=len(rows) + 1)


# -- writing ------------------------------------------------------------------------------


def snapshot() -> tuple:
    requests = AssessmentRequest.objects.order_by("pk").values_list(
        "pk", "cycle_id", "subject_id", "rater_id", "kind", "status", "submitted_at"
    )
    ratings = Rating.objects.order_by("pk").values_list(
        "pk", "request_id", "competency_key", "score", "not_observed", "evidence"
    )
    return list(AssessmentCycle.objects.values_list("pk", "name")), list(requests), list(ratings)


class WritingRatings(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = build_cast()
        cls.version = make_model_version()
        cls.slug = cls.version.model.slug

    def test_a_spreadsheet_becomes_submitted_requests_in_a_new_cycle(self) -> None:
        report = import_ratings_file(FIXTURES / "spreadsheet.csv", model_slug=self.slug)
        self.assertTrue(report.written, report.errors)
        self.assertEqual((report.created, report.updated, report.unchanged), (10, 0, 0))
        cycle = AssessmentCycle.objects.get()
        self.assertEqual(cycle.name, f"Imported {timezone.localdate():%Y-%m-%d}")
        self.assertEqual(cycle.version, self.version)
        self.assertFalse(cycle.is_open)  # imported ratings are past assessments
        self.assertEqual(cycle.rater_kinds, ["self", "manager", "peer"])
        self.assertEqual(set(cycle.subjects.all()), {self.cast.priya, self.cast.paul})
        self.assertEqual(
            set(cycle.requests.values_list("subject__name", "rater__name", "kind", "status")),
            {
                ("Priya PM", "Priya PM", "self", "submitted"),
                ("Priya PM", "Marco Manager", "manager", "submitted"),
                ("Priya PM", "Paul PM", "peer", "submitted"),
                ("Paul PM", "Paul PM", "self", "submitted"),
                ("Paul PM", "Marco Manager", "manager", "submitted"),
            },
        )
        marco = Rating.objects.get(
            request__rater=self.cast.marco,
            request__subject=self.cast.priya,
            competency_key="discovery",
        )
        self.assertEqual(marco.evidence, "Interviews happen, but the team\nrarely joins them")
        unobserved = Rating.objects.get(request__rater=self.cast.paul, competency_key="delivery")
        self.assertEqual((unobserved.score, unobserved.not_observed), (None, True))

    def test_into_an_existing_cycle_by_name(self) -> None:
        cycle = do_open_cycle(
            self.cast.hana_user,
            name="H1 review",
            version=self.version,
            subjects=[self.cast.priya],
            due_date=in_days(5),
            rater_kinds=["self", "manager"],
        )
        report = import_ratings_file(FIXTURES / "spreadsheet.csv", cycle="H1 review")
        self.assertTrue(report.written, report.errors)
        self.assertEqual(AssessmentCycle.objects.count(), 1)
        cycle.refresh_from_db()
        self.assertTrue(cycle.is_open)
        self.assertEqual(cycle.rater_kinds, ["self", "manager", "peer"])
        # The requests the cycle had are filled and submitted, not made twice.
        self.assertEqual(cycle.requests.count(), 5)
        self.assertEqual(set(cycle.requests.values_list("status", flat=True)), {Status.SUBMITTED})

    def test_a_new_cycle_may_be_named(self) -> None:
        report = import_ratings_file(
            FIXTURES / "spreadsheet.csv", cycle="2024 review", model_slug=self.slug
        )
        self.assertTrue(report.written)
        self.assertEqual(AssessmentCycle.objects.get().name, "2024 review")

    def test_importing_the_same_file_again_changes_nothing(self) -> None:
        import_ratings_file(FIXTURES / "spreadsheet.csv", cycle="2024", model_slug=self.slug)
        before = snapshot()
        report = import_ratings_file(
            FIXTURES / "spreadsheet.csv", cycle="2024", model_slug=self.slug
        )
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 10))
        self.assertEqual(snapshot(), before)
        # Without --cycle, the same day's "Imported" cycle is filled again.
        import_ratings_file(FIXTURES / "spreadsheet.csv", model_slug=self.slug)
        again = import_ratings_file(FIXTURES / "spreadsheet.csv", model_slug=self.slug)
        self.assertEqual(again.unchanged, 10)
        self.assertEqual(AssessmentCycle.objects.count(), 2)

    def test_a_changed_score_is_updated(self) -> None:
        import_ratings_file(FIXTURES / "spreadsheet.csv", cycle="2024", model_slug=self.slug)
        changed = csv_file("paul@example.com,marco@example.com,manager,discovery,3,Better now")
        report = import_ratings_file(changed, cycle="2024")
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 1, 0))
        rating = Rating.objects.get(request__subject=self.cast.paul, request__kind="manager")
        self.assertEqual((rating.score, rating.evidence), (3, "Better now"))

    def test_one_bad_row_writes_nothing(self) -> None:
        before = snapshot()
        report = import_ratings_file(FIXTURES / "bad_rows.csv", model_slug=self.slug)
        self.assertFalse(report.written)
        self.assertEqual(len(report.errors), 8)
        self.assertIn("Nothing was written: 8 problem(s) found", report.summary())
        self.assertEqual(snapshot(), before)

    def test_skip_invalid_writes_the_good_rows(self) -> None:
        report = import_ratings_file(
            FIXTURES / "bad_rows.csv", model_slug=self.slug, skip_invalid=True, source="bad.csv"
        )
        self.assertTrue(report.written)
        self.assertEqual((report.created, report.skipped), (2, 8))
        self.assertEqual(len(report.errors), 8)
        self.assertTrue(str(report.errors[0]).startswith("bad.csv, row 2, column subject_email:"))
        self.assertIn("2 created, 0 updated, 0 unchanged, 8 row(s) skipped", report.summary())
        self.assertEqual(Rating.objects.count(), 2)

    def test_skip_invalid_with_no_good_row_writes_nothing(self) -> None:
        bad = csv_file("nobody@example.com,paul@example.com,peer,discovery,3")
        report = import_ratings_file(bad, model_slug=self.slug, skip_invalid=True)
        self.assertFalse(report.written)
        self.assertFalse(AssessmentCycle.objects.exists())

    def test_a_broken_header_writes_nothing_even_with_skip_invalid(self) -> None:
        bad = csv_file("a,b", header="email,score")
        report = import_ratings_file(bad, model_slug=self.slug, skip_invalid=True)
        self.assertFalse(report.written)
        self.assertEqual(report.errors[0].row, 1)

    def test_where_to_import_must_be_clear(self) -> None:
        report = import_ratings_file(FIXTURES / "spreadsheet.csv")
        self.assertIn("name a cycle with --cycle, or a model with --model", report.errors[0].reason)
        report = import_ratings_file(FIXTURES / "spreadsheet.csv", model_slug="nope")
        self.assertIn(
            "no competency model has the slug 'nope' (known: test-pm-model)",
            report.errors[0].reason,
        )
        report = import_ratings_file(FIXTURES / "spreadsheet.csv", cycle="Missing")
        self.assertIn("no cycle is named 'Missing'; give --model SLUG", report.errors[0].reason)
        for _ in range(2):
            AssessmentCycle.objects.create(name="Twice", version=self.version, due_date=in_days(1))
        report = import_ratings_file(FIXTURES / "spreadsheet.csv", cycle="Twice")
        self.assertIn("2 cycles are named 'Twice'", report.errors[0].reason)
        self.assertFalse(report.written)

    def test_keys_are_checked_against_the_cycles_own_version(self) -> None:
        AssessmentCycle.objects.create(name="On v1", version=self.version, due_date=in_days(1))
        make_model_version(number=2, keys=("discovery", "coaching"))
        self.assertTrue(import_ratings_file(FIXTURES / "spreadsheet.csv", cycle="On v1").written)
        # A new cycle takes the latest version, v2, which has no delivery.
        report = import_ratings_file(
            FIXTURES / "spreadsheet.csv", cycle="New", model_slug=self.slug
        )
        self.assertFalse(report.written)
        self.assertIn("'delivery' is not a competency of Test PM model v2", report.errors[0].reason)

    def test_writes_are_in_bulk(self) -> None:
        def people_file(count: int) -> io.StringIO:
            rows = [
                f"p{i}@x.test,{rater}@x.test,{kind},{key},3,"
                for i in range(count)
                for rater, kind in ((f"p{i}", "self"), ("boss", "manager"))
                for key in ("discovery", "delivery", "strategy")
            ]
            return csv_file(*rows)

        boss = Person.objects.create(
            name="Boss", email="boss@x.test", discipline=Discipline.PRODUCT
        )
        Person.objects.bulk_create(
            Person(name=f"P{i}", email=f"p{i}@x.test", discipline=Discipline.PRODUCT, manager=boss)
            for i in range(20)
        )
        costs = []
        # 20 people fit one INSERT batch on SQLite (999 parameters); more take a few batches.
        for count, name in ((4, "small"), (20, "large")):
            with CaptureQueriesContext(connection) as queries:
                report = import_ratings_file(people_file(count), cycle=name, model_slug=self.slug)
            self.assertTrue(report.written, report.errors)
            costs.append(len(queries.captured_queries))
        self.assertEqual(costs[0], costs[1])
