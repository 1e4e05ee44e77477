"""The synthetic Jira export looks like Jira's search pages and always comes out the same."""

from __future__ import annotations

import hashlib
import json
import tempfile
from datetime import datetime
from pathlib import Path

from django.test import TestCase

from productops.backlog.actions import import_tracker
from productops.backlog.models import Change, Item, Sprint, StatusCategory
from productops.demo.tracker_export import (
    FIELDS_FILE,
    SPRINT_FIELD,
    STORY_POINTS_FIELD,
    benchmark_spec,
    field_names,
    iter_issues,
    write_export,
    write_fields_file,
)

SMALL = benchmark_spec(issues=1200, changes=12000, seed=3, days=90)


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _pages(folder: Path) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(folder.glob("jira-search-*.json"))]


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path):
    first = write_export(SMALL, tmp_path / "a")
    again = write_export(SMALL, tmp_path / "b")
    other = write_export(
        benchmark_spec(issues=1200, changes=12000, seed=4, days=90), tmp_path / "c"
    )

    assert _fingerprint(tmp_path / "a") == _fingerprint(tmp_path / "b")
    assert _fingerprint(tmp_path / "a") != _fingerprint(tmp_path / "c")
    assert (first.issues, first.changes) == (again.issues, again.changes) == (1200, 12000)
    assert other.issues == 1200


def test_pages_follow_the_search_jql_cursor_shape(tmp_path):
    summary = write_export(SMALL, tmp_path)
    pages = _pages(tmp_path)

    assert summary.pages == len(pages) == 2
    assert [len(page["issues"]) for page in pages] == [1000, 200]
    assert pages[0]["isLast"] is False and pages[0]["nextPageToken"]
    assert pages[1]["isLast"] is True and "nextPageToken" not in pages[1]
    assert pages[0]["names"][SPRINT_FIELD] == "Sprint"
    assert pages[0]["names"][STORY_POINTS_FIELD] == "Story Points"
    keys = [issue["key"] for page in pages for issue in page["issues"]]
    assert len(set(keys)) == 1200


def test_counts_match_the_spec_and_the_changelogs(tmp_path):
    summary = write_export(SMALL, tmp_path)
    issues = [issue for page in _pages(tmp_path) for issue in page["issues"]]
    histories = [h for issue in issues for h in issue["changelog"]["histories"]]

    assert sum(len(h["items"]) for h in histories) == summary.changes == 12000
    assert len(histories) == summary.histories
    assert len({h["id"] for h in histories}) == len(histories)
    assert all(issue["changelog"]["total"] <= 100 for issue in issues)
    assert sum(summary.by_origin.values()) == 1200


def test_the_mix_is_varied_like_a_real_tracker():
    issues = list(iter_issues(SMALL))
    types = {issue["fields"]["issuetype"]["name"] for issue in issues}
    categories = {issue["fields"]["status"]["statusCategory"]["key"] for issue in issues}
    labels = {label for issue in issues for label in issue["fields"]["labels"]}
    fields_changed = {
        item["field"]
        for issue in issues
        for history in issue["changelog"]["histories"]
        for item in history["items"]
    }
    titles = " ".join(issue["fields"]["summary"] for issue in issues)
    remote = [link for issue in issues for link in issue["fields"]["remoteLinks"]]

    assert types == {"Story", "Bug", "Task", "Epic", "Incident", "Sub-task"}
    assert categories == {"new", "indeterminate", "done"}
    assert {"sales-request", "from-support", "customer-request", "tech-debt"} <= labels
    assert {"status", "Sprint", "Rank", "priority", "assignee", "Fix Version"} <= fields_changed
    assert "As a " in titles and " deal" in titles and "Customer escalation" in titles
    assert any("salesforce.com" in link["object"]["url"] for link in remote)
    assert any("zendesk.com" in link["object"]["url"] for link in remote)
    wont_do = [i for i in issues if (i["fields"]["resolution"] or {}).get("name") == "Won't Do"]
    assert wont_do


def test_sprints_are_two_weeks_of_about_ten_items_with_changes_mid_sprint():
    issues = list(iter_issues(SMALL))
    sprints: dict[int, dict] = {}
    members: dict[int, int] = {}
    for issue in issues:
        for sprint in issue["fields"][SPRINT_FIELD] or ():
            sprints[sprint["id"]] = sprint
            members[sprint["id"]] = members.get(sprint["id"], 0) + 1
    lengths = {
        (datetime.fromisoformat(s["endDate"]) - datetime.fromisoformat(s["startDate"])).days
        for s in sprints.values()
    }
    added_after_start = 0
    removed = 0
    for issue in issues:
        for history in issue["changelog"]["histories"]:
            for item in history["items"]:
                if item["field"] != "Sprint":
                    continue
                before = set((item["from"] or "").split(", ")) - {""}
                after = set((item["to"] or "").split(", ")) - {""}
                for sprint_id in after - before:
                    sprint = sprints.get(int(sprint_id))
                    if sprint and history["created"] > sprint["startDate"]:
                        added_after_start += 1
                removed += bool(before - after) and not (after - before)

    assert lengths == {11}  # Monday 9:00 to the second Friday 17:00
    assert 5 <= sum(members.values()) / len(members) <= 20
    assert {s["state"] for s in sprints.values()} >= {"closed", "active"}
    assert added_after_start > 0 and removed > 0


def test_the_fields_file_names_the_custom_fields(tmp_path):
    path = write_fields_file(tmp_path)

    entries = json.loads(path.read_text())
    assert path.name == FIELDS_FILE
    assert {e["name"]: e["id"] for e in entries if e["custom"]}["Sprint"] == SPRINT_FIELD
    assert field_names()[STORY_POINTS_FIELD] == "Story Points"


class GeneratedExportImportsTests(TestCase):
    def test_a_small_generated_export_imports_cleanly_and_reimports_as_unchanged(self):
        spec = benchmark_spec(issues=300, changes=2400, seed=5)
        with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as meta:
            summary = write_export(spec, Path(folder))
            fields = write_fields_file(Path(meta))
            first = import_tracker([Path(folder)], format="jira-json", fields=fields)
            again = import_tracker([Path(folder)], format="jira-json", fields=fields)

        assert first.errors == [] and first.created == 300
        assert Item.objects.count() == 300
        assert Change.objects.count() == summary.changes
        assert Sprint.objects.count() > 0
        assert Item.objects.filter(status_category=StatusCategory.DONE).exists()
        assert Item.objects.exclude(sprints=[]).exists()
        assert again.unchanged == 300 and again.changes_added == 0
