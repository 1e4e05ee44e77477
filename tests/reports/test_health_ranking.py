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


def _about(severity: str, people: int, sentence: str, subject: str) -> HealthFinding:
    return HealthFinding("organization", severity, people, sentence, subject=subject)


def test_one_finding_per_subject_the_best_ranked_one():
    ranked = rank_findings(
        [
            _about("critical", 18, "Ed: too many reports", "person:1"),
            _about("critical", 18, "Ed: too many 1:1 hours", "person:1"),
            _about("warning", 8, "Wes: managed from sales", "person:2"),
        ]
    )
    assert [f.sentence for f in ranked] == [
        "Ed: too many reports. too many 1:1 hours",
        "Wes: managed from sales",
    ]


def test_a_merged_finding_tells_both_with_the_name_once_and_keeps_the_first_advice():
    span = HealthFinding(
        "organization", "critical", 40, "Freya Costa: Manages 40 people directly.",
        try_first="Split the team or add a lead.", subject="person:7",
    )  # fmt: skip
    load = HealthFinding(
        "coaching", "critical", 40, "Freya Costa: Weekly 1:1s take 20 hours a week.",
        try_first="Move some 1:1s to fortnightly.", subject="person:7",
    )  # fmt: skip
    (merged,) = rank_findings([span, load])
    assert merged.sentence == (
        "Freya Costa: Manages 40 people directly. Weekly 1:1s take 20 hours a week."
    )
    assert merged.try_first == "Split the team or add a lead."
    assert merged.area == "organization"


def test_findings_without_a_subject_are_never_merged():
    ranked = rank_findings([_f("warning", 0, "a"), _f("warning", 0, "b")])
    assert [f.sentence for f in ranked] == ["a", "b"]


def test_the_same_subject_in_two_areas_is_two_subjects_when_its_kind_differs():
    ranked = rank_findings(
        [
            _about("critical", 8, "Enterprise Deals: no designer", "team:3"),
            _about("critical", 8, "Enterprise Deals is sales-led", "area:Enterprise Deals"),
        ]
    )
    assert len(ranked) == 2


def test_a_merged_subject_frees_its_place_for_the_next_finding():
    managers = [
        _about("critical", 18 - n, f"manager {n}: {what}", f"person:{n}")
        for n in range(3)
        for what in ("span", "1:1 hours")
    ]
    trio = [_about("warning", 9, f"team {n} trio", f"team:{n}") for n in range(3)]
    pm = _about("warning", 8, "the PM managed from sales", "person:99")
    ranked = rank_findings([*managers, *trio, pm])
    assert len(ranked) == 7
    assert ranked[-1].sentence == "the PM managed from sales"
    assert [f.sentence for f in ranked[:3]] == [
        "manager 0: span. 1:1 hours",
        "manager 1: span. 1:1 hours",
        "manager 2: span. 1:1 hours",
    ]
