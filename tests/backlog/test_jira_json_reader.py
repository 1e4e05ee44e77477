"""The Jira JSON importer reads recorded REST API responses into normalized records.

The fixtures are shaped like what Jira Cloud and Server return: a `search/jql` page with
a `nextPageToken` and the `names` expand, its last page, an old `/rest/api/2/search`
page whose custom fields are only named in a separate `/field` list, a single issue
whose changelog comes in two separate paginated files, and its remote links.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from productops.backlog.importers import jira_json
from productops.backlog.records import ItemRecord, LinkRecord, SprintRecord
from productops.imports import RowError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog" / "jira_json"


def read_all(*paths: Path, fields=None) -> tuple[dict[str, ItemRecord], list, list[RowError]]:
    items, sprints, errors = {}, [], []
    for record in jira_json.read(list(paths), fields=fields):
        if isinstance(record, ItemRecord):
            items[record.key] = record
        elif isinstance(record, SprintRecord):
            sprints.append(record)
        elif isinstance(record, RowError):
            errors.append(record)
    return items, sprints, errors


def test_the_whole_folder_reads_without_a_problem() -> None:
    items, sprints, errors = read_all(FIXTURES)
    assert errors == []
    assert sorted(items) == [
        "OPS-1",
        "OPS-2",
        "SHOP-1",
        "SHOP-2",
        "SHOP-3",
        "SHOP-4",
        "SHOP-5",
        "SHOP-7",
    ]
    # each sprint once, however many issues name it
    assert sorted(s.source_id for s in sprints) == ["1", "11", "12", "2"]


def test_a_search_jql_page_resolves_custom_fields_through_the_names_expand() -> None:
    items, sprints, _ = read_all(FIXTURES / "search_jql_page1.json")
    story = items["SHOP-2"]
    assert (story.type, story.original_type) == ("feature", "Story")
    assert (story.status, story.status_category) == ("In Review", "in_progress")
    assert story.story_points == 5.0  # "Story point estimate" in customfield_10016
    assert story.sprints == ["1", "2"]
    assert story.epic_key == "SHOP-1"  # from fields.parent, an epic
    assert story.parent_key == "SHOP-1"
    assert story.created == datetime(2024, 2, 1, 8, 30, tzinfo=timezone(timedelta(hours=1)))
    assert (story.reporter, story.reporter_email) == ("Priya PM", "PRIYA@example.com")
    assert story.reporter_account == "5b10a2844c20165700ede21h"
    assert story.assignee == "Tariq Tech"
    assert story.labels == ["customer", "payments"]
    assert story.components == ["Web"]
    assert story.fix_versions == ["2024.03"]
    assert story.priority == "High"
    assert story.project == "Checkout"
    assert story.description.startswith("As a returning customer I want my saved card")
    assert LinkRecord(type="blocks", key="SHOP-3") in story.links
    assert LinkRecord(type="relates to", key="SHOP-5") in story.links
    assert (story.origin_file, story.origin_position) == ("search_jql_page1.json", 2)
    sprint_one = next(s for s in sprints if s.source_id == "1")
    assert sprint_one.name == "SHOP Sprint 1"
    assert sprint_one.state == "closed"
    assert sprint_one.completed == datetime(2024, 2, 19, 10, 2, tzinfo=UTC)


def test_the_embedded_changelog_is_normalized() -> None:
    items, _, _ = read_all(FIXTURES / "search_jql_page1.json")
    changes = {(c.change_id, c.field): c for c in items["SHOP-2"].changes}
    assert set(changes) == {
        ("30001", "sprint"),
        ("30001", "status"),
        ("30002", "sprint"),
        ("30002", "rank"),
        ("30003", "status"),
        ("30003", "fix_version"),
    }
    # sprint changes keep sprint ids, like ItemRecord.sprints; others the shown values
    assert (changes[("30002", "sprint")].from_value, changes[("30002", "sprint")].to_value) == (
        "1",
        "1, 2",
    )
    assert changes[("30001", "status")].to_value == "In Progress"
    assert changes[("30003", "fix_version")].from_value == ""
    assert changes[("30001", "status")].author == "Priya PM"


def test_types_statuses_and_resolutions_are_normalized() -> None:
    items, _, _ = read_all(FIXTURES)
    assert items["SHOP-1"].type == "epic"
    assert (items["SHOP-3"].type, items["SHOP-3"].status_category) == ("bug", "done")
    assert items["SHOP-3"].resolution == "done"
    assert (items["SHOP-4"].type, items["SHOP-4"].original_type) == ("subtask", "Subtask")
    assert items["SHOP-4"].parent_key == "SHOP-2"
    assert items["SHOP-4"].epic_key == ""  # the parent is a story, not an epic
    assert items["SHOP-7"].type == "incident"
    assert items["SHOP-7"].resolution == "won't do"


def test_an_issue_with_only_the_required_fields_reads_with_empty_values() -> None:
    items, _, errors = read_all(FIXTURES / "search_jql_page2.json")
    bare = items["SHOP-5"]
    assert errors == []
    assert (bare.reporter, bare.priority, bare.labels, bare.sprints) == ("", "", [], [])
    assert bare.story_points is None and bare.updated is None and bare.changes == []
    assert bare.status_category == "todo"


def test_an_old_search_page_needs_the_field_list_to_find_its_custom_fields() -> None:
    page = FIXTURES / "old_search_v2.json"
    items, sprints, errors = read_all(page, fields=FIXTURES / "fields.json")
    assert errors == []
    ops = items["OPS-1"]
    assert ops.story_points == 3.0  # "Story Points" in customfield_10002, a string "3"
    assert ops.epic_key == "OPS-9"  # "Epic Link" in customfield_10008
    assert ops.sprints == ["11", "12"]
    assert ops.resolution == "done"  # Fixed
    assert ops.description.startswith("The certificates")
    legacy = {s.source_id: s for s in sprints}
    assert legacy["11"].name == "OPS Sprint 11, hardening"  # a comma inside the name
    assert legacy["11"].state == "closed"
    assert legacy["11"].start == datetime(2023, 11, 6, 8, 0, tzinfo=UTC)
    assert legacy["12"].completed is None  # <null>
    assert items["OPS-2"].created == datetime(2023, 12, 2, 3, 5, tzinfo=UTC)


def test_without_field_names_sprints_are_still_recognized_but_points_are_not() -> None:
    items, sprints, _ = read_all(FIXTURES / "old_search_v2.json")
    assert items["OPS-1"].sprints == ["11", "12"]  # legacy sprint strings look like sprints
    assert items["OPS-1"].story_points is None
    assert items["OPS-1"].epic_key == ""


def test_a_field_list_given_as_a_map_works_the_same() -> None:
    names = {"customfield_10002": "Story Points", "customfield_10007": "Sprint"}
    items, _, _ = read_all(FIXTURES / "old_search_v2.json", fields=names)
    assert items["OPS-1"].story_points == 3.0


def test_a_single_issue_collects_its_separate_changelog_pages_and_remote_links() -> None:
    items, _, errors = read_all(
        FIXTURES / "issue_SHOP-7.json",
        FIXTURES / "SHOP-7-changelog-page1.json",
        FIXTURES / "changelog_SHOP-7_page2.json",
        FIXTURES / "SHOP-7-remotelinks.json",
    )
    assert errors == []
    incident = items["SHOP-7"]
    assert [(c.change_id, c.field) for c in incident.changes] == [
        ("40001", "priority"),
        ("40002", "status"),
        ("40003", "status"),
        ("40003", "resolution"),
        ("40003", "labels"),
    ]
    assert incident.links == [
        LinkRecord(
            type="remote",
            url="https://acme.zendesk.com/agent/tickets/4711",
            title="Ticket #4711: cannot pay",
        )
    ]


def test_a_changelog_page_may_name_its_issue_in_an_issue_key_field(tmp_path: Path) -> None:
    (tmp_path / "issue.json").write_text(
        (FIXTURES / "issue_SHOP-7.json").read_text(), encoding="utf-8"
    )
    (tmp_path / "changelog-1.json").write_text(
        '{"issueKey": "SHOP-7", "values": [{"id": "9", "created": "2024-03-11T10:00:00.000+0000",'
        ' "items": [{"field": "assignee", "fromString": null, "toString": "Paul PM"}]}]}',
        encoding="utf-8",
    )
    items, _, errors = read_all(tmp_path)
    assert errors == []
    assert [(c.field, c.to_value) for c in items["SHOP-7"].changes] == [("assignee", "Paul PM")]


def test_a_remote_links_field_on_the_issue_is_read(tmp_path: Path) -> None:
    page = tmp_path / "page.json"
    page.write_text(
        '{"issues": [{"key": "X-1", "fields": {"summary": "Deal desk asks for SSO",'
        ' "remoteLinks": [{"object": {"url": "https://crm.example.com/deal/7", "title": "ACME"}}]}}]}',
        encoding="utf-8",
    )
    items, _, _ = read_all(page)
    assert items["X-1"].links == [
        LinkRecord(type="remote", url="https://crm.example.com/deal/7", title="ACME")
    ]
    assert items["X-1"].type == "other"
