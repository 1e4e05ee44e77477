"""Bad Jira JSON is reported with file, position, field and key — never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from productops.backlog.importers import jira_json
from productops.backlog.records import ItemRecord
from productops.imports import RowError, RowWarning


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def issue(key: str | None = "SHOP-1", **fields) -> dict:
    body = {"fields": {"summary": "Something to do", **fields}}
    if key is not None:
        body["key"] = key
    return body


def errors_of(*paths: Path) -> list[RowError]:
    return [
        r
        for r in jira_json.read(list(paths))
        if isinstance(r, RowError) and not isinstance(r, RowWarning)
    ]


def test_broken_json_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "page-3.json", '{"issues": [\n  {"key": "A-1",,}\n]}')
    [error] = errors_of(path)
    assert error.source == "page-3.json"
    assert "broken JSON at line 2, column" in error.reason


def test_an_issue_without_a_key_is_placed_by_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, "page.json", {"issues": [issue("A-1"), issue(None)]})
    [error] = errors_of(path)
    assert (error.source, error.row, error.column) == ("page.json", 2, "key")
    assert error.reason == "issue has no key"


def test_an_issue_without_fields_names_its_key(tmp_path: Path) -> None:
    path = write(tmp_path, "page.json", {"issues": [{"key": "A-7"}]})
    [error] = errors_of(path)
    assert (error.row, error.column, error.key) == (1, "fields", "A-7")


def test_an_unparseable_date_names_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, "page.json", {"issues": [issue("A-1", created="3/Nov/20 12:17")]})
    [error] = errors_of(path)
    assert (error.row, error.column, error.key) == (1, "created", "A-1")
    assert "3/Nov/20 12:17" in error.reason


def test_an_unparseable_changelog_date_names_the_changelog(tmp_path: Path) -> None:
    body = issue("A-1")
    body["changelog"] = {"histories": [{"id": "1", "created": "yesterday", "items": []}]}
    [error] = errors_of(write(tmp_path, "page.json", {"issues": [body]}))
    assert (error.column, error.key) == ("changelog.created", "A-1")


def test_a_missing_summary_is_a_warning_and_a_bad_story_point_value_an_error(
    tmp_path: Path,
) -> None:
    page = {
        "names": {"customfield_1": "Story Points"},
        "issues": [
            {"key": "A-1", "fields": {"summary": ""}},
            issue("A-2", customfield_1="five"),
        ],
    }
    records = list(jira_json.read([write(tmp_path, "page.json", page)]))
    errors = [r for r in records if isinstance(r, RowError) and not isinstance(r, RowWarning)]
    assert [(e.row, e.column, e.key) for e in errors] == [(2, "customfield_1", "A-2")]
    [item] = [r for r in records if isinstance(r, ItemRecord)]
    assert (item.key, item.title) == ("A-1", "A-1")
    warned = [(w.row, w.column, w.key) for w in records if isinstance(w, RowWarning)]
    assert (1, "summary", "A-1") in warned


def test_a_broken_legacy_sprint_string_is_reported(tmp_path: Path) -> None:
    page = {
        "names": {"customfield_9": "Sprint"},
        "issues": [issue("A-1", customfield_9=["Sprint@x[name=no id]"])],
    }
    [error] = errors_of(write(tmp_path, "page.json", page))
    assert (error.column, error.key) == ("customfield_9", "A-1")


def test_a_file_that_is_not_a_jira_export_says_what_was_expected(tmp_path: Path) -> None:
    [error] = errors_of(write(tmp_path, "notes.json", {"hello": "world"}))
    assert error.source == "notes.json"
    assert "not a Jira export" in error.reason


def test_a_changelog_page_without_changelog_in_its_name_says_how_to_name_it(tmp_path: Path) -> None:
    [error] = errors_of(write(tmp_path, "SHOP-1.json", {"values": []}))
    assert "changelog" in error.reason


def test_a_changelog_whose_issue_is_missing_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "SHOP-9-changelog.json", {"values": []})
    [error] = errors_of(path)
    assert error.key == "SHOP-9"


def test_a_changelog_file_without_a_key_anywhere_is_reported(tmp_path: Path) -> None:
    [error] = errors_of(write(tmp_path, "changelog.json", {"values": []}))
    assert error.column == "key"


def test_good_issues_next_to_a_bad_one_still_come_through(tmp_path: Path) -> None:
    path = write(tmp_path, "page.json", {"issues": [issue("A-1"), issue(None), issue("A-3")]})
    records = list(jira_json.read([path]))
    assert [r.key for r in records if isinstance(r, ItemRecord)] == ["A-1", "A-3"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "key",
                        "fields",
                        "issues",
                        "values",
                        "summary",
                        "created",
                        "status",
                        "changelog",
                        "histories",
                        "items",
                        "names",
                        "customfield_1",
                        "parent",
                        "issuelinks",
                        "reporter",
                        "labels",
                        "id",
                    ]
                ),
                children,
                max_size=5,
            )
        ),
        max_leaves=30,
    )
)
def test_any_json_at_all_gives_records_or_errors_never_a_traceback(tmp_path: Path, data) -> None:
    path = write(tmp_path, "page.json", data)
    for record in jira_json.read([path]):
        assert record is not None


def test_fields_of_an_unexpected_shape_are_reported_not_raised(tmp_path: Path) -> None:
    page = {"issues": [issue("A-1", issuelinks=5), issue("A-2", issuelinks=["x"]), issue("A-3")]}
    records = list(jira_json.read([write(tmp_path, "page.json", page)]))
    errors = errors_of(write(tmp_path, "page.json", page))
    assert [(e.row, e.key) for e in errors] == [(1, "A-1"), (2, "A-2")]
    assert "unexpected shape" in errors[0].reason
    assert [r.key for r in records if isinstance(r, ItemRecord)] == ["A-3"]
