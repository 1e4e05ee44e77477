"""The verdict names what the numbers show, and says nothing where data is missing."""

from __future__ import annotations

from datetime import datetime, timedelta

from productops.backlog.analysis.health import analyze
from productops.backlog.analysis.schema import changes_frame, items_frame, sprints_frame
from productops.backlog.analysis.verdict import EMPTY

NOW = datetime(2026, 6, 30)
LONG_AGO = datetime(2025, 1, 1)


def open_items(sales: int, customer: int, problem: int, unknown: int = 0) -> list[dict]:
    rows = [{"origin": "sales", "created": LONG_AGO} for _ in range(sales)]
    rows += [{"origin": "customer", "created": LONG_AGO} for _ in range(customer)]
    rows += [{"origin": "unknown", "created": LONG_AGO} for _ in range(unknown)]
    for row in rows[:problem]:
        row["framing"] = "problem"
    return rows


def verdict(items, changes=(), sprints=()):
    return analyze(
        items_frame(items), changes_frame(list(changes)), sprints_frame(list(sprints)), as_of=NOW
    ).verdict


def test_a_sales_heavy_backlog_is_named_with_its_problem_share():
    sentences = verdict(open_items(sales=13, customer=7, problem=2))

    assert (
        "65% of open items come from sales, marketing or support; 10% state a customer problem "
        "(20 open items: a small sample)." in sentences
    )
    assert any(s.startswith("Most of the open backlog answers requests") for s in sentences)


def test_a_customer_led_backlog_gets_the_fact_but_not_the_warning():
    sentences = verdict(open_items(sales=3, customer=17, problem=12))

    assert (
        "15% of open items come from sales, marketing or support; 60% state a customer problem "
        "(20 open items: a small sample)." in sentences
    )
    assert not any("Most of the open backlog" in s for s in sentences)


def test_too_few_open_items_make_no_mix_sentence():
    assert verdict(open_items(sales=5, customer=4, problem=0)) == []


def test_a_mostly_unknown_origin_asks_for_corrections():
    sentences = verdict(open_items(sales=2, customer=4, problem=0, unknown=4))
    assert any("The origin of 40% of open items is unknown" in s for s in sentences)


def sprint_with_additions(sales: int, customer: int):
    start, end = datetime(2026, 5, 1), datetime(2026, 5, 14)
    sprint = {"source_id": "7", "name": "Sprint 7", "start": start, "completed": end}
    committed = [{"id": i, "created": LONG_AGO, "sprints": ["7"]} for i in range(1, 5)]
    added = [
        {"id": 10 + i, "created": LONG_AGO, "sprints": ["7"], "origin": origin}
        for i, origin in enumerate(["sales"] * sales + ["customer"] * customer)
    ]
    changes = [
        {
            "item_id": row["id"],
            "at": start + timedelta(days=2),
            "field": "sprint",
            "from_value": "",
            "to_value": "Sprint 7",
        }
        for row in added
    ]
    return committed + added, changes, [sprint]


def test_sprint_churn_and_the_sales_share_of_additions():
    sentences = verdict(*sprint_with_additions(sales=2, customer=3))

    # 4 committed, 5 added, none done: churn 125%, accuracy 0%
    assert (
        "Sprint plans do not hold: sprints completed 0% of their committed scope on average, "
        "and their scope churned by 125% (items added or removed after the start; 1 sprint "
        "measured: a small sample)."
    ) in sentences
    assert (
        "40% of mid-sprint additions came from sales (40% from sales, marketing or support; "
        "5 mid-sprint additions: a small sample)." in sentences
    )


def test_few_additions_do_not_make_an_origin_claim():
    sentences = verdict(*sprint_with_additions(sales=1, customer=1))
    assert not any("mid-sprint additions" in s for s in sentences)
    assert any("sprints completed" in s for s in sentences)


def shelving(item_id: int, at: datetime) -> list[dict]:
    return [
        {
            "item_id": item_id,
            "at": at - timedelta(days=4),
            "field": "status",
            "from_value": "To Do",
            "to_value": "In Progress",
        },
        {
            "item_id": item_id,
            "at": at,
            "field": "status",
            "from_value": "In Progress",
            "to_value": "To Do",
        },
    ]


def test_recent_shelvings_are_counted_and_old_ones_are_not():
    items = [{"id": i, "created": LONG_AGO} for i in range(1, 4)]
    changes = shelving(1, NOW - timedelta(days=10)) + shelving(2, NOW - timedelta(days=30))
    changes += shelving(3, NOW - timedelta(days=200))

    assert (
        "2 items were shelved after work had started in the last 3 months, "
        "after a median of 4 days in progress."
    ) in verdict(items, changes)


def test_status_history_without_shelving_says_so_and_no_history_says_nothing():
    items = [{"id": 1, "created": LONG_AGO}]
    done = [
        {
            "item_id": 1,
            "at": NOW - timedelta(days=5),
            "field": "status",
            "from_value": "In Progress",
            "to_value": "Done",
        }
    ]

    assert (
        "No started work was shelved in the last 3 months (1 status change in that time: a "
        "small sample)."
    ) in verdict(items, done)
    assert verdict(items) == []


def test_no_items_gives_a_report_that_says_so():
    health = analyze(items_frame([]), changes_frame([]), sprints_frame([]), as_of=NOW)
    assert health.verdict == [EMPTY]
    assert health.item_count == 0 and health.sprints.sprints.is_empty()


def test_release_churn_is_weighted_by_initial_scope():
    # 3.0 starts with 3 items and loses 1; 3.1 starts with 1 and gains 2: 3 changes / 4 initial
    items = [{"id": i, "created": LONG_AGO, "fix_versions": ["3.0"]} for i in (1, 2)]
    items += [{"id": 3, "created": LONG_AGO}]
    items += [{"id": i, "created": LONG_AGO, "fix_versions": ["3.1"]} for i in (4, 5, 6)]
    day = datetime(2026, 4, 1)
    changes = [
        {"item_id": i, "at": day, "field": "fix_version", "from_value": "", "to_value": "3.0"}
        for i in (1, 2, 3)
    ]
    changes.append(
        {
            "item_id": 3,
            "at": day + timedelta(days=5),
            "field": "fix_version",
            "from_value": "3.0",
            "to_value": "",
        }
    )
    changes += [
        {
            "item_id": i,
            "at": day + timedelta(days=d),
            "field": "fix_version",
            "from_value": "",
            "to_value": "3.1",
        }
        for i, d in ((4, 0), (5, 9), (6, 9))
    ]
    assert (
        "Releases changed by 75% of their initial scope on average (items added, removed or "
        "moved to another release; 2 releases: a small sample)."
    ) in verdict(items, changes)


def test_releases_filled_as_work_goes_are_described_as_such():
    # 4.0 is planned with 2 items, takes in 4 more later and drops one of them again
    day = datetime(2026, 4, 1)
    items = [{"id": i, "created": LONG_AGO, "fix_versions": ["4.0"]} for i in range(1, 6)]
    items += [{"id": 6, "created": LONG_AGO}]

    def joined(item: int, days: int) -> dict:
        at = day + timedelta(days=days)
        return {
            "item_id": item,
            "at": at,
            "field": "fix_version",
            "from_value": "",
            "to_value": "4.0",
        }

    changes = [joined(1, 0), joined(2, 0), *(joined(i, 10) for i in (3, 4, 5, 6))]
    changes.append(
        {
            "item_id": 6,
            "at": day + timedelta(days=12),
            "field": "fix_version",
            "from_value": "4.0",
            "to_value": "",
        }
    )
    sentences = verdict(items, changes)
    assert (
        "Releases are filled as work goes rather than planned ahead: on average a release "
        "started with 2.0 planned items and took in 4.0 more later (1 release: a small sample)."
    ) in sentences
    assert (
        "17% of the items given a release were removed from it or moved to another release."
        in sentences
    )
    assert not any(sentence.startswith("Releases changed by") for sentence in sentences)


def test_done_work_is_described_only_with_enough_of_it():
    def done(n: int) -> list[dict]:
        return [
            {
                "origin": "support",
                "kind": "quality",
                "status_category": "done",
                "resolution": "Fixed",
                "resolved": NOW - timedelta(days=3),
                "created": LONG_AGO,
            }
            for _ in range(n)
        ]

    assert any(
        "100% of the work done in the period was quality work" in s for s in verdict(done(10))
    )
    assert verdict(done(9)) == []
