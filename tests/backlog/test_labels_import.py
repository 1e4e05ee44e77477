"""`productops import-labels FILE.csv`: a coach's hand-labelled sample, brought in at once."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from productops.backlog.actions import do_reclassify, import_labels_file
from productops.backlog.importers.labels_csv import parse_labels_file
from productops.backlog.models import Correction, Item, SetBy

pytestmark = pytest.mark.django_db


@pytest.fixture
def backlog() -> list[Item]:
    items = [
        Item.objects.create(source="jira", key="SHOP-1", title="SSO for the ACME deal"),
        Item.objects.create(source="jira", key="SHOP-2", title="Refactor checkout"),
        Item.objects.create(source="github", key="acme/web#7", title="How do I export?"),
    ]
    do_reclassify()
    return items


def labels_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_labels", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


GOOD = (
    "source,key,dimension,label\n"
    "jira,SHOP-1,origin,customer\n"
    "jira,SHOP-2,kind,enhancement\n"
    "github,acme/web#7,framing,problem\n"
)


def test_each_row_becomes_a_correction_and_the_items_show_it(backlog, tmp_path) -> None:
    out, err = run(str(labels_file(tmp_path, GOOD)))
    assert out == "3 created, 0 updated, 0 unchanged.\n"
    assert err == ""
    shop1 = Item.objects.get(key="SHOP-1")
    assert (shop1.origin, shop1.origin_set_by) == ("customer", SetBy.CORRECTION)
    assert shop1.origin_reasons[0]["text"].startswith("corrected by a label import on ")
    assert Item.objects.get(key="SHOP-2").kind == "enhancement"
    assert Item.objects.get(key="acme/web#7").framing == "problem"


def test_importing_the_same_file_again_changes_nothing(backlog, tmp_path) -> None:
    path = str(labels_file(tmp_path, GOOD))
    run(path)
    out, _ = run(path)
    assert out == "0 created, 0 updated, 3 unchanged.\n"
    assert Correction.objects.count() == 3


def test_a_new_label_for_the_same_item_updates_the_correction(backlog, tmp_path) -> None:
    run(str(labels_file(tmp_path, GOOD)))
    changed = GOOD.replace("SHOP-1,origin,customer", "SHOP-1,origin,marketing")
    out, _ = run(str(labels_file(tmp_path, changed)))
    assert out == "0 created, 1 updated, 2 unchanged.\n"
    assert Item.objects.get(key="SHOP-1").origin == "marketing"


BAD = (
    "source,key,dimension,label\n"
    "jira,SHOP-1,origin,customer\n"
    "jira,SHOP-404,kind,quality\n"
    "jira,SHOP-2,mood,happy\n"
    "jira,SHOP-2,kind,sales\n"
    "gitlab,x#1,kind,quality\n"
    "jira,SHOP-1,origin,sales\n"
)


def test_every_bad_row_is_named_and_nothing_is_written(backlog, tmp_path) -> None:
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written: 5 problem"):
        call_command("import_labels", str(labels_file(tmp_path, BAD)), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        "labels.csv, row 3, column key, (SHOP-404): no jira item SHOP-404 in productops: import the tracker first",
        "labels.csv, row 4, column dimension, (SHOP-2): 'mood' is not a dimension: use origin, kind, framing",
        "labels.csv, row 5, column label, (SHOP-2): 'sales' is not a label for kind: use new_value, enhancement, quality, tech_debt, ktlo, support, unknown",
        "labels.csv, row 6, column source, (x#1): 'gitlab' is not a source: use csv, github, jira, linear",
        "labels.csv, row 7, column label, (SHOP-1): row 2 gives this item's origin another label",
    ]
    assert not Correction.objects.exists()
    assert Item.objects.get(key="SHOP-1").origin == "sales"


def test_skip_invalid_writes_the_good_rows(backlog, tmp_path) -> None:
    out, err = run(str(labels_file(tmp_path, BAD)), "--skip-invalid")
    assert out == "1 created, 0 updated, 0 unchanged, 5 row(s) skipped because of errors.\n"
    assert len(err.splitlines()) == 5
    assert Correction.objects.get().item.key == "SHOP-1"


def test_a_file_without_the_columns_is_refused(backlog, tmp_path) -> None:
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command(
            "import_labels",
            str(labels_file(tmp_path, "key,label\nSHOP-1,sales\n")),
            stderr=StringIO(),
        )
    report = import_labels_file(labels_file(tmp_path, "key,label\nSHOP-1,sales\n"))
    assert "missing column(s) source, dimension" in str(report.errors[0])


def test_a_missing_file_is_a_clear_error(tmp_path) -> None:
    report = import_labels_file(tmp_path / "nope.csv")
    assert not report.written
    assert "cannot read the file" in str(report.errors[0])


def test_a_file_that_is_not_utf8_says_so(tmp_path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("source,key,dimension,label\njira,CAFÉ-1,kind,quality\n".encode("latin-1"))
    report = import_labels_file(path)
    assert "not UTF-8" in str(report.errors[0])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_the_parser_never_crashes_on_any_text(text: str) -> None:
    result = parse_labels_file(StringIO("source,key,dimension,label\n" + text))
    for error in result.errors:
        assert error.row is None or error.row >= 1
