"""Teams on Azure DevOps, YouTrack and ClickUp import their CSV exports through the generic
importer, with the example mapping kept next to each recorded export."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from productops.backlog.importers import generic_csv
from productops.backlog.models import Item, Sprint
from productops.imports import RowError, RowWarning

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "backlog"
AZURE = FIXTURES / "azure_devops_csv"
YOUTRACK = FIXTURES / "youtrack_csv"
CLICKUP = FIXTURES / "clickup_csv"

pytestmark = pytest.mark.django_db


def run(folder: Path, export: str) -> str:
    out = StringIO()
    call_command(
        "import_tracker",
        "--format",
        "csv",
        "--mapping",
        str(folder / "mapping.yaml"),
        str(folder / export),
        stdout=out,
        stderr=StringIO(),
    )
    return out.getvalue()


def read(folder: Path, export: str) -> list:
    mapping = yaml.safe_load((folder / "mapping.yaml").read_text(encoding="utf-8"))
    return list(generic_csv.read([folder / export], mapping=mapping))


def warnings(records) -> list[tuple[int | None, str | None, str]]:
    return [(r.row, r.column, r.key) for r in records if isinstance(r, RowWarning)]


def errors(records) -> list[RowError]:
    return [r for r in records if isinstance(r, RowError) and not isinstance(r, RowWarning)]


def test_azure_devops_query_export() -> None:
    records = read(AZURE, "fabrikam-query-results.csv")
    assert errors(records) == []
    assert warnings(records) == [(6, "Title", "4715")]  # a bug saved without a title

    out = run(AZURE, "fabrikam-query-results.csv")

    assert "5 created, 0 updated, 0 unchanged" in out
    bug = Item.objects.get(source="csv", key="4711")
    assert (bug.type, bug.status, bug.status_category, bug.resolution) == (
        "bug",
        "Closed",
        "done",
        "done",
    )
    # "Sue Support <sue@fabrikam.example>": the name, and the email to match people by
    assert (bug.reporter, bug.reporter_email, bug.assignee) == (
        "Sue Support",
        "sue@fabrikam.example",
        "Paul Dev",
    )
    assert bug.created == datetime(2024, 3, 4, 9, 12, 5, tzinfo=UTC)
    assert bug.resolved == datetime(2024, 3, 6, 16, 40, tzinfo=UTC)
    assert bug.labels == ["customer", "payments"]  # "; " between tags
    assert (bug.components, bug.sprints) == (["Fabrikam\\Web\\Checkout"], ["Fabrikam\\Sprint 41"])
    story = Item.objects.get(key="4712")
    assert (story.type, story.status_category, story.labels) == ("feature", "in_progress", [])
    removed = Item.objects.get(key="4713")
    assert (removed.type, removed.status_category, removed.resolution) == (
        "feature",
        "done",
        "won't do",
    )
    build = Item.objects.get(key="4714")  # a service account: a name without an email
    assert (build.reporter, build.reporter_email) == (
        "Project Collection Build Service (Fabrikam)",
        "",
    )
    assert Item.objects.get(key="4715").title == "4715"
    assert set(Sprint.objects.values_list("source_id", flat=True)) == {
        "Fabrikam\\Sprint 41",
        "Fabrikam\\Sprint 42",
        "Fabrikam",
    }


def test_youtrack_export() -> None:
    records = read(YOUTRACK, "nova-issues.csv")
    assert errors(records) == []
    assert warnings(records) == [(5, "Reporter", "NOVA-104")]

    out = run(YOUTRACK, "nova-issues.csv")

    assert "5 created, 0 updated, 0 unchanged" in out
    fixed = Item.objects.get(source="csv", key="NOVA-101")
    assert (fixed.type, fixed.status_category, fixed.resolution) == ("bug", "done", "done")
    assert fixed.description.startswith("Steps:\n1. Log in")
    assert (fixed.components, fixed.fix_versions, fixed.labels) == (
        ["Accounts"],
        ["2024.2"],
        ["customer", "regression"],
    )
    assert (fixed.project, fixed.priority) == ("Nova", "Major")
    assert fixed.created == datetime(2024, 3, 4, 9, 12, tzinfo=UTC)
    # the state carries the resolution: Duplicate, Won't fix
    assert Item.objects.get(key="NOVA-103").resolution == "duplicate"
    assert Item.objects.get(key="NOVA-103").type == "bug"  # Exception
    wont = Item.objects.get(key="NOVA-104")
    assert (wont.status_category, wont.resolution, wont.reporter) == ("done", "won't do", "")
    assert Item.objects.get(key="NOVA-102").status_category == "in_progress"
    assert Item.objects.get(key="NOVA-105").status_category == "todo"  # Submitted


def test_clickup_export() -> None:
    records = read(CLICKUP, "product-space-tasks.csv")
    assert errors(records) == []

    out = run(CLICKUP, "product-space-tasks.csv")

    assert "3 created, 0 updated, 0 unchanged" in out
    bug = Item.objects.get(source="csv", key="86a1b2c3d")
    # milliseconds since 1970; lists in brackets; the type from the first label naming one
    assert bug.created == datetime(2024, 3, 4, 9, 12, 5, tzinfo=UTC)
    assert (bug.labels, bug.type, bug.original_type) == (["bug", "mobile"], "bug", "bug")
    assert (bug.status_category, bug.assignee, bug.project) == ("done", "Paul Dev", "Product")
    feature = Item.objects.get(key="86a1b2c3e")
    assert (feature.type, feature.status_category, feature.assignee) == (
        "feature",
        "in_progress",
        "Paul Dev",  # the first of "[Paul Dev, Priya PM]"
    )
    chore = Item.objects.get(key="86a1b2c3f")
    assert (chore.labels, chore.type, chore.parent_key, chore.assignee) == (
        [],
        "other",
        "86a1b2c3e",
        "",
    )
