"""Importing touchpoints from CSV: row-numbered errors, all-or-nothing, --skip-invalid."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from productops.discovery.actions import import_touchpoints_file
from productops.discovery.importers.touchpoints_csv import (
    parse_touchpoints_text,
    touchpoints_context,
)
from productops.discovery.models import Touchpoint

pytestmark = pytest.mark.django_db

HEADER = "team,date,kind,participants,segment,customers,notes,insights\n"
GOOD = (
    "Checkout,2025-01-06,interview,priya@example.com; dana@example.com,SMB,2,Card fails,Retry\n"
    "checkout,2024-12-30,Usability test,TARIQ@example.com,,,,\n"
)


def write(tmp_path, text: str, name: str = "touchpoints.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(text: str) -> list[tuple[int | None, str | None, str]]:
    result = parse_touchpoints_text(text, context=touchpoints_context())
    return [(e.row, e.column, e.reason) for e in result.errors]


def test_a_good_file_is_written_with_participants(cast, tmp_path):
    report = import_touchpoints_file(write(tmp_path, HEADER + GOOD))
    assert report.written and report.created == 2 and not report.errors
    first = Touchpoint.objects.get(date=date(2025, 1, 6))
    assert first.team == cast.checkout and first.kind == "interview" and first.customers == 2
    assert set(first.participants.all()) == {cast.priya, cast.dana}
    assert (first.segment, first.notes, first.insights) == ("SMB", "Card fails", "Retry")
    second = Touchpoint.objects.get(date=date(2024, 12, 30))
    assert second.kind == "usability_test" and second.customers == 1
    assert list(second.participants.all()) == [cast.tariq]


def test_importing_the_same_file_again_changes_nothing(cast, tmp_path):
    path = write(tmp_path, HEADER + GOOD)
    import_touchpoints_file(path)
    again = import_touchpoints_file(path)
    assert again.written and again.created == 0 and again.unchanged == 2
    assert Touchpoint.objects.count() == 2


def test_every_bad_cell_names_its_row_column_and_reason(cast):
    future = (date.today() + timedelta(days=3)).isoformat()
    text = HEADER + (
        "Nowhere,2025-01-06,interview,,,,,\n"  # row 2
        "Checkout,06/01/2025,interview,,,,,\n"  # row 3
        "Checkout,2025-01-06,coffee chat,,,,,\n"  # row 4
        "Checkout,2025-01-06,interview,nobody@example.com,,,,\n"  # row 5
        "Checkout,2025-01-06,interview,paul@example.com,,,,\n"  # row 6: Paul is on Search
        "Checkout,2025-01-06,interview,,,0,,\n"  # row 7
        "Checkout,2025-01-06,interview,,,2.5,,\n"  # row 8
        f"Checkout,{future},interview,,,,,\n"  # row 9
        "Checkout,2025-02-30,interview,,,,,\n"  # row 10
    )
    found = errors_of(text)
    by_row = {row: (column, reason) for row, column, reason in found}
    assert by_row[2][0] == "team" and "no team is named 'Nowhere'" in by_row[2][1]
    assert by_row[3][0] == "date" and "YYYY-MM-DD" in by_row[3][1]
    assert by_row[4][0] == "kind" and "unknown kind 'coffee chat'" in by_row[4][1]
    assert by_row[5][0] == "participants" and "nobody@example.com" in by_row[5][1]
    assert by_row[6] == (
        "participants",
        "paul@example.com is not a member of Checkout; add them to the team or leave them out",
    )
    assert by_row[7][0] == "customers" and "positive whole number" in by_row[7][1]
    assert by_row[8][0] == "customers"
    assert by_row[9][0] == "date" and "future" in by_row[9][1]
    assert by_row[10][0] == "date"
    assert len(found) == 9


def test_one_bad_row_writes_nothing_by_default(cast, tmp_path):
    path = write(tmp_path, HEADER + GOOD + "Nowhere,2025-01-06,interview,,,,,\n")
    report = import_touchpoints_file(path)
    assert not report.written and Touchpoint.objects.count() == 0
    assert [str(e) for e in report.errors] == [
        "row 4, column team: no team is named 'Nowhere'; check the spelling on the Teams page"
    ]


def test_skip_invalid_writes_the_good_rows(cast, tmp_path):
    path = write(tmp_path, HEADER + GOOD + "Nowhere,2025-01-06,interview,,,,,\n")
    report = import_touchpoints_file(path, skip_invalid=True)
    assert report.written and report.created == 2 and report.skipped == 1
    assert Touchpoint.objects.count() == 2


def test_header_problems_reject_the_file(cast):
    assert errors_of("date,kind\n2025-01-06,interview\n")[0][:2] == (1, None)
    assert "missing required column(s): team" in errors_of("date,kind\n")[0][2]
    assert "empty" in errors_of("")[0][2]
    assert "no touchpoints" in errors_of(HEADER)[0][2]


def test_semicolon_files_from_excel_are_read(cast):
    text = "Team;Date;Kind;Participants\nCheckout;2025-01-06;interview;priya@example.com\n"
    result = parse_touchpoints_text(text, context=touchpoints_context())
    assert not result.errors and result.records[0].participant_ids == {cast.priya.pk}


def test_the_command_prints_a_summary(cast, tmp_path, capsys):
    call_command("import_touchpoints", str(write(tmp_path, HEADER + GOOD)))
    assert "2 created" in capsys.readouterr().out


def test_the_command_fails_when_nothing_was_written(cast, tmp_path, capsys):
    path = write(tmp_path, HEADER + "Nowhere,2025-01-06,interview,,,,,\n")
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_touchpoints", str(path))
    assert "row 2, column team" in capsys.readouterr().err
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_touchpoints", str(path), "--skip-invalid")
    assert "no row could be imported" in capsys.readouterr().err


def test_an_unreadable_file_is_a_sentence_not_a_traceback(cast, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xff\xfeteam")
    with pytest.raises(CommandError):
        call_command("import_touchpoints", str(path))
    with pytest.raises(CommandError):
        call_command("import_touchpoints", str(tmp_path / "missing.csv"))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_text_gives_records_or_row_errors_never_a_crash(cast, text):
    result = parse_touchpoints_text(text, context=touchpoints_context())
    for error in result.errors:
        assert error.reason
