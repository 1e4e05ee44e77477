"""A coach brings a spreadsheet from a home-made tracker and a mapping naming its columns."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from productops.backlog import models
from productops.backlog.importers import generic_csv, vocabulary
from productops.backlog.records import ItemRecord, SprintRecord
from productops.imports import RowError, RowWarning

FIXTURES = Path(__file__).parent.parent / "fixtures" / "backlog" / "generic_csv"
TICKETS = FIXTURES / "helpdesk-tickets.csv"
MAPPING = json.loads((FIXTURES / "mapping.json").read_text(encoding="utf-8"))
SMALL_MAPPING = {"columns": {"key": "Ticket", "title": "Subject", "created": "Opened"}}


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


def test_the_spreadsheet_reads_through_its_mapping() -> None:
    records = list(generic_csv.read([TICKETS], mapping=MAPPING))

    assert errors(records) == []
    defect = items(records)["HD-1"]
    assert (defect.source, defect.title) == ("csv", "Invoice PDF has wrong VAT")
    assert (defect.type, defect.original_type) == ("bug", "Defect")  # the mapping's types
    assert (defect.status, defect.status_category) == ("Shipped", "done")  # its categories
    assert defect.created == datetime(2020, 11, 3, tzinfo=UTC)  # its date format
    assert defect.resolved == datetime(2020, 11, 5, tzinfo=UTC)
    assert defect.labels == ["billing", "escalation"]  # its list separator
    assert defect.description == 'Customer: Globex. "Urgent" says the account manager.'
    assert (defect.reporter, defect.story_points, defect.sprints) == (
        "Sue Support",
        2,
        ["Iteration 5"],
    )


def test_values_the_mapping_does_not_know_fall_back_to_the_usual_names() -> None:
    records = items(generic_csv.read([TICKETS], mapping=MAPPING))
    wish, chore = records["HD-2"], records["HD-3"]

    assert (wish.type, wish.status_category, wish.labels) == ("feature", "todo", ["sales", "ui"])
    # an unknown type is "other", without an error, and the original is kept
    assert (chore.type, chore.original_type) == ("other", "Chore of the week")
    assert chore.status_category == "in_progress"  # Doing, from the mapping
    assert chore.created == datetime(2020, 11, 5, tzinfo=UTC)  # ISO still understood
    assert chore.sprints == ["Iteration 5", "Iteration 6"]


def test_sprints_are_yielded_once() -> None:
    records = list(generic_csv.read([TICKETS], mapping=MAPPING))

    assert [r.source_id for r in records if isinstance(r, SprintRecord)] == [
        "Iteration 5",
        "Iteration 6",
    ]


def test_a_mapped_column_missing_from_the_file_is_an_error_on_row_one(tmp_path: Path) -> None:
    path = write(tmp_path, "tickets.csv", "Ticket,Subject\nT-1,Hello\n")

    problems = list(generic_csv.read([path], mapping=SMALL_MAPPING))

    assert [(e.source, e.row, e.column) for e in problems] == [("tickets.csv", 1, "Opened")]
    assert "no such column" in problems[0].reason


def test_bad_rows_are_reported_with_file_row_column_and_key(tmp_path: Path) -> None:
    mapping = {
        "columns": {
            **SMALL_MAPPING["columns"],
            "story_points": "Points",
            "status_category": "Phase",
        },
        "date_format": "%d.%m.%Y",
    }
    path = write(
        tmp_path,
        "tickets.csv",
        "Ticket,Subject,Opened,Points,Phase\n"
        "T-1,Fine,01.02.2024,3,done\n"
        "T-2,Bad date,31.02.2024,,\n"
        "T-3,Bad points,,lots,\n"
        "T-4,Bad phase,,,finished-ish\n"
        ",No key,,,\n"
        "T-6,,,,\n",
    )

    records = list(generic_csv.read([path], mapping=mapping))

    # an empty title is a warning: the row is imported, titled by its key
    assert list(items(records)) == ["T-1", "T-6"]
    assert items(records)["T-6"].title == "T-6"
    assert [(w.row, w.column, w.key) for w in warnings(records)] == [(7, "Subject", "T-6")]
    assert [(e.source, e.row, e.column, e.key) for e in errors(records)] == [
        ("tickets.csv", 3, "Opened", "T-2"),
        ("tickets.csv", 4, "Points", "T-3"),
        ("tickets.csv", 5, "Phase", "T-4"),
        ("tickets.csv", 6, "Ticket", ""),
    ]


def test_a_wrong_mapping_is_reported_entry_by_entry_and_nothing_is_read() -> None:
    mapping = {
        "source": "trello",
        "columns": {"title": "Subject", "colour": "Color"},
        "types": {"Defect": "defect"},
        "status_categories": {"Closed": "finished"},
        "date_format": 12,
    }

    problems = list(generic_csv.read([TICKETS], mapping=mapping))

    assert [(e.source, e.column) for e in problems] == [
        ("mapping", "source"),
        ("mapping", "columns.colour"),
        ("mapping", "columns.key"),
        ("mapping", "types.Defect"),
        ("mapping", "status_categories.Closed"),
        ("mapping", "date_format"),
    ]


def test_no_mapping_is_one_clear_error() -> None:
    (problem,) = list(generic_csv.read([TICKETS]))

    assert "needs a mapping" in problem.reason


def test_the_source_can_be_another_tracker() -> None:
    record = next(
        r
        for r in generic_csv.read([TICKETS], mapping={**MAPPING, "source": "jira"})
        if isinstance(r, ItemRecord)
    )

    assert record.source == "jira"


def test_normalized_values_are_the_models_choices() -> None:
    assert set(vocabulary.ITEM_TYPES) == set(models.ItemType.values)
    assert set(vocabulary.STATUS_CATEGORIES) == set(models.StatusCategory.values)
    assert set(vocabulary.SOURCES) == set(models.Source.values)


def test_reading_streams_one_file_after_the_other(tmp_path: Path) -> None:
    mapping = {"columns": {"key": "Ticket", "title": "Subject"}}
    first = write(tmp_path, "1.csv", "Ticket,Subject\nA-1,First\n")
    second = tmp_path / "2.csv"

    reader = (
        r for r in generic_csv.read([first, second], mapping=mapping) if isinstance(r, ItemRecord)
    )
    assert next(reader).key == "A-1"
    write(tmp_path, "2.csv", "Ticket,Subject\nB-1,Second\n")

    assert [record.key for record in reader] == ["B-1"]


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_input_gives_records_or_row_errors_never_an_exception(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_bytes(b"Ticket,Subject,Opened,Points\n" + content)
        mapping = {"columns": {**SMALL_MAPPING["columns"], "story_points": "Points"}}

        for record in generic_csv.read([path], mapping=mapping):
            assert isinstance(record, ItemRecord | SprintRecord | RowError)


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    ["columns", "key", "title", "types", "source", "date_format", "list_separator"]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_any_mapping_gives_row_errors_never_an_exception(mapping) -> None:
    for record in generic_csv.read([TICKETS], mapping=mapping):
        assert isinstance(record, ItemRecord | SprintRecord | RowError)
