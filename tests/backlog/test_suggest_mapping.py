"""A coach has a CSV export from a tracker productops has no reader for, and no mapping.

`--suggest-mapping` guesses one from the header (and a few rows), prints it as YAML to
check, and writes nothing; passed back with `--mapping`, the printed mapping imports the
file. The guessing itself is pure and is tested on each recorded header first.
"""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from productops.backlog.importers import generic_csv
from productops.backlog.importers.suggest_mapping import suggest, suggest_for_files
from productops.backlog.models import Item, TrackerImport
from productops.backlog.records import ItemRecord
from productops.imports import RowError, RowWarning

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog"
AZURE = FIXTURES / "azure_devops_csv" / "fabrikam-query-results.csv"
YOUTRACK = FIXTURES / "youtrack_csv" / "nova-issues.csv"
CLICKUP = FIXTURES / "clickup_csv" / "product-space-tasks.csv"
JIRA = FIXTURES / "jira_csv" / "jira-cloud-all-fields.csv"
LINEAR = FIXTURES / "linear_csv" / "linear-export-30-columns.csv"
HELPDESK = FIXTURES / "generic_csv" / "helpdesk-tickets.csv"
# file -> the rows it holds (each becomes an item through the suggested mapping)
RECORDED = {AZURE: 5, YOUTRACK: 5, CLICKUP: 3, JIRA: 5, LINEAR: 4, HELPDESK: 3}


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def items(records) -> dict[str, ItemRecord]:
    return {record.key: record for record in records if isinstance(record, ItemRecord)}


def errors(records) -> list[RowError]:
    return [r for r in records if isinstance(r, RowError) and not isinstance(r, RowWarning)]


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_tracker", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


# --- the guess, on each recorded header --------------------------------------------------


def test_azure_devops_header_and_values() -> None:
    header, *rows = rows_of(AZURE)
    suggestion = suggest(header, rows)
    mapping = suggestion.mapping

    assert suggestion.looks_like == "Azure DevOps"
    assert mapping["columns"] == {
        "key": "ID",
        "title": "Title",
        "type": "Work Item Type",
        "status": "State",
        "reporter": "Created By",
        "assignee": "Assigned To",
        "created": "Created Date",
        "resolved": "Closed Date",
        "labels": "Tags",
        "components": "Area Path",
        "sprints": "Iteration Path",
    }
    assert mapping["types"] == {"Product Backlog Item": "feature"}
    assert mapping["status_categories"] == {"Active": "in_progress", "Removed": "done"}
    assert mapping["resolutions"] == {"Closed": "done", "Removed": "won't do"}
    assert mapping["date_format"] == "%m/%d/%Y %I:%M:%S %p"
    assert mapping["list_separator"] == ";"
    assert suggestion.unplaced == ["Reason"]
    assert any("month first" in note for note in suggestion.notes)


def test_youtrack_header() -> None:
    header, *rows = rows_of(YOUTRACK)
    suggestion = suggest(header, rows)

    assert suggestion.looks_like == "YouTrack"
    columns = suggestion.mapping["columns"]
    assert (columns["key"], columns["title"], columns["reporter"]) == (
        "Issue Id",
        "Summary",
        "Reporter",
    )
    assert (columns["components"], columns["fix_versions"], columns["labels"]) == (
        "Subsystem",
        "Fix versions",
        "Tags",
    )
    assert suggestion.mapping["types"] == {"Exception": "bug", "Performance Problem": "bug"}
    assert suggestion.mapping["status_categories"] == {"Fixed": "done"}
    assert "date_format" not in suggestion.mapping  # 2024-03-04 09:12 is read as it is
    assert suggestion.unplaced == []


def test_clickup_header() -> None:
    header, *rows = rows_of(CLICKUP)
    suggestion = suggest(header, rows)
    columns = suggestion.mapping["columns"]

    assert suggestion.looks_like == "ClickUp"
    assert (columns["key"], columns["title"], columns["created"], columns["assignee"]) == (
        "Task ID",
        "Task Name",
        "Date Created",  # milliseconds: no date format needed
        "Assignees",
    )
    assert "date_format" not in suggestion.mapping
    assert "Date Created Text" in suggestion.unplaced and "Time Spent" in suggestion.unplaced


def test_jira_and_linear_headers_point_to_their_own_formats() -> None:
    jira = suggest(rows_of(JIRA)[0])
    linear = suggest(rows_of(LINEAR)[0])

    assert (jira.mapping["source"], linear.mapping["source"]) == ("jira", "linear")
    assert any("--format jira-csv" in note for note in jira.notes)
    assert any("--format linear-csv" in note for note in linear.notes)
    assert jira.mapping["columns"]["key"] == "Issue key"  # before "Issue id"
    assert jira.mapping["columns"]["story_points"] == "Custom field (Story Points)"
    assert "Issue id" in jira.unplaced
    assert linear.mapping["columns"]["sprints"] == "Cycle Name"
    assert linear.mapping["columns"]["fix_versions"] == "Project Milestone"


def test_a_home_made_header_and_what_it_cannot_place() -> None:
    header, *rows = rows_of(HELPDESK)
    suggestion = suggest(header, rows)

    assert suggestion.mapping["columns"]["key"] == "Ticket"
    assert suggestion.mapping["columns"]["resolved"] == "Closed on"
    assert suggestion.mapping["date_format"] == "%d.%m.%Y"
    assert suggestion.unplaced == ["Internal note"]
    nothing = suggest(["Colour", "Size"])
    assert nothing.mapping["columns"] == {}
    assert [note for note in nothing.notes if "No column looked like" in note] == [
        "No column looked like the key: add it under columns: as key: <its header>.",
        "No column looked like the title: add it under columns: as title: <its header>.",
    ]


def test_a_header_cannot_break_out_of_its_comment() -> None:
    text = suggest(["ID", "Title", "Evil\nsource: jira\n#"]).as_yaml("x.csv")

    assert yaml.safe_load(text)["source"] == "csv"
    assert "#   Evil source: jira #" in text


@pytest.mark.parametrize("path", list(RECORDED), ids=lambda path: path.parent.name)
def test_the_printed_mapping_read_back_imports_the_file(path: Path) -> None:
    mapping = yaml.safe_load(suggest_for_files([path]))

    records = list(generic_csv.read([path], mapping=mapping))

    assert errors(records) == []
    assert len(items(records)) == RECORDED[path]


# --- the command -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_a_mapping_writes_nothing_and_the_mapping_imports(
    tmp_path: Path,
) -> None:
    printed = run("--format", "csv", "--suggest-mapping", str(AZURE))

    assert printed.startswith("# A mapping guessed from the header of fabrikam-query-results.csv")
    assert "#   Reason" in printed
    assert not Item.objects.exists() and not TrackerImport.objects.exists()

    mapping = tmp_path / "azure.yaml"
    mapping.write_text(printed, encoding="utf-8")
    out = run("--format", "csv", "--mapping", str(mapping), str(AZURE))

    assert "5 created, 0 updated, 0 unchanged" in out
    removed = Item.objects.get(source="csv", key="4713")
    assert (removed.type, removed.status_category, removed.resolution) == (
        "feature",
        "done",
        "won't do",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", [YOUTRACK, CLICKUP, HELPDESK], ids=lambda p: p.parent.name)
def test_every_printed_mapping_imports_its_file_through_the_command(
    path: Path, tmp_path: Path
) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(run("--format", "csv", "--suggest-mapping", str(path)), encoding="utf-8")

    out = run("--format", "csv", "--mapping", str(mapping), str(path))

    assert f"{RECORDED[path]} created, 0 updated, 0 unchanged" in out
    assert Item.objects.count() == RECORDED[path]


@pytest.mark.django_db
def test_a_folder_suggests_from_its_first_csv_file() -> None:
    printed = run("--format", "csv", "--suggest-mapping", str(AZURE.parent))

    assert "fabrikam-query-results.csv" in printed


def test_suggest_mapping_is_for_the_csv_format_only() -> None:
    with pytest.raises(CommandError, match="works with --format csv"):
        run("--format", "linear-csv", "--suggest-mapping", str(LINEAR))


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Schlüssel,Titel\n".encode("latin-1"))

    with pytest.raises(
        CommandError, match="cannot suggest a mapping: empty.csv: the file is empty"
    ):
        run("--format", "csv", "--suggest-mapping", str(empty))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("--format", "csv", "--suggest-mapping", str(latin))
    folder = tmp_path / "no-csv-here"
    folder.mkdir()
    with pytest.raises(CommandError, match="no .csv file"):
        run("--format", "csv", "--suggest-mapping", str(folder))
