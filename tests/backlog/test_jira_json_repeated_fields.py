"""A move between fix versions is two entries for one field in one Jira history: keep both."""

from __future__ import annotations

import json
from pathlib import Path

from productops.backlog.importers import jira_json
from productops.backlog.records import ItemRecord


def test_two_entries_for_the_same_field_in_one_history_are_two_changes(tmp_path: Path) -> None:
    page = {
        "issues": [
            {
                "key": "SHOP-1",
                "fields": {
                    "summary": "Ship the new checkout",
                    "issuetype": {"name": "Story"},
                    "status": {"name": "To Do", "statusCategory": {"key": "new"}},
                    "created": "2026-01-05T10:00:00.000+0000",
                },
                "changelog": {
                    "histories": [
                        {
                            "id": "5001",
                            "created": "2026-02-01T09:00:00.000+0000",
                            "author": {"displayName": "Ana"},
                            "items": [
                                {"field": "Fix Version", "fromString": "1.4", "toString": None},
                                {"field": "Fix Version", "fromString": None, "toString": "1.5"},
                            ],
                        }
                    ]
                },
            }
        ],
        "isLast": True,
    }
    path = tmp_path / "page-1.json"
    path.write_text(json.dumps(page))
    [item] = [r for r in jira_json.read([path]) if isinstance(r, ItemRecord)]
    moves = [(c.change_id, c.from_value, c.to_value) for c in item.changes]
    assert moves == [("5001", "1.4", ""), ("5001#2", "", "1.5")]
