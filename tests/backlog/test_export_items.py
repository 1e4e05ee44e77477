"""`productops export-items`: every item, its labels, the reasons and who set them."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from productops.backlog.actions import do_correct, do_reclassify
from productops.backlog.item_export import write_items
from productops.backlog.models import Item
from tests.cast import build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def backlog() -> None:
    cast = build_cast()
    Item.objects.create(
        source="jira", key="SHOP-1", title="SSO for the ACME deal", reporter_person=cast.otto
    )
    refactor = Item.objects.create(source="jira", key="SHOP-2", title="Refactor checkout")
    do_reclassify()
    do_correct(cast.hana_user, refactor, "kind", "ktlo")


def export(*args: str) -> str:
    out = StringIO()
    call_command("export_items", *args, stdout=out)
    return out.getvalue()


def test_csv_has_each_label_its_reasons_and_who_set_it(backlog) -> None:
    rows = list(csv.DictReader(StringIO(export())))
    assert [r["key"] for r in rows] == ["SHOP-1", "SHOP-2"]
    deal, refactor = rows
    assert deal["origin"] == "sales"
    assert deal["origin_set_by"] == "rules"
    assert "reporter Otto Outsider is in sales (sales, 3)" in deal["origin_reasons"]
    assert "text mentions 'for the ACME deal' (sales, 2)" in deal["origin_reasons"]
    assert (refactor["kind"], refactor["kind_set_by"]) == ("ktlo", "correction")
    assert refactor["kind_reasons"].startswith("corrected by hana on ")
    assert (refactor["framing"], refactor["framing_set_by"]) == ("solution", "rules")
    assert "text prescribes an output: 'Refactor'" in refactor["framing_reasons"]


def test_json_keeps_reasons_as_lists(backlog) -> None:
    items = json.loads(export("--format", "json"))
    assert len(items) == 2
    assert items[0]["origin_reasons"][0] == {
        "label": "sales",
        "weight": 3.0,
        "text": "reporter Otto Outsider is in sales",
    }
    assert items[1]["kind_set_by"] == "correction"


def test_an_empty_backlog_exports_a_header_or_an_empty_list() -> None:
    assert export().startswith("source,key,title")
    assert json.loads(export("--format", "json")) == []


def test_output_goes_to_a_file(backlog, tmp_path) -> None:
    target = tmp_path / "items.json"
    err = StringIO()
    call_command("export_items", "--format", "json", "--output", str(target), stderr=err)
    assert len(json.loads(target.read_text())) == 2
    assert err.getvalue() == f"2 item(s) written to {target}.\n"


def test_the_export_streams_in_few_queries() -> None:
    Item.objects.bulk_create(Item(source="jira", key=f"K-{n}", title="x") for n in range(500))
    with CaptureQueriesContext(connection) as queries:
        assert write_items(StringIO(), "csv") == 500
    assert len(queries) <= 3


def test_json_on_standard_output_is_one_item_per_line(backlog) -> None:
    lines = export("--format", "json").splitlines()
    assert lines[0] == "[" and lines[-1] == "]"
    assert len(lines) == 4
