"""The exports people really make, each recorded with its quirks, imported the way a
coach imports them: `productops import-tracker` on the file as Jira wrote it.

- Jira Cloud "Export → CSV (all fields)": repeated Labels, Sprint and Watchers columns,
  `Custom field (...)` names, Comment cells as "date;account id;body", a child whose
  parent (by numeric id) comes later in the file, dates like "12/Mar/24 3:04 PM".
- Jira Cloud "CSV (current fields)": the columns on screen only; no Status Category, so
  a status whose name says nothing is a warning that says what was assumed.
- `/rest/agile/1.0/board/{id}/issue`: `sprint` and `closedSprints` objects, `epic` as an
  object, custom fields that are objects, arrays, numbers and null side by side, and the
  `names` expand after the issues.
- Jira Server / Data Center `/rest/api/2/search?expand=changelog,names`: wiki-markup
  descriptions, sprints as greenhopper strings, people by `name` and `key` (no
  accountId), a history without an author (a deleted user).
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from productops.backlog.models import Change, Item, Sprint

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog"
CLOUD_ALL = FIXTURES / "jira_csv" / "jira-cloud-2024-all-fields.csv"
CLOUD_CURRENT = FIXTURES / "jira_csv" / "jira-cloud-2024-current-fields.csv"
AGILE = FIXTURES / "jira_json_exports" / "agile-board-12-issue.json"
SERVER = FIXTURES / "jira_json_exports" / "server-dc-search-v2-expand.json"

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_tracker", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_jira_cloud_csv_all_fields() -> None:
    out, err = run("--format", "jira-csv", str(CLOUD_ALL))

    assert "4 created, 0 updated, 0 unchanged" in out
    assert "jira-cloud-2024-all-fields.csv: 4 read, 4 written (4 created)" in out
    assert "warning" not in err
    story = Item.objects.get(key="PAY-101")
    assert story.created == datetime(2024, 3, 12, 15, 4, tzinfo=UTC)  # 12/Mar/24 3:04 PM
    assert story.labels == ["customer", "payments"]
    assert story.sprints == ["PAY Sprint 7", "PAY Sprint 8"]
    assert story.story_points == 5.0  # "Story point estimate", the team-managed name
    assert story.epic_key == "" and story.parent_key == "PAY-100"  # its id, met later
    assert story.description.startswith("As a returning customer")
    bug = Item.objects.get(key="PAY-102")
    assert (bug.status, bug.status_category) == ("Ready for QA", "in_progress")
    assert bug.labels == ["customer", "support", "escalated"]
    assert bug.story_points == 3.0
    assert Sprint.objects.filter(source="jira").count() == 2


def test_jira_cloud_csv_current_fields() -> None:
    out, err = run("--format", "jira-csv", str(CLOUD_CURRENT))

    assert "4 created" in out
    assert "jira-cloud-2024-current-fields.csv: 4 read, 4 written (4 created), 1 warning" in out
    assert "1 warning(s)" in err
    assert (
        "warning: jira-cloud-2024-current-fields.csv, row 3, key PAY-102, field Status: the "
        "file does not say which category the status 'Ready for QA' belongs to" in err
    )
    assert Item.objects.get(key="PAY-104").status_category == "todo"
    assert Item.objects.get(key="PAY-101").status_category == "done"  # "Done" says it
    assert Item.objects.get(key="PAY-101").sprints == ["PAY Sprint 8"]


def test_jira_agile_board_issues() -> None:
    out, err = run("--format", "jira-json", str(AGILE))

    assert "3 created, 0 updated, 0 unchanged; 0 new change(s), 2 sprint(s) seen." in out
    assert "agile-board-12-issue.json: 3 read, 3 written (3 created)" in out
    assert err == ""
    story = Item.objects.get(key="PAY-101")
    assert story.sprints == ["37", "38"]
    assert story.epic_key == "PAY-100"
    assert story.story_points == 5.0  # "Story point estimate", named after the issues
    bug = Item.objects.get(key="PAY-102")
    assert (bug.sprints, bug.epic_key, bug.story_points) == (["38"], "PAY-100", None)
    assert Item.objects.get(key="PAY-103").story_points == 2.0  # a plain integer
    closed = Sprint.objects.get(source="jira", source_id="37")
    assert (closed.name, closed.state) == ("PAY Sprint 7", "closed")
    assert closed.completed == datetime(2024, 3, 15, 16, 41, 12, 334000, tzinfo=UTC)


def test_jira_server_search_with_the_changelog() -> None:
    out, err = run("--format", "jira-json", str(SERVER))

    assert "2 created, 0 updated, 0 unchanged; 6 new change(s), 2 sprint(s) seen." in out
    assert "server-dc-search-v2-expand.json: 2 read, 2 written (2 created), 1 warning" in out
    assert (
        "warning: server-dc-search-v2-expand.json, position 1, key WH-7, field "
        "changelog.author: 1 changelog entry has no author" in err
    )
    bug = Item.objects.get(key="WH-7")
    assert bug.description.startswith("h2. What happens")  # wiki markup, kept as written
    assert (bug.sprints, bug.epic_key, bug.story_points) == (["21", "22"], "WH-1", 3.0)
    assert (bug.reporter, bug.reporter_account) == ("Priya PM", "JIRAUSER10101")
    assert bug.status_category == "done" and bug.resolution == "done"
    assert bug.links == [{"type": "blocks", "key": "WH-8"}]
    authors = dict(Change.objects.filter(item=bug).values_list("change_id", "author"))
    assert authors == {"51001": "Tariq Tech", "51002": "", "51003": "Tariq Tech"}
    bot = Change.objects.get(item__key="WH-8")
    assert (bot.author, bot.field, bot.to_value) == ("jira-bot", "priority", "Minor")
    assert Sprint.objects.get(source="jira", source_id="21").name == "WH Sprint 21"
