"""A head of product brings the CSV their Jira exported: repeated columns, custom fields, odd dates."""

from __future__ import annotations

import csv
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from productops.backlog.importers import jira_csv
from productops.backlog.records import ItemRecord, SprintRecord
from productops.imports import RowError, RowWarning

FIXTURES = Path(__file__).parent.parent / "fixtures" / "backlog" / "jira_csv"
CLOUD = FIXTURES / "jira-cloud-all-fields.csv"
SERVER = FIXTURES / "jira-server-current-fields.csv"


def items(records) -> dict[str, ItemRecord]:
    return {record.key: record for record in records if isinstance(record, ItemRecord)}


def errors(records) -> list[RowError]:
    return [record for record in records if isinstance(record, RowError)]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_cloud_export_reads_every_issue_without_errors() -> None:
    records = list(jira_csv.read([CLOUD]))

    assert errors(records) == []
    assert sorted(items(records)) == ["SHOP-1", "SHOP-2", "SHOP-3", "SHOP-4", "SHOP-5"]


def test_repeated_columns_become_lists_in_column_order() -> None:
    story = items(jira_csv.read([CLOUD]))["SHOP-2"]

    assert story.labels == ["sales", "enterprise"]
    assert story.components == ["Billing", "Web"]
    assert story.sprints == ["SHOP Sprint 1", "SHOP Sprint 2"]
    assert story.fix_versions == ["2.4.0"]


def test_the_story_reads_as_the_normalized_record() -> None:
    story = items(jira_csv.read([CLOUD]))["SHOP-2"]

    assert (story.type, story.original_type) == ("feature", "Story")
    assert (story.status, story.status_category, story.resolution) == ("Done", "done", "done")
    assert story.created == datetime(2020, 11, 3, 12, 17, tzinfo=UTC)  # 3/Nov/20 12:17 PM
    assert story.resolved == datetime(2020, 11, 12, 16, 40, tzinfo=UTC)
    assert story.reporter == "Sam Sales"
    assert story.reporter_account == "5c2a7b1e0f1a2b3c4d5e6f70"
    assert story.project == "Shop"
    assert story.priority == "High"
    assert story.story_points == 5
    assert story.description.endswith("before the renewal call.")  # a multi-line cell
    assert story.changes == []  # CSV exports carry no history
    assert (story.origin_file, story.origin_position) == ("jira-cloud-all-fields.csv", 3)


def test_numeric_parent_ids_become_keys_even_when_the_parent_comes_later() -> None:
    records = items(jira_csv.read([CLOUD]))

    assert records["SHOP-2"].parent_key == "SHOP-1"  # parent above it
    assert records["SHOP-3"].parent_key == "SHOP-5"  # parent below it
    assert records["SHOP-3"].epic_key == "SHOP-1"  # Custom field (Epic Link)


def test_wont_do_is_a_resolution_and_a_done_category() -> None:
    bug = items(jira_csv.read([CLOUD]))["SHOP-3"]

    assert (bug.type, bug.status_category, bug.resolution) == ("bug", "done", "won't do")
    assert bug.story_points == 2.5


def test_sprints_are_yielded_once_before_the_first_item_naming_them() -> None:
    records = list(jira_csv.read([CLOUD, SERVER]))
    sprints = [record for record in records if isinstance(record, SprintRecord)]

    assert [sprint.source_id for sprint in sprints] == [
        "SHOP Sprint 1",
        "SHOP Sprint 2",
        "OPS Sprint 3",
        "OPS Sprint 4",
    ]
    assert all(sprint.name == sprint.source_id for sprint in sprints)
    first_sprint = records.index(sprints[0])
    first_item_in_it = next(
        index
        for index, record in enumerate(records)
        if isinstance(record, ItemRecord) and "SHOP Sprint 1" in record.sprints
    )
    assert first_sprint < first_item_in_it


def test_an_older_export_without_status_category_infers_it_from_the_status() -> None:
    records = items(jira_csv.read([SERVER]))

    assert records["OPS-7"].status_category == "done"  # Closed
    assert records["OPS-8"].status_category == "in_progress"  # Testing
    assert records["OPS-9"].status_category == "todo"  # Backlog
    assert records["OPS-9"].resolution == ""  # "Unresolved" means none


def test_the_older_export_quirks() -> None:
    records = items(jira_csv.read([SERVER]))
    subtask, incident, chore = records["OPS-7"], records["OPS-8"], records["OPS-9"]

    assert subtask.created == datetime(2020, 11, 3, 12, 17, tzinfo=UTC)  # 03/Nov/20 12:17
    assert subtask.updated == datetime(2020, 11, 4, 9, 0, tzinfo=UTC)  # 2020-11-04 09:00
    assert subtask.labels == ["ops"]  # the same label twice is kept once
    assert subtask.fix_versions == ["2020.11", "2020.12"]
    assert subtask.story_points == 1  # Custom field (Story point estimate)
    assert subtask.parent_key == "OPS-6"  # Parent id holding a key
    assert subtask.reporter_email == "marco@example.com"
    assert (subtask.type, subtask.resolution) == ("subtask", "done")  # Fixed
    assert incident.sprints == ["OPS Sprint 3", "OPS Sprint 4"]  # Sprint + Custom field (Sprint)
    assert incident.created == datetime(2020, 11, 5, 10, 15, tzinfo=timezone(timedelta(hours=1)))
    assert (incident.type, chore.type) == ("incident", "task")


def test_a_mapping_can_name_another_custom_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "effort.csv",
        "Issue key,Summary,Custom field (Effort)\nX-1,Something,8\n",
    )

    record = items(
        jira_csv.read([path], mapping={"columns": {"story_points": "Custom field (Effort)"}})
    )

    assert record["X-1"].story_points == 8


def test_bad_rows_are_reported_with_file_row_column_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.csv",
        "Issue key,Summary,Created,Custom field (Story Points)\n"
        "BAD-1,Good row,3/Nov/20 12:17 PM,3\n"
        "BAD-2,Bad date,yesterday,\n"
        "BAD-3,Bad points,3/Nov/20 12:17 PM,three\n"
        ",No key,,\n"
        "BAD-5,,,\n",
    )

    records = list(jira_csv.read([path]))

    assert list(items(records)) == ["BAD-1", "BAD-5"]  # an empty summary only warns
    assert [(e.source, e.row, e.column, e.key) for e in errors(records)] == [
        ("bad.csv", 3, "Created", "BAD-2"),
        ("bad.csv", 4, "Custom field (Story Points)", "BAD-3"),
        ("bad.csv", 5, "Issue key", ""),
        ("bad.csv", 6, "Summary", "BAD-5"),
    ]
    assert isinstance(errors(records)[-1], RowWarning)
    assert "'yesterday' is not a date" in errors(records)[0].reason


def test_a_file_without_the_key_column_is_reported_on_row_one(tmp_path: Path) -> None:
    path = write(tmp_path, "no-key.csv", "Summary,Status\nSomething,Done\n")

    (problem,) = list(jira_csv.read([path]))

    assert isinstance(problem, RowError)
    assert (problem.source, problem.row, problem.column) == ("no-key.csv", 1, "Issue key")


def test_a_file_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("Issue key,Summary\nA-1,Café\n".encode("latin-1"))

    records = list(jira_csv.read([path]))

    assert [(e.source, e.reason) for e in errors(records)] == [
        ("latin1.csv", "the file is not UTF-8 text; export or save it again as UTF-8 CSV")
    ]


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    (problem,) = list(jira_csv.read([tmp_path / "gone.csv"]))

    assert isinstance(problem, RowError) and problem.source == "gone.csv"


def test_a_folder_reads_its_csv_files_in_name_order() -> None:
    records = list(jira_csv.read([FIXTURES]))

    files = [record.origin_file for record in records if isinstance(record, ItemRecord)]
    assert files == sorted(files)
    assert len(items(records)) == 13  # 8 in the older files, PAY-100..104 in the 2024 ones


def test_reading_streams_one_file_after_the_other(tmp_path: Path) -> None:
    first = write(tmp_path, "1.csv", "Issue key,Summary\nA-1,First\n")
    second = tmp_path / "2.csv"  # does not exist yet

    reader = jira_csv.read([first, second])
    assert next(reader).key == "A-1"  # yielded before the second file is opened
    second.write_text("Issue key,Summary\nB-1,Second\n", encoding="utf-8")

    assert [record.key for record in reader] == ["B-1"]


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)),
    st.booleans(),
)
def test_any_input_gives_records_or_row_errors_never_an_exception(
    content: bytes, with_header: bool
) -> None:
    header = b"Issue key,Summary,Created,Sprint,Sprint,Parent\n" if with_header else b""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.csv"
        path.write_bytes(header + content)

        for record in jira_csv.read([path]):
            assert isinstance(record, ItemRecord | SprintRecord | RowError)


def test_a_description_over_128_kib_imports_with_its_row(tmp_path: Path) -> None:
    big = "pasted log line\n" * 13_000  # about 200 KiB, over the csv module's default
    path = write(
        tmp_path,
        "huge.csv",
        f'Issue key,Summary,Description\nA-1,Fine,\nA-2,Logs,"{big}"\nA-3,Ok,\n',
    )

    records = list(jira_csv.read([path]))

    assert errors(records) == []
    assert list(items(records)) == ["A-1", "A-2", "A-3"]
    assert items(records)["A-2"].description == big.strip()
    assert csv.field_size_limit() == 131_072  # put back once the file is read


def test_an_empty_summary_is_a_warning_and_the_key_is_the_title(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "Issue key,Summary\nA-1,\nA-2,Named\n")

    records = list(jira_csv.read([path]))

    assert [(r.key, r.title) for r in records if isinstance(r, ItemRecord)] == [
        ("A-1", "A-1"),
        ("A-2", "Named"),
    ]
    [warning] = [r for r in records if isinstance(r, RowWarning)]
    assert (warning.row, warning.column, warning.key) == (2, "Summary", "A-1")
    assert "shown as the title" in warning.reason
