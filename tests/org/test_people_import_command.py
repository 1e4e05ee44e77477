"""`productops import-people FILE.csv`: what a head of product sees in the terminal."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from productops.org.models import Person

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "people"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_people", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_prints_the_summary() -> None:
    out, err = run(str(FIXTURES / "org.csv"))
    assert out == "8 created, 0 updated, 0 unchanged.\n"
    assert err == ""
    assert Person.objects.count() == 8


def test_running_it_twice_reports_everyone_unchanged() -> None:
    run(str(FIXTURES / "org.csv"))
    out, _ = run(str(FIXTURES / "org.csv"))
    assert out == "0 created, 0 updated, 8 unchanged.\n"


def test_a_bad_file_lists_each_problem_and_fails_without_writing() -> None:
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written: 11 problem"):
        call_command("import_people", str(FIXTURES / "bad_rows.csv"), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[0].startswith("row 3, column discipline: unknown discipline 'Dezign'")
    assert "row 6, column email: duplicate email ann@acme.test: row 2 already has it" in lines
    assert Person.objects.count() == 0


def test_skip_invalid_writes_the_good_rows_and_lists_the_rest() -> None:
    out, err = run(str(FIXTURES / "bad_rows.csv"), "--skip-invalid")
    assert out == "1 created, 0 updated, 0 unchanged, 12 row(s) skipped because of errors.\n"
    assert "row 2, column manager_email: manager row 3 was skipped" in err.splitlines()
    assert list(Person.objects.values_list("email", flat=True)) == ["max@acme.test"]


def test_a_file_that_is_not_utf8_fails_with_the_reason() -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_people", str(FIXTURES / "latin1.csv"), stderr=err)
    assert "the file is not UTF-8 text: line 2" in err.getvalue()


def test_a_missing_file_fails_cleanly(tmp_path: Path) -> None:
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_people", str(tmp_path / "nope.csv"), stderr=err)
    assert "cannot read the file: No such file or directory" in err.getvalue()
