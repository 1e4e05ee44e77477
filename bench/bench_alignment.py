"""How long strategy alignment takes over 100,000 backlog items.

    .venv/bin/python bench/bench_alignment.py [--items 100000] [--objectives 30] [--runs 3]

Builds a fresh SQLite database in a temporary directory: the items (a third in
progress, a third done in the quarter, a third to do), with labels and epics, and
objectives of the quarter mapped by label rules, epic rules and hand links. Then it times
`strategy.alignment.compute_alignment` and the alignment page for an admin. Prints one
JSON line: {"benchmark": "alignment", "items": ..., "seconds": ..., "page_seconds": ...,
"queries": ...}. `seconds` is the median computation time after one warm-up; the target
is under 2 seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def build(items: int, objectives: int, seed: int) -> None:
    from productops.backlog.models import Item
    from productops.strategy.models import AlignmentRule, Objective, ObjectiveLink

    rng = random.Random(seed)
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    epics = [f"EPIC-{n}" for n in range(500)]
    labels = [f"label-{n}" for n in range(200)]
    rows = []
    for n in range(items):
        category = ("in_progress", "done", "todo")[n % 3]
        resolved = None
        if category == "done":
            resolved = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(
                minutes=rng.randrange(60 * 24 * 90)
            )
        rows.append(
            Item(
                source="jira",
                key=f"B-{n}",
                title=f"Backlog item number {n} with a title of a usual length",
                status={"in_progress": "In Progress", "done": "Done", "todo": "To Do"}[category],
                status_category=category,
                resolution="Won't Do" if category == "done" and n % 17 == 0 else "Done",
                resolved=resolved,
                project=f"P{n % 7}",
                labels=rng.sample(labels, 2),
                epic_key=rng.choice(epics) if n % 2 else "",
            )
        )
    Item.objects.bulk_create(rows, batch_size=2000)
    ids = list(Item.objects.values_list("pk", flat=True)[:2000])
    for n in range(objectives):
        objective = Objective.objects.create(
            level="product", title=f"Objective {n}", period_start=start, period_end=end
        )
        AlignmentRule.objects.create(objective=objective, kind="label", value=labels[n])
        AlignmentRule.objects.create(objective=objective, kind="epic", value=epics[n])
        ObjectiveLink.objects.bulk_create(
            ObjectiveLink(objective=objective, item_id=pk) for pk in rng.sample(ids, 20)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--objectives", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="productops-bench-") as data_dir:
        os.environ["DJANGO_SETTINGS_MODULE"] = "productops.settings"
        os.environ["PRODUCTOPS_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, setup_test_environment

        from productops.accounts.actions import do_create_login
        from productops.accounts.models import Role
        from productops.strategy import alignment

        setup_test_environment()
        call_command("migrate", verbosity=0, interactive=False)
        build(args.items, args.objectives, args.seed)
        period = (dt.date(2026, 1, 1), dt.date(2026, 3, 31))

        alignment.compute_alignment(*period)  # warm-up
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                result = alignment.compute_alignment(*period)
                timings.append(time.perf_counter() - started)
        client = Client()
        client.force_login(do_create_login("bench-admin", "bench-password-1", Role.ADMIN))
        query = {"start": "2026-01-01", "end": "2026-03-31"}
        client.get("/strategy/alignment/", query)  # warm-up: templates, url resolver, session
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as page_queries:
            response = client.get("/strategy/alignment/", query)
        page_seconds = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        print(
            json.dumps(
                {
                    "benchmark": "alignment",
                    "items": args.items,
                    "in_progress": result.in_progress,
                    "done": result.done,
                    "seconds": round(statistics.median(timings), 3),
                    "page_seconds": round(page_seconds, 3),
                    "queries": len(captured),
                    "page_queries": len(page_queries),
                }
            )
        )


if __name__ == "__main__":
    main()
