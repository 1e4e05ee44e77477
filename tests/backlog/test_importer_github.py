"""A team on GitHub Issues brings API pages (pull requests mixed in) and the issues' events."""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from productops.backlog.importers import github_json
from productops.backlog.records import ChangeRecord, ItemRecord, SprintRecord
from productops.imports import RowError, RowWarning

FIXTURES = Path(__file__).parent.parent / "fixtures" / "backlog" / "github_json"
PAGE_1 = FIXTURES / "acme-web-issues-page-1.json"
PAGE_2 = FIXTURES / "acme-web-issues-page-2.json"


def items(records) -> dict[str, ItemRecord]:
    return {record.key: record for record in records if isinstance(record, ItemRecord)}


def errors(records) -> list[RowError]:
    return [
        record
        for record in records
        if isinstance(record, RowError) and not isinstance(record, RowWarning)
    ]


def warnings(records) -> list[RowWarning]:
    return [record for record in records if isinstance(record, RowWarning)]


def write_json(folder: Path, name: str, document) -> Path:
    path = folder / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


API_FILES = [
    PAGE_1,
    PAGE_2,
    FIXTURES / "acme-web-repo-events.json",
    FIXTURES / "issue-12-events.json",
]


def test_issues_are_read_and_pull_requests_skipped() -> None:
    records = list(github_json.read(API_FILES))

    assert errors(records) == []
    assert sorted(items(records)) == ["acme/web#12", "acme/web#14", "acme/web#15", "acme/web#16"]
    assert "acme/web#13" not in items(records)  # the pull request
    # the skipped pull request is counted, once per file
    assert [(w.source, w.row, w.column, w.key) for w in warnings(records)] == [
        ("acme-web-issues-page-1.json", None, None, ""),
    ]
    assert "skipped 1 pull request(s)" in warnings(records)[0].reason


def test_a_fixed_bug_reads_as_the_normalized_record() -> None:
    bug = items(github_json.read([PAGE_1]))["acme/web#12"]

    assert (bug.source, bug.type, bug.original_type) == ("github", "bug", "bug")
    assert (bug.status, bug.status_category, bug.resolution) == ("closed", "done", "done")
    assert bug.labels == ["bug", "customer-escalation"]
    assert bug.fix_versions == ["v2.4"]  # the milestone
    assert (bug.reporter, bug.reporter_account, bug.assignee) == (
        "sue-support",
        "sue-support",
        "paul-dev",
    )
    assert bug.created == datetime(2024, 2, 1, 9, 30, tzinfo=UTC)
    assert bug.resolved == datetime(2024, 2, 3, 16, 0, tzinfo=UTC)
    assert bug.project == "acme/web"
    assert bug.description.startswith("Reported by three customers")
    assert (bug.origin_file, bug.origin_position) == ("acme-web-issues-page-1.json", 1)


def test_closed_as_not_planned_is_wont_do() -> None:
    declined = items(github_json.read([PAGE_1]))["acme/web#14"]

    assert (declined.status_category, declined.resolution) == ("done", "won't do")
    assert (declined.type, declined.description) == ("feature", "")  # enhancement; body null


def test_open_issues_and_missing_optional_fields() -> None:
    records = items(github_json.read([PAGE_2]))
    reopened, bare = records["acme/web#15"], records["acme/web#16"]

    assert (reopened.status_category, reopened.resolution) == ("in_progress", "")  # label
    assert (reopened.type, reopened.original_type) == ("feature", "Feature")  # issue type
    assert reopened.assignee == "paul-dev"  # from assignees when assignee is null
    assert reopened.resolved is None
    assert (bare.type, bare.status_category, bare.fix_versions) == ("other", "todo", [])
    assert bare.assignee == ""


def test_events_of_a_per_issue_file_become_changes() -> None:
    bug = items(github_json.read(API_FILES))["acme/web#12"]

    assert [(c.change_id, c.field, c.from_value, c.to_value) for c in bug.changes] == [
        ("9001", "labels", "", "bug"),
        ("9002", "fix_version", "", "v2.4"),
        ("9003", "assignee", "", "paul-dev"),
        ("9005", "status", "open", "closed"),  # "referenced" is not a change we track
    ]
    assert bug.changes[0] == ChangeRecord(
        change_id="9001",
        author="sue-support",
        at=datetime(2024, 2, 1, 9, 31, tzinfo=UTC),
        field="labels",
        from_value="",
        to_value="bug",
    )


def test_repository_events_find_their_issue_and_repository() -> None:
    records = items(github_json.read(API_FILES))

    assert [(c.field, c.from_value, c.to_value) for c in records["acme/web#14"].changes] == [
        ("fix_version", "", "v2.4"),
        ("fix_version", "v2.4", ""),
        ("status", "open", "closed"),
    ]
    # issue 15's "unlabeled" event belongs to other/repo#15 and is not mixed in
    assert [c.change_id for c in records["acme/web#15"].changes] == ["9104", "9105"]


def test_the_repository_comes_from_the_file_name_when_issues_do_not_say(tmp_path: Path) -> None:
    path = write_json(tmp_path, "shop-issues-page-3.json", [{"number": 3, "title": "Hi"}])

    assert list(items(github_json.read([path]))) == ["shop#3"]
    assert list(items(github_json.read([path], mapping={"repo": "acme/shop"}))) == ["acme/shop#3"]


def test_a_search_result_and_a_single_issue_are_read_too(tmp_path: Path) -> None:
    search = write_json(
        tmp_path,
        "search.json",
        {
            "total_count": 1,
            "items": [
                {"number": 1, "title": "A", "repository_url": "https://api.github.com/repos/o/r"}
            ],
        },
    )
    single = write_json(
        tmp_path,
        "single.json",
        {"number": 2, "title": "B", "repository_url": "https://api.github.com/repos/o/r"},
    )

    assert list(items(github_json.read([search, single]))) == ["o/r#1", "o/r#2"]


def test_bad_issues_are_reported_with_file_position_field_and_key(tmp_path: Path) -> None:
    path = write_json(
        tmp_path,
        "bad.json",
        [
            {
                "number": 1,
                "title": "Fine",
                "user": {"login": "sue"},
                "repository_url": "https://api.github.com/repos/o/r",
            },
            {
                "number": 2,
                "title": "",
                "user": {"login": "sue"},
                "repository_url": "https://api.github.com/repos/o/r",
            },
            {
                "number": 3,
                "title": "Bad date",
                "created_at": "last week",
                "repository_url": "https://api.github.com/repos/o/r",
            },
            {"title": "No number"},
            "not an issue",
        ],
    )

    records = list(github_json.read([path]))

    # an empty title is a warning: the issue is imported, titled by its key
    assert list(items(records)) == ["o/r#1", "o/r#2"]
    assert items(records)["o/r#2"].title == "o/r#2"
    assert [(w.row, w.column, w.key) for w in warnings(records)] == [(2, "title", "o/r#2")]
    assert [(e.source, e.row, e.column, e.key) for e in errors(records)] == [
        ("bad.json", 3, "created_at", "o/r#3"),
        ("bad.json", 4, "number", ""),
        ("bad.json", 5, None, ""),
    ]


def test_broken_json_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"number": 1,\n  "title": }\n]', encoding="utf-8")

    (problem,) = list(github_json.read([path]))

    assert (problem.source, problem.row) == ("broken.json", 3)
    assert "not valid JSON" in problem.reason


def test_an_events_file_that_names_no_issue_is_reported(tmp_path: Path) -> None:
    events = write_json(
        tmp_path,
        "all-events.json",
        [{"id": 1, "event": "closed", "created_at": "2024-01-01T00:00:00Z"}],
    )

    (problem,) = list(github_json.read([events]))

    assert (problem.source, problem.row, problem.column) == ("all-events.json", 1, "issue")
    assert "issue-<number>-events.json" in problem.reason


def test_an_event_with_a_bad_date_is_reported_with_its_issue(tmp_path: Path) -> None:
    events = write_json(
        tmp_path, "issue-7-events.json", [{"id": 1, "event": "closed", "created_at": "soon"}]
    )

    (problem,) = list(github_json.read([events]))

    assert (problem.source, problem.row, problem.column, problem.key) == (
        "issue-7-events.json",
        1,
        "created_at",
        "#7",
    )


def test_reading_streams_one_file_after_the_other(tmp_path: Path) -> None:
    first = write_json(tmp_path, "1.json", [{"number": 1, "title": "A"}])
    second = tmp_path / "2.json"  # does not exist yet

    reader = (
        record for record in github_json.read([first, second]) if isinstance(record, ItemRecord)
    )
    assert next(reader).key == "1#1"
    write_json(tmp_path, "2.json", [{"number": 2, "title": "B"}])

    assert [record.key for record in reader] == ["2#2"]


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "number",
                            "title",
                            "labels",
                            "state",
                            "created_at",
                            "milestone",
                            "user",
                            "name",
                            "pull_request",
                            "issue",
                            "event",
                            "id",
                            "items",
                        ]
                    ),
                    children,
                    max_size=5,
                )
            ),
            max_leaves=15,
        ).map(lambda document: json.dumps(document).encode()),
    ),
    st.sampled_from(["issues.json", "issue-3-events.json"]),
)
def test_any_input_gives_records_or_row_errors_never_an_exception(
    content: bytes, name: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)

        for record in github_json.read([path]):
            assert isinstance(record, ItemRecord | SprintRecord | RowError)


def test_the_documented_event_file_names_name_their_issue() -> None:
    names = [
        "issue-42-events.json",
        "issues_42_timeline.json",
        "42-events.json",
        "42.timeline.json",
        "acme-web2-issue-42-events.json",
    ]

    assert [github_json._number_in_file_name(name) for name in names] == [42] * 5
    assert github_json._number_in_file_name("acme-web-repo-events.json") is None
