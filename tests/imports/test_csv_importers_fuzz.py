"""Every CSV importer answers random and oversized input with errors, never an exception.

The csv module refuses a cell over `csv.field_size_limit()` (128 KiB); the shared row
reader (`productops.imports.csv_rows`) turns that into an error on the cell's row and
column (finding L2: `import-labels` printed a traceback for a 200,000-character label).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from productops.backlog.importers import labels_csv
from productops.competencies.importers import career_path_csv, ratings_csv
from productops.competencies.importers.ratings_csv import RatingsContext
from productops.discovery.importers import touchpoints_csv
from productops.imports import ParseResult
from productops.imports.csv_rows import CsvRows
from productops.org.importers import people_csv
from tests.cast import build_cast

pytestmark = pytest.mark.django_db

LIMIT = csv.field_size_limit()
RATINGS = RatingsContext(
    version_label="Test PM model v1",
    competency_keys=("discovery", "delivery"),
    steps=(1, 2, 3, 4, 5),
    emails=frozenset({"priya@example.com", "paul@example.com"}),
)

Parse = Callable[[str], ParseResult]


def parsers() -> dict[str, tuple[tuple[str, ...], Parse]]:
    """Each CSV importer: its columns, and its parse of a text."""
    touchpoints = touchpoints_csv.touchpoints_context()
    return {
        "people": (
            people_csv.COLUMNS,
            lambda text: people_csv.parse_people_text(text, existing={}),
        ),
        "touchpoints": (
            touchpoints_csv.COLUMNS,
            lambda text: touchpoints_csv.parse_touchpoints_text(text, context=touchpoints),
        ),
        "labels": (
            labels_csv.COLUMNS,
            lambda text: labels_csv.parse_labels_file(io.StringIO(text)),
        ),
        "ratings": (
            ratings_csv.COLUMNS,
            lambda text: ratings_csv.parse_ratings_text(text, context=RATINGS),
        ),
        "career-path": (career_path_csv.COLUMNS, career_path_csv.parse_career_path_text),
    }


IMPORTERS = ["people", "touchpoints", "labels", "ratings", "career-path"]

CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "priya@example.com", "2025-01-06", "interview", "3", "=1+1", '"', '""']),
    st.builds(lambda n, c: c * n, st.sampled_from([LIMIT + 1, 200_000]), st.sampled_from('x"é,\n')),
)


@st.composite
def spreadsheets(draw: st.DrawFn, columns: tuple[str, ...]) -> tuple[str, bool]:
    """A CSV text (header of known and unknown columns, random rows), and whether some
    cell is over the csv module's limit."""
    header = draw(st.lists(st.sampled_from([*columns, "other"]), min_size=1, max_size=9))
    rows = draw(st.lists(st.lists(CELLS, max_size=9), max_size=5))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([header, *rows])
    text = out.getvalue()
    if draw(st.booleans()):  # break the quoting somewhere
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + '"' + text[at:]
    huge = any(len(cell) > LIMIT for row in rows for cell in row)
    return text, huge


def assert_only_errors(result: ParseResult, huge: bool) -> None:
    for error in result.errors:
        said = str(error)
        assert error.reason
        assert "field larger than field limit" not in said
        assert "recursion" not in said
        assert len(said) < 1200  # echoed values are cut
    if huge:
        assert result.errors


@pytest.mark.parametrize("importer", IMPORTERS)
def test_random_and_oversized_spreadsheets_give_errors_never_an_exception(importer: str) -> None:
    build_cast()
    columns, parse = parsers()[importer]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(spreadsheets(columns))
    def check(case: tuple[str, bool]) -> None:
        text, huge = case
        assert_only_errors(parse(text), huge)

    check()


@pytest.mark.parametrize("importer", IMPORTERS)
def test_random_text_gives_errors_never_an_exception(importer: str) -> None:
    build_cast()
    _columns, parse = parsers()[importer]

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(max_size=400))
    def check(text: str) -> None:
        assert_only_errors(parse(text), huge=False)

    check()


@pytest.mark.parametrize("importer", IMPORTERS)
def test_an_overlong_cell_is_named_by_row_and_column(importer: str) -> None:
    build_cast()
    columns, parse = parsers()[importer]
    cells = ["x"] * len(columns)
    cells[1] = "y" * 200_000
    text = ",".join(columns) + "\n" + ",".join(cells) + "\n"

    result = parse(text)

    overlong = [e for e in result.errors if "longer than 131,072 characters" in e.reason]
    assert [(e.row, e.column) for e in overlong] == [(2, columns[1])]


def test_the_reader_goes_on_after_an_overlong_cell_even_one_spanning_lines() -> None:
    big = "x" * 200_000
    text = f'a,b,c\n1,2,3\n4,{big},6\n7,"{big}\n{big}",9\n10,11,12\n'
    problems: list[tuple] = []
    rows = CsvRows(text, error=lambda row, column, reason: problems.append((row, column)))
    assert [row for row, _cells in rows] == [1, 2, 5]
    assert problems == [(3, "b"), (4, "b")]
    assert not rows.broken


def test_import_labels_reports_a_200000_character_label_without_a_traceback(
    tmp_path: Path,
) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("source,key,dimension,label\njira,SHOP-1,kind," + "x" * 200_000 + "\n")
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_labels", str(labels), stderr=err)
    assert "row 2, column label: the cell is longer than 131,072 characters" in err.getvalue()
    assert "Traceback" not in err.getvalue()
    assert "Nothing was written" in str(refused.value)
