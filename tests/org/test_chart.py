from __future__ import annotations

from productops.org.chart import build_chart


def test_nests_reports_and_counts_direct_and_total():
    rows = [
        (1, "Ceo", "CEO", "leadership", None),
        (2, "Cpo", "CPO", "product", 1),
        (3, "Pm A", "PM", "product", 2),
        (4, "Pm B", "PM", "product", 2),
        (5, "Cto", "CTO", "engineering", 1),
    ]
    (root,) = build_chart(rows)
    assert root.name == "Ceo"
    assert (root.direct, root.total) == (2, 4)
    cpo = next(n for n in root.children if n.name == "Cpo")
    assert [c.name for c in cpo.children] == ["Pm A", "Pm B"]


def test_a_person_whose_manager_is_hidden_becomes_a_root():
    rows = [(3, "Pm A", "PM", "product", 2), (4, "Pm B", "PM", "product", 3)]
    (root,) = build_chart(rows)
    assert root.name == "Pm A" and root.children[0].name == "Pm B"


def test_a_reporting_cycle_neither_loops_nor_loses_people():
    rows = [(1, "A", "", "product", 2), (2, "B", "", "product", 1), (3, "C", "", "product", None)]
    trees = build_chart(rows)
    seen = []
    stack = list(trees)
    while stack:
        node = stack.pop()
        seen.append(node.id)
        stack.extend(node.children)
    assert sorted(seen) == [1, 2, 3]


def test_a_very_deep_chain_does_not_hit_the_recursion_limit():
    rows = [(i, f"P{i}", "", "engineering", i - 1 if i > 1 else None) for i in range(1, 5001)]
    (root,) = build_chart(rows)
    assert root.total == 4999
