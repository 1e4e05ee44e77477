"""The executive summary's ranking, on hand-built findings (no database)."""

from productops.reports.health import HealthFinding, rank_findings


def _f(severity: str, people: int, sentence: str) -> HealthFinding:
    return HealthFinding("organization", severity, people, sentence)


def test_severity_outranks_people_touched():
    ranked = rank_findings([_f("warning", 40, "big warning"), _f("critical", 1, "small critical")])
    assert [f.sentence for f in ranked] == ["small critical", "big warning"]


def test_people_touched_breaks_ties_within_a_severity():
    ranked = rank_findings([_f("warning", 3, "three"), _f("warning", 12, "twelve")])
    assert [f.sentence for f in ranked] == ["twelve", "three"]


def test_at_most_seven_and_stable_order_on_full_ties():
    findings = [_f("info", 1, str(i)) for i in range(10)]
    ranked = rank_findings(findings)
    assert [f.sentence for f in ranked] == [str(i) for i in range(7)]


def test_unknown_severity_ranks_below_info():
    ranked = rank_findings([_f("odd", 100, "odd"), _f("info", 1, "info")])
    assert [f.sentence for f in ranked] == ["info", "odd"]


def test_empty_input_gives_empty_summary():
    assert rank_findings([]) == []
