"""`productops import-tracker` prints a summary, each problem by file/position/key/field."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from productops.backlog.models import Item

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog" / "jira_json"

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_tracker", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_folder_is_imported_and_summarized() -> None:
    out, _ = run("--format", "jira-json", str(FIXTURES))
    assert "8 created, 0 updated, 0 unchanged; 13 new change(s), 4 sprint(s) seen." in out
    out, _ = run("--format", "jira-json", str(FIXTURES))
    assert "0 created, 0 updated, 8 unchanged; 0 new change(s)" in out


def test_a_fields_file_finds_the_custom_fields_of_an_old_export() -> None:
    run(
        "--format",
        "jira-json",
        "--fields",
        str(FIXTURES / "fields.json"),
        str(FIXTURES / "old_search_v2.json"),
    )
    assert Item.objects.get(key="OPS-1").story_points == 3.0


def test_problems_are_listed_and_the_exit_is_non_zero_when_nothing_is_written(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.json"
    page.write_text(
        json.dumps({"issues": [{"key": "A-1", "fields": {"summary": "x", "updated": "never"}}]}),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command(
            "import_tracker", "--format", "jira-json", str(page), stdout=StringIO(), stderr=err
        )
    assert (
        "page.json, position 1, key A-1, field updated: cannot read the date 'never'"
        in err.getvalue()
    )
    assert not Item.objects.exists()


def test_skip_invalid_writes_the_good_items(tmp_path: Path) -> None:
    page = tmp_path / "page.json"
    page.write_text(
        json.dumps({"issues": [{"key": "A-1", "fields": {"summary": "fine"}}, {"fields": {}}]}),
        encoding="utf-8",
    )
    out, err = run("--format", "jira-json", "--skip-invalid", str(page))
    assert "1 created" in out and "1 row(s) skipped" in out
    assert "page.json, position 2, field key: issue has no key" in err


def test_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file or folder"):
        run("--format", "jira-json", str(tmp_path / "nope.json"))
