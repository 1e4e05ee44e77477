"""Sprints known only by name are reported as such, never as "no sprints"."""

from __future__ import annotations

from datetime import datetime

from productops.backlog.analysis.health import analyze
from productops.backlog.analysis.schema import changes_frame, items_frame, sprints_frame
from productops.backlog.analysis.sprint_coverage import coverage_sentences

NOW = datetime(2026, 6, 30)
CREATED = datetime(2020, 1, 1)


def health(items, changes=(), sprints=(), **period):
    return analyze(
        items_frame(items),
        changes_frame(list(changes)),
        sprints_frame(list(sprints)),
        as_of=NOW,
        **period,
    )


def test_a_csv_with_sprint_names_and_no_dates_names_them():
    names = [f"Sprint {n}" for n in range(1, 7)]
    items = [{"created": CREATED, "sprints": [name]} for name in names for _ in range(2)]

    result = health(items)
    coverage = result.sprint_coverage

    assert (coverage.seen, coverage.undated, coverage.dated, coverage.measured) == (6, 6, 0, 0)
    [sentence] = coverage_sentences(coverage)
    assert sentence.startswith(
        "6 sprints seen without dates (Sprint 1, Sprint 2, Sprint 3, Sprint 4, Sprint 5…): "
        "churn and planning accuracy need each sprint's start and end."
    )
    assert not any("No sprints" in s for s in coverage_sentences(coverage))


def test_sprint_rows_without_dates_count_as_known_by_name():
    sprints = [
        {"source_id": "7", "name": "Board sprint 7"},
        {
            "source_id": "8",
            "name": "Board sprint 8",
            "start": datetime(2026, 5, 1),
            "completed": datetime(2026, 5, 14),
        },
    ]
    items = [{"created": CREATED, "sprints": ["7"]}, {"created": CREATED, "sprints": ["8"]}]

    coverage = health(items, sprints=sprints).sprint_coverage

    assert (coverage.seen, coverage.undated, coverage.dated, coverage.measured) == (2, 1, 1, 1)
    assert coverage.undated_names == ["Board sprint 7"]
    sentences = coverage_sentences(coverage)
    assert sentences[0].startswith("1 sprint seen without dates (Board sprint 7)")
    # no sprint change in the changelog: churn cannot be seen, and the report says so
    assert any(s.startswith("The changelog has no sprint changes") for s in sentences)


def test_dated_sprints_outside_the_period_are_named_with_their_count():
    sprints = [
        {
            "source_id": "1",
            "name": "S1",
            "start": datetime(2020, 3, 1),
            "completed": datetime(2020, 3, 14),
        }
    ]
    items = [{"created": CREATED, "sprints": ["1"]}]

    coverage = health(items, sprints=sprints, start=datetime(2026, 1, 1)).sprint_coverage

    assert coverage.in_period == 0
    assert coverage_sentences(coverage) == [
        "None of the 1 sprint with dates started in this period: choose a period that covers them."
    ]


def test_a_running_sprint_is_said_to_be_running():
    sprints = [
        {
            "source_id": "9",
            "name": "S9",
            "start": datetime(2026, 6, 25),
            "planned_end": datetime(2026, 7, 9),
        }
    ]
    items = [{"created": CREATED, "sprints": ["9"]}]

    coverage = health(items, sprints=sprints).sprint_coverage

    assert coverage.running == 1 and coverage.measured == 0
    assert "1 sprint of this period is still running: measured once ended." in (
        coverage_sentences(coverage)
    )


def test_no_sprint_at_all_says_so():
    coverage = health([{"created": CREATED}]).sprint_coverage
    assert coverage.seen == 0
    assert coverage_sentences(coverage)[0].startswith("No sprints in the data")


def test_sprints_of_other_projects_are_not_counted():
    sprints = [{"source_id": "1", "name": "Other team's sprint"}]
    coverage = health([{"created": CREATED, "sprints": []}], sprints=sprints).sprint_coverage
    assert coverage.seen == 0
