"""`productops import-ratings FILE.csv`: what a head of product sees in the terminal."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from productops.__main__ import main
from productops.competencies.models import AssessmentCycle, Rating
from tests.cast import build_cast
from tests.competencies.factories import make_model_version

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "competencies" / "ratings"


@pytest.fixture(autouse=True)
def organization() -> None:
    build_cast()
    make_model_version()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_ratings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_file_prints_the_summary() -> None:
    out, err = run(
        str(FIXTURES / "spreadsheet.csv"), "--cycle", "2024 review", "--model", "test-pm-model"
    )
    assert out == "10 created, 0 updated, 0 unchanged.\n"
    assert err == ""
    assert AssessmentCycle.objects.get().name == "2024 review"


def test_running_it_twice_reports_every_rating_unchanged() -> None:
    args = (str(FIXTURES / "spreadsheet.csv"), "--cycle", "2024", "--model", "test-pm-model")
    run(*args)
    out, _ = run(*args)
    assert out == "0 created, 0 updated, 10 unchanged.\n"


def test_a_bad_file_lists_each_problem_and_fails_without_writing() -> None:
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was written: 8 problem"):
        call_command(
            "import_ratings", str(FIXTURES / "bad_rows.csv"), "--model", "test-pm-model", stderr=err
        )
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 2, column subject_email: no one in productops has the email")
    assert len(lines) == 8
    assert not AssessmentCycle.objects.exists()


def test_skip_invalid_writes_the_good_rows() -> None:
    out, err = run(str(FIXTURES / "bad_rows.csv"), "--model", "test-pm-model", "--skip-invalid")
    assert out == "2 created, 0 updated, 0 unchanged, 8 row(s) skipped because of errors.\n"
    assert len(err.splitlines()) == 8
    assert Rating.objects.count() == 2


def test_without_a_cycle_or_model_it_says_what_to_give() -> None:
    with pytest.raises(CommandError):
        run(str(FIXTURES / "spreadsheet.csv"))


def test_the_hyphenated_name_works_from_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    main(["import-ratings", str(FIXTURES / "semicolon_excel.csv"), "--model", "test-pm-model"])
    assert "2 created" in capsys.readouterr().out
