"""A team exports its issues with the `gh` command line, the two ways people really do it.

`gh issue list --json ...` writes one compact array with camelCase fields and OPEN/CLOSED
states; `gh api --paginate repos/o/r/issues` writes the REST pages' arrays back to back
(`[...][...]`), pull requests included. Both import through the command as they come.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from productops.backlog.importers import github_json
from productops.backlog.models import Item
from productops.backlog.records import ItemRecord
from productops.imports import RowError, RowWarning

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog" / "github_json"
GH_ISSUE_LIST = FIXTURES / "gh-issue-list-acme-mobile.json"
GH_API_PAGINATE = FIXTURES / "gh-api-paginate-acme-api-issues.json"


def items(records) -> dict[str, ItemRecord]:
    return {record.key: record for record in records if isinstance(record, ItemRecord)}


def warnings(records) -> list[RowWarning]:
    return [record for record in records if isinstance(record, RowWarning)]


def errors(records) -> list[RowError]:
    return [r for r in records if isinstance(r, RowError) and not isinstance(r, RowWarning)]


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_tracker", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- gh issue list --json ----------------------------------------------------------------


def test_gh_issue_list_reads_camel_case_fields_and_upper_case_states() -> None:
    records = list(github_json.read([GH_ISSUE_LIST]))
    found = items(records)

    assert errors(records) == []
    assert sorted(found) == ["acme/mobile#53", "acme/mobile#54", "acme/mobile#57", "acme/mobile#58"]
    bug = found["acme/mobile#57"]
    assert (bug.type, bug.status, bug.status_category, bug.resolution) == (
        "bug",
        "closed",
        "done",
        "done",
    )
    assert bug.created == datetime(2024, 3, 8, 10, 15, 30, tzinfo=UTC)
    assert bug.resolved == datetime(2024, 3, 9, 17, 45, tzinfo=UTC)
    assert (bug.reporter, bug.assignee) == ("sue-support", "paul-dev")
    assert bug.labels == ["bug", "payments"]
    assert bug.fix_versions == ["2.8.0"]  # the milestone
    assert bug.project == "acme/mobile"  # from the issue's url
    assert found["acme/mobile#58"].reporter == "app/dependabot"  # a bot is still an author


def test_gh_issue_list_quirks_are_warnings_and_the_issues_are_kept() -> None:
    records = list(github_json.read([GH_ISSUE_LIST]))
    found = items(records)

    blank = found["acme/mobile#53"]  # a title of one space
    assert blank.title == "acme/mobile#53"
    assert (blank.status_category, blank.assignee) == ("in_progress", "priya-pm")
    assert found["acme/mobile#54"].reporter == ""  # the ghost of a deleted account
    assert [(w.row, w.column, w.key) for w in warnings(records)] == [
        (3, "author", "acme/mobile#54"),
        (4, "title", "acme/mobile#53"),
    ]
    assert "ghost" in warnings(records)[0].reason
    assert "shown as acme/mobile#53" in warnings(records)[1].reason


@pytest.mark.django_db
def test_gh_issue_list_imports_through_the_command() -> None:
    out, _ = run("--format", "github-json", str(GH_ISSUE_LIST))

    assert "4 created, 0 updated, 0 unchanged" in out
    assert Item.objects.filter(source="github").count() == 4
    bug = Item.objects.get(source="github", key="acme/mobile#57")
    assert (bug.status_category, bug.resolution, bug.fix_versions) == ("done", "done", ["2.8.0"])
    assert Item.objects.get(key="acme/mobile#53").title == "acme/mobile#53"
    assert Item.objects.get(key="acme/mobile#54").reporter == ""


# --- gh api --paginate -------------------------------------------------------------------


def test_gh_api_paginate_pages_are_read_back_to_back_and_pull_requests_counted() -> None:
    assert GH_API_PAGINATE.read_text(encoding="utf-8").count("][") == 2  # three pages

    records = list(github_json.read([GH_API_PAGINATE]))
    found = items(records)

    assert errors(records) == []
    assert sorted(found) == [
        "acme/api#35",
        "acme/api#37",
        "acme/api#38",
        "acme/api#39",
        "acme/api#41",
    ]
    # positions run across the pages: #38 is the fourth entry of the file
    assert found["acme/api#38"].origin_position == 4
    assert found["acme/api#38"].reporter == ""  # GitHub's "ghost" user
    assert [(w.row, w.column, w.key) for w in warnings(records)] == [
        (4, "user", "acme/api#38"),
        (None, None, ""),
    ]
    assert "skipped 2 pull request(s)" in warnings(records)[1].reason
    assert (found["acme/api#35"].resolution, found["acme/api#37"].resolution) == (
        "won't do",
        "duplicate",
    )
    assert found["acme/api#39"].fix_versions == ["v3.1"]
    assert found["acme/api#41"].fix_versions == []  # milestone null


def test_gh_api_paginate_with_slurp_is_one_array_of_pages(tmp_path: Path) -> None:
    text = GH_API_PAGINATE.read_text(encoding="utf-8")
    slurped = tmp_path / "acme-api-slurp.json"
    slurped.write_text("[" + text.replace("][", "],[") + "]\n", encoding="utf-8")

    assert sorted(items(github_json.read([slurped]))) == sorted(
        items(github_json.read([GH_API_PAGINATE]))
    )


@pytest.mark.django_db
def test_gh_api_paginate_imports_through_the_command() -> None:
    out, _ = run("--format", "github-json", str(GH_API_PAGINATE))

    assert "5 created, 0 updated, 0 unchanged" in out
    assert not Item.objects.filter(key__in=["acme/api#36", "acme/api#40"]).exists()  # PRs
    declined = Item.objects.get(source="github", key="acme/api#35")
    assert (declined.type, declined.status_category, declined.resolution) == (
        "feature",
        "done",
        "won't do",
    )
    out, _ = run("--format", "github-json", str(GH_API_PAGINATE))
    assert "0 created, 0 updated, 5 unchanged" in out


# --- what real records lack --------------------------------------------------------------


def test_missing_pieces_are_warnings_and_only_a_missing_number_is_an_error(
    tmp_path: Path,
) -> None:
    path = tmp_path / "o-r-issues.json"
    issues = [
        {"number": 1, "title": None, "user": None, "labels": ["bug", {"name": "ui"}]},
        {"number": 2, "title": "Labels left out", "user": {"login": "sue"}, "milestone": None},
        {
            "number": 3,
            "title": "Go zero time",
            "author": {"login": "sue"},
            "closedAt": "0001-01-01T00:00:00Z",
        },
        {"title": "No number"},
    ]
    path.write_text(json.dumps(issues), encoding="utf-8")

    records = list(github_json.read([path], mapping={"repo": "o/r"}))
    found = items(records)

    assert sorted(found) == ["o/r#1", "o/r#2", "o/r#3"]
    assert (found["o/r#1"].title, found["o/r#1"].labels, found["o/r#1"].type) == (
        "o/r#1",
        ["bug", "ui"],
        "bug",
    )
    assert found["o/r#2"].labels == []
    assert found["o/r#3"].resolved is None
    assert [(w.row, w.column) for w in warnings(records)] == [(1, "title"), (1, "user")]
    assert [(e.row, e.column) for e in errors(records)] == [(4, "number")]
