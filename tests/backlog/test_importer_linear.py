"""A team on Linear brings its CSV export, in either of the shapes Linear has shipped."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta, timezone
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from productops.backlog.importers import linear_csv
from productops.backlog.models import Item, Sprint
from productops.backlog.records import ItemRecord, SprintRecord
from productops.imports import RowError, RowWarning

FIXTURES = Path(__file__).parent.parent / "fixtures" / "backlog" / "linear_csv"
THIRTY = FIXTURES / "linear-export-30-columns.csv"
THIRTY_FOUR = FIXTURES / "linear-export-34-columns.csv"
QUIRKS = FIXTURES / "linear-export-quirks.csv"
CET = timezone(timedelta(hours=1))
HEADER = "ID,Team,Title,Status,Estimate,Labels,Created,Completed,Canceled,Started\n"


def items(records) -> dict[str, ItemRecord]:
    return {record.key: record for record in records if isinstance(record, ItemRecord)}


def errors(records) -> list[RowError]:
    return [r for r in records if isinstance(r, RowError) and not isinstance(r, RowWarning)]


def warnings(records) -> list[RowWarning]:
    return [record for record in records if isinstance(record, RowWarning)]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_both_export_variants_read_without_errors() -> None:
    records = list(linear_csv.read([THIRTY, THIRTY_FOUR]))

    assert errors(records) == []
    assert warnings(records) == []
    assert sorted(items(records)) == ["DES-7", "DES-8", "ENG-101", "ENG-102", "ENG-103", "ENG-104"]


def test_a_completed_issue_from_the_30_column_export() -> None:
    issue = items(linear_csv.read([THIRTY]))["ENG-101"]

    assert (issue.source, issue.title) == ("linear", "Bulk edit for invoices")
    assert (issue.type, issue.original_type) == ("feature", "Feature")  # from the labels
    assert issue.labels == ["Feature", "Customer request"]  # comma-separated
    assert (issue.status_category, issue.resolution) == ("done", "done")
    assert issue.resolved == datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
    assert issue.created == datetime(2024, 2, 27, 10, 12, 45, 120000, tzinfo=UTC)
    assert (issue.story_points, issue.priority) == (3, "High")
    assert (issue.reporter, issue.reporter_email) == ("priya@example.com", "priya@example.com")
    assert issue.project == "Invoicing"
    assert issue.sprints == ["Engineering/cycle-12"]
    assert issue.fix_versions == ["Beta"]  # the project milestone


def test_canceled_is_wont_do_and_started_is_in_progress() -> None:
    records = items(linear_csv.read([THIRTY]))
    canceled, started, backlog = records["ENG-103"], records["ENG-102"], records["ENG-104"]

    assert (canceled.status_category, canceled.resolution) == ("done", "won't do")
    assert canceled.resolved == datetime(2024, 3, 20, 9, 0, tzinfo=UTC)
    assert canceled.parent_key == "ENG-101"
    assert (started.status_category, started.type) == ("in_progress", "bug")
    # started once, then moved back: the status says where it is now
    assert backlog.status_category == "todo"
    assert (backlog.type, backlog.priority, backlog.project) == ("other", "", "Engineering")


def test_cycles_become_sprints_once_per_team_and_number() -> None:
    records = list(linear_csv.read([THIRTY, THIRTY_FOUR]))
    sprints = [record for record in records if isinstance(record, SprintRecord)]

    assert sprints == [
        SprintRecord(
            source_id="Engineering/cycle-12",
            name="Sprint Apricot",
            start=datetime(2024, 3, 4, tzinfo=UTC),
            planned_end=datetime(2024, 3, 18, tzinfo=UTC),
        ),
        SprintRecord(
            source_id="Engineering/cycle-13",
            name="Engineering cycle 13",
            start=datetime(2024, 3, 18, tzinfo=UTC),
            planned_end=datetime(2024, 4, 1, tzinfo=UTC),
        ),
        SprintRecord(
            source_id="Design/cycle-4",
            name="Design cycle 4",
            start=datetime(2024, 3, 4, tzinfo=UTC),
            planned_end=datetime(2024, 3, 18, tzinfo=UTC),
        ),
    ]


def test_the_34_column_export_with_javascript_dates_and_numeric_priorities() -> None:
    records = items(linear_csv.read([THIRTY_FOUR]))
    duplicate, review = records["DES-7"], records["DES-8"]

    assert duplicate.created == datetime(2024, 2, 27, 11, 12, 45, tzinfo=CET)
    assert (duplicate.status_category, duplicate.resolution) == ("done", "duplicate")
    assert (duplicate.priority, review.priority) == ("Medium", "High")  # 3 and 2
    assert (duplicate.reporter, duplicate.reporter_email) == ("Priya Member", "")
    assert (review.status_category, review.story_points, review.type) == (
        "in_progress",
        0.5,
        "task",
    )


def test_bad_rows_are_reported_with_file_row_column_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "linear.csv",
        HEADER
        + "A-1,T,Fine,Todo,2,,2024-01-01T00:00:00Z,,,\n"
        + "A-2,T,Bad estimate,Todo,big,,,,,\n"
        + "A-3,T,Bad date,Done,,,,last Tuesday,,\n"
        + ",T,No id,Todo,,,,,,\n"
        + "A-5,T,,Todo,,,,,,\n",
    )

    records = list(linear_csv.read([path]))

    # an empty title is a warning: the issue is imported, titled by its ID
    assert list(items(records)) == ["A-1", "A-5"]
    assert items(records)["A-5"].title == "A-5"
    assert [(w.row, w.column, w.key) for w in warnings(records)] == [(6, "Title", "A-5")]
    assert [(e.source, e.row, e.column, e.key) for e in errors(records)] == [
        ("linear.csv", 3, "Estimate", "A-2"),
        ("linear.csv", 4, "Completed", "A-3"),
        ("linear.csv", 5, "ID", ""),
    ]


def test_a_file_that_is_not_a_linear_export_is_reported_on_row_one(tmp_path: Path) -> None:
    path = write(tmp_path, "other.csv", "Key,Summary\nX-1,Y\n")

    problems = list(linear_csv.read([path]))

    assert [(e.row, e.column) for e in problems] == [(1, "ID"), (1, "Title")]


def test_reading_streams_one_file_after_the_other(tmp_path: Path) -> None:
    first = write(tmp_path, "1.csv", HEADER + "A-1,T,First,Todo,,,,,,\n")
    second = tmp_path / "2.csv"

    reader = (r for r in linear_csv.read([first, second]) if isinstance(r, ItemRecord))
    assert next(reader).key == "A-1"
    write(tmp_path, "2.csv", HEADER + "B-1,T,Second,Todo,,,,,,\n")

    assert [record.key for record in reader] == ["B-1"]


def test_what_real_exports_leave_out_is_a_warning_and_the_issue_is_kept() -> None:
    records = list(linear_csv.read([QUIRKS]))
    found = items(records)

    assert errors(records) == []
    assert sorted(found) == ["OPS-11", "OPS-12", "OPS-13"]
    untitled = found["OPS-11"]
    assert (untitled.title, untitled.type, untitled.priority, untitled.reporter) == (
        "OPS-11",
        "bug",
        "",
        "",
    )
    assert untitled.description.startswith("Filed from the support inbox.\n\n> Customer")
    assert (untitled.project, untitled.sprints) == ("Operations", [])
    assert [(w.row, w.column, w.key) for w in warnings(records)] == [
        (2, "Title", "OPS-11"),
        (2, "Creator", "OPS-11"),
        (3, "Creator", "OPS-12"),
    ]
    chore = found["OPS-12"]
    assert (chore.type, chore.labels, chore.status_category, chore.resolution) == (
        "task",
        ["Chore", "Security"],
        "done",
        "done",
    )
    assert chore.sprints == ["Operations/cycle-7"]
    assert (found["OPS-13"].status_category, found["OPS-13"].resolution) == ("done", "won't do")


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_input_gives_records_or_row_errors_never_an_exception(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_bytes(HEADER.encode() + content)

        for record in linear_csv.read([path]):
            assert isinstance(record, ItemRecord | SprintRecord | RowError)


@pytest.mark.django_db
def test_the_exports_import_through_the_command() -> None:
    out = StringIO()
    call_command(
        "import_tracker", "--format", "linear-csv", str(FIXTURES), stdout=out, stderr=StringIO()
    )

    assert "9 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Item.objects.filter(source="linear").count() == 9
    untitled = Item.objects.get(source="linear", key="OPS-11")
    assert (untitled.title, untitled.type, untitled.reporter) == ("OPS-11", "bug", "")
    canceled = Item.objects.get(key="OPS-13")
    assert (canceled.status_category, canceled.resolution) == ("done", "won't do")
    assert Sprint.objects.filter(source="linear").count() == 4  # 3 cycles, and Operations' 7
